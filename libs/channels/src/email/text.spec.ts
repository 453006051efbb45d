import { cleanLine, cleanText, jsonSafe } from './text.js';

describe('cleanText', () => {
  it('removes what Postgres or the desk must not get: NUL, controls, bidi overrides, lone surrogates', () => {
    expect(cleanText('a\u0000b\u0007c\u202Ed\uD800e\r\nf')).toBe('abcd\uFFFDe\nf');
  });

  it('collapses blank lines, trims, and says how much a long text lost', () => {
    expect(cleanText('  one  \n\n\n\ntwo  ')).toBe('one\n\ntwo');
    const long = cleanText('x'.repeat(200), 100);
    expect(long).toHaveLength(100);
    expect(long).toMatch(/^x+\n\[… 100 more characters not shown\]$/);
  });

  it('never splits an emoji when cutting', () => {
    const cut = cleanText('😀'.repeat(100), 61);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('cleanLine', () => {
  it('keeps one line, capped with an ellipsis', () => {
    expect(cleanLine('Re:\r\n  a\tlong\nsubject', 100)).toBe('Re: a long subject');
    expect(cleanLine('abcdefghij', 5)).toBe('abcd…');
  });
});

describe('jsonSafe', () => {
  it('drops NUL and mends lone surrogates so jsonb accepts the string', () => {
    expect(jsonSafe('a\u0000b\uDC00', 10)).toBe('ab\uFFFD');
  });
});
