import { describe, expect, it } from '@jest/globals';
import { findNhsNumbers, findPhoneNumbers, findPii, findPostcodes, isValidNhsNumber } from './pii.js';

describe('NHS number (Modulus 11)', () => {
  it('accepts a number whose check digit is right', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('4010232137')).toBe(true);
  });

  it('accepts check digit 0 when 11 - (sum mod 11) is 11', () => {
    expect(isValidNhsNumber('9074833780')).toBe(true);
  });

  it('rejects a wrong check digit', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('4010232130')).toBe(false);
  });

  it('rejects every number whose check digit would be 10', () => {
    for (let last = 0; last <= 9; last++) expect(isValidNhsNumber(`304011980${last}`)).toBe(false);
    for (let last = 0; last <= 9; last++) expect(isValidNhsNumber(`123456789${last}`)).toBe(false);
  });

  it('rejects other lengths and non-digits', () => {
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659190')).toBe(false);
    expect(isValidNhsNumber('94347659l9')).toBe(false);
  });

  it('finds numbers written with spaces or dashes', () => {
    expect(findNhsNumbers('My NHS number is 943 476 5919, thanks').map((f) => f.text)).toEqual(['943 476 5919']);
    expect(findNhsNumbers('NHS no: 943-476-5919').map((f) => f.text)).toEqual(['943-476-5919']);
    expect(findNhsNumbers('nhs 9434765919.').map((f) => f.text)).toEqual(['9434765919']);
  });

  it('does not report a number with an invalid check digit', () => {
    expect(findNhsNumbers('appointment ref 768 426 8468')).toEqual([]);
    expect(findNhsNumbers('ref 123 456 7890')).toEqual([]);
  });

  it('does not match inside a longer run of digits', () => {
    expect(findNhsNumbers('order 19434765919')).toEqual([]);
    expect(findNhsNumbers('order 94347659190')).toEqual([]);
    expect(findNhsNumbers('card 4000 9434765919 12')).toEqual([{ kind: 'nhs_number', text: '9434765919', index: 10 }]);
    expect(findNhsNumbers('tracking 12-943-476-5919')).toEqual([]);
  });
});

describe('UK phone numbers', () => {
  it('finds mobiles and landlines in the usual groupings', () => {
    const found = (t: string) => findPhoneNumbers(t).map((f) => f.text);
    expect(found('ring me on 07700 900418 please')).toEqual(['07700 900418']);
    expect(found('call 020 7946 0318')).toEqual(['020 7946 0318']);
    expect(found('tel: 0161 496 0000.')).toEqual(['0161 496 0000']);
    expect(found('or +44 7700 900123')).toEqual(['+44 7700 900123']);
    expect(found('or +44 (0)20 7946 0958')).toEqual(['+44 (0)20 7946 0958']);
    expect(found('on 07700900456')).toEqual(['07700900456']);
  });

  it('ignores times, dates, money, references and too-short or too-long runs', () => {
    expect(findPhoneNumbers('at 10:30 on 02/05/2024 it cost £12.50')).toEqual([]);
    expect(findPhoneNumbers('ref 5632 122 339 and 8599528907')).toEqual([]);
    expect(findPhoneNumbers('0770 090')).toEqual([]);
    expect(findPhoneNumbers('0770090041812345')).toEqual([]);
  });
});

describe('UK postcodes', () => {
  it('finds full postcodes in their shapes', () => {
    const found = (t: string) => findPostcodes(t).map((f) => f.text);
    expect(found('41 Beckside Road, Hetherby HX7 4QD')).toEqual(['HX7 4QD']);
    expect(found('SW1A 1AA and M1 1AE and B33 8TH and CR2 6XH and DN55 1PT')).toEqual(['SW1A 1AA', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT']);
    expect(found('i live at ls6 2ab')).toEqual(['ls6 2ab']);
  });

  it('does not read ordinary words or numbers as postcodes', () => {
    expect(findPostcodes('5 mins and 2 wks on the M62, vitamin B12 3 times')).toEqual([]);
  });
});

describe('the pii flag', () => {
  const kinds = (t: string, email = false, authorName?: string) => findPii(t, { email, authorName }).map((f) => f.kind);

  it('flags an NHS number, a phone number, a home address, a hospital number', () => {
    expect(kinds('NHS no 659 337 5233. Second time this year')).toEqual(['nhs_number']);
    expect(kinds('Could someone ring me on 07700 900733 if they turn up?')).toEqual(['phone']);
    expect(kinds('letters still going to 41 Beckside Road, Hetherby HX7 4QD')).toEqual(['address', 'postcode']);
    expect(kinds('My notes have gone missing. Hospital no. RGH447120')).toEqual(['hospital_number']);
  });

  it('flags a date of birth with a name', () => {
    expect(kinds('Patricia Holloway, DOB 14/03/1948. Her letters have gone to the old house')).toEqual(['date_of_birth']);
    expect(kinds('my date of birth is 22/09/1956', false, 'Pauline Turnbull')).toEqual(['date_of_birth']);
  });

  it("does not flag a sender's work number in an email signature, or a place's postcode", () => {
    expect(kinds('Could you call me back?\n\nThanks,\nHannah Cole\nSenior Reporter\n07700 900512', true)).toEqual([]);
    expect(kinds("What's the postcode for the maternity entrance? Is it HX7 4QD?")).toEqual([]);
  });
});
