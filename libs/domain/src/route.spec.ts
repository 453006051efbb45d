import { highestPrecedence } from './route.js';

describe('highestPrecedence', () => {
  it('puts safety above abuse, and media above a clinical question', () => {
    expect(highestPrecedence(['abuse', 'urgent_safety'])).toBe('urgent_safety');
    expect(highestPrecedence(['clinical', 'media'])).toBe('media');
    expect(highestPrecedence(['complaint', 'clinical'])).toBe('complaint');
    expect(highestPrecedence(['general', 'spam', 'story'])).toBe('spam');
  });

  it('has no winner among no candidates', () => {
    expect(highestPrecedence([])).toBeUndefined();
  });
});
