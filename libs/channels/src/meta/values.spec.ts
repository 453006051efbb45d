import { label, readId, readTime } from './values.js';

describe('readTime', () => {
  it('reads epoch seconds and milliseconds, as numbers or digit strings', () => {
    expect(readTime(1449135003)).toEqual(new Date('2015-12-03T09:30:03Z'));
    expect(readTime(1668022334834)).toEqual(new Date('2022-11-09T19:32:14.834Z'));
    expect(readTime('1449135003')).toEqual(new Date('2015-12-03T09:30:03Z'));
  });

  it("reads ISO 8601 with Meta's +0000 offset, Z or +01:00", () => {
    expect(readTime('2018-02-23T21:32:16+0000')).toEqual(new Date('2018-02-23T21:32:16Z'));
    expect(readTime('2018-02-23T21:32:16Z')).toEqual(new Date('2018-02-23T21:32:16Z'));
    expect(readTime('2018-02-23T22:32:16+01:00')).toEqual(new Date('2018-02-23T21:32:16Z'));
  });

  it('refuses what Date.parse would guess at, and nonsense', () => {
    for (const value of ['Feb 23 2018', '2018-02-23', '2018-02-23T21:32:16', 'yesterday', '', -5, 0, Number.NaN, Infinity, null, {}, '2018-13-45T99:99:99Z']) {
      expect(readTime(value)).toBeUndefined();
    }
  });
});

describe('readId', () => {
  it('accepts Graph ids as strings, and safe integers', () => {
    expect(readId('1234567890321_901097836652708')).toBe('1234567890321_901097836652708');
    expect(readId(1234567890321)).toBe('1234567890321');
  });

  it('refuses numbers that have lost digits, and anything else', () => {
    for (const value of [17841452691600098, -1, 1.5, '', 'a/b', 'x'.repeat(129), null, undefined, ['1']]) expect(readId(value)).toBeUndefined();
  });
});

describe('label', () => {
  it('renders payload values short and log-safe', () => {
    expect(label('post')).toBe('"post"');
    expect(label('a\nb\u001b[31m')).toBe('"a?b??31m"');
    expect(label('x'.repeat(60))).toBe(`"${'x'.repeat(40)}..."`);
    expect(label(undefined)).toBe('missing');
    expect(label([1])).toBe('a list');
    expect(label(true)).toBe('a boolean');
  });
});
