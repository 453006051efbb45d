import { fillKnownPlaceholders, placeholdersIn, signedReplyText } from './desk-templates.js';
import { xLength } from './x-length.js';

describe('desk templates', () => {
  it('lists placeholders once each, in order', () => {
    expect(placeholdersIn('Hi {name}, {ward} on {ward} ({pals_contact})')).toEqual(['name', 'ward', 'pals_contact']);
  });

  it('fills what the trust settings know and leaves the rest for the officer', () => {
    expect(fillKnownPlaceholders('Hi {name}, contact {pals_contact}.', { pals_contact: 'PALS on 0114 000', name: '' })).toBe(
      'Hi {name}, contact PALS on 0114 000.',
    );
  });

  it("signs social replies with the officer's initials, counted in X's length", () => {
    const signed = signedReplyText('  Thank you!  ', 'AB', 'x');
    expect(signed).toBe('Thank you!\n– AB');
    expect(xLength(signed)).toBe(xLength('Thank you!') + 5);
    expect(signedReplyText('Thank you', 'AB', 'email')).toBe('Thank you');
  });
});
