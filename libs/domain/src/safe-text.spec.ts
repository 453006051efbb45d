import { BIDI_MARKER, capText, containsBidi, ELLIPSIS, isSafeHost, neutraliseBidi, safeHref, segmentText, type TextSegment } from './safe-text.js';

const links = (segments: TextSegment[]) => segments.filter((s) => s.kind === 'link');
const joined = (segments: TextSegment[]) => segments.map((s) => s.text).join('');

describe('neutraliseBidi', () => {
  const controls = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];

  it.each(controls.map((c) => [c.codePointAt(0)!.toString(16).toUpperCase(), c]))('replaces U+%s with the marker', (_, control) => {
    expect(neutraliseBidi(`a${control}b`)).toBe(`a${BIDI_MARKER}b`);
    expect(containsBidi(`a${control}b`)).toBe(true);
  });

  it('undoes the Trojan Source reordering and keeps the length', () => {
    const spoof = 'Visit \u202Ekcilc\u202C now';
    const shown = neutraliseBidi(spoof);
    expect(shown).toBe(`Visit ${BIDI_MARKER}kcilc${BIDI_MARKER} now`);
    expect(shown).toHaveLength(spoof.length);
    expect(containsBidi(shown)).toBe(false);
  });

  it('leaves ordinary text, Arabic and Hebrew letters, and joiners alone', () => {
    const text = 'Thank you شكرا תודה 👩‍⚕️ café';
    expect(neutraliseBidi(text)).toBe(text);
    expect(containsBidi(text)).toBe(false);
  });

  it('is idempotent', () => {
    const once = neutraliseBidi('x\u2067y\u2069z');
    expect(neutraliseBidi(once)).toBe(once);
  });
});

describe('capText', () => {
  it('returns short text unchanged', () => {
    expect(capText('hello', 5)).toBe('hello');
    expect(capText('hello', 50)).toBe('hello');
  });

  it('cuts long text to the limit, the ellipsis included', () => {
    expect(capText('hello world', 6)).toBe(`hello${ELLIPSIS}`);
    expect([...capText('a'.repeat(1000), 100)]).toHaveLength(100);
  });

  it('never splits a grapheme: emoji sequences and combining accents stay whole', () => {
    const nurse = '👩‍⚕️';
    expect(capText(`${nurse}${nurse}${nurse}`, 2)).toBe(`${nurse}${ELLIPSIS}`);
    expect(capText(`${nurse}${nurse}`, 2)).toBe(`${nurse}${nurse}`);
    const accented = 'e\u0301e\u0301e\u0301';
    expect(capText(accented, 2)).toBe(`e\u0301${ELLIPSIS}`);
  });

  it('gives nothing for a limit of zero, a negative or a non-number, and only the ellipsis for 1', () => {
    expect(capText('hello', 0)).toBe('');
    expect(capText('hello', -3)).toBe('');
    expect(capText('hello', Number.NaN)).toBe('');
    expect(capText('hello', 1)).toBe(ELLIPSIS);
  });
});

describe('segmentText', () => {
  it('links safe https addresses and keeps the text around them', () => {
    const segments = segmentText('See https://www.nhs.uk/conditions/flu/ and https://www.gov.uk/foo?a=1#b today.');
    expect(segments).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://www.nhs.uk/conditions/flu/', href: 'https://www.nhs.uk/conditions/flu/' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'https://www.gov.uk/foo?a=1#b', href: 'https://www.gov.uk/foo?a=1#b' },
      { kind: 'text', text: ' today.' },
    ]);
  });

  it.each([
    'https://nhs.uk',
    'https://111.nhs.uk/',
    'https://www.england.nhs.uk/x',
    'https://gov.uk',
    'https://x.com/NHSEngland/status/1',
    'https://twitter.com/a',
    'https://www.facebook.com/page',
    'https://instagram.com/p/abc',
    'HTTPS://WWW.NHS.UK/Conditions',
  ])('links %s', (url) => {
    expect(links(segmentText(`go ${url} now`))).toHaveLength(1);
  });

  it.each([
    ['plain http', 'http://www.nhs.uk/'],
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['javascript: with an https look', 'javascript://nhs.uk/%0aalert(1)'],
    ['data:', 'data:text/html;base64,PHNjcmlwdD4='],
    ['a lookalike suffix', 'https://nhs.uk.evil.com/login'],
    ['a lookalike prefix', 'https://evilnhs.uk/'],
    ['a lookalike with a hyphen', 'https://nhs-uk.com/'],
    ['user-info', 'https://nhs.uk@evil.com/'],
    ['user-info with a password', 'https://www.nhs.uk:pw@evil.com/'],
    ['an explicit port', 'https://www.nhs.uk:8443/'],
    ['punycode', 'https://xn--nhs-xxa.uk/'],
    ['a punycode label under nhs.uk', 'https://xn--80ak6aa92e.nhs.uk/'],
    ['a Cyrillic letter in the host', 'https://nhs.uk.\u0435vil.com/'],
    ['a Cyrillic lookalike of nhs', 'https://n\u04bbs.uk/'],
    ['a percent-encoded host', 'https://nhs%2Euk/'],
    ['a backslash', 'https://evil.com\\@nhs.uk/'],
    ['an IP address', 'https://192.168.0.1/'],
    ['an unlisted host', 'https://example.com/'],
    ['a subdomain of a platform', 'https://evil.facebook.com.example.org/'],
    ['a trailing-dot host', 'https://nhs.uk./'],
  ])('leaves %s as text', (_, url) => {
    const text = `look ${url} here`;
    const segments = segmentText(text);
    expect(links(segments)).toEqual([]);
    expect(joined(segments)).toBe(text);
  });

  it('does not link a safe prefix of a lookalike address', () => {
    // Without taking the whole run, "https://nhs.uk." would be linked and ".еvil.com" left beside it.
    expect(links(segmentText('https://nhs.uk.\u0435vil.com'))).toEqual([]);
  });

  it('links only platform hosts themselves or www, not their other subdomains', () => {
    expect(isSafeHost('x.com')).toBe(true);
    expect(isSafeHost('www.x.com')).toBe(true);
    expect(isSafeHost('ads.x.com')).toBe(false);
    expect(isSafeHost('deep.sub.nhs.uk')).toBe(true);
    expect(isSafeHost('nhs.uk.evil.com')).toBe(false);
    expect(isSafeHost('notnhs.uk')).toBe(false);
  });

  it("links the trust's own domain and its subdomains only when given", () => {
    const text = 'https://www.example-trust.org.uk/visiting';
    expect(links(segmentText(text))).toEqual([]);
    expect(links(segmentText(text, { trustDomain: 'example-trust.org.uk' }))).toEqual([{ kind: 'link', text, href: text }]);
    expect(links(segmentText('https://example-trust.org.uk.evil.com/', { trustDomain: 'example-trust.org.uk' }))).toEqual([]);
  });

  it('ignores a trust domain that is not a plain host name', () => {
    expect(links(segmentText('https://evil.com/', { trustDomain: 'evil.com/../' }))).toEqual([]);
    expect(links(segmentText('https://com/', { trustDomain: 'com' }))).toEqual([]);
    expect(links(segmentText('https://xn--e1afmkfd.org/', { trustDomain: 'xn--e1afmkfd.org' }))).toEqual([]);
  });

  it('leaves sentence punctuation outside the link but keeps brackets the address opened', () => {
    expect(links(segmentText('(see https://www.nhs.uk/flu).'))).toEqual([{ kind: 'link', text: 'https://www.nhs.uk/flu', href: 'https://www.nhs.uk/flu' }]);
    expect(links(segmentText('https://www.nhs.uk/a_(b), ok'))[0]?.text).toBe('https://www.nhs.uk/a_(b)');
    expect(links(segmentText('"https://gov.uk/x!"'))[0]?.text).toBe('https://gov.uk/x');
  });

  it('does not link an address glued to a word before it', () => {
    expect(links(segmentText('xhttps://www.nhs.uk/'))).toEqual([]);
  });

  it('neutralises bidi controls, and a control inside an address stops it being a link', () => {
    const segments = segmentText('click https://www.nhs.uk/\u202Eevil');
    expect(links(segments)).toEqual([]);
    expect(joined(segments)).toBe(`click https://www.nhs.uk/${BIDI_MARKER}evil`);
    expect(joined(segmentText('\u2067abc\u2069'))).toBe(`${BIDI_MARKER}abc${BIDI_MARKER}`);
  });

  it('keeps every character of the (neutralised) input, in order, with text runs merged', () => {
    const text = 'a http://x.com b https://x.com c javascript:x d https://gov.uk';
    const segments = segmentText(text);
    expect(joined(segments)).toBe(text);
    for (let i = 1; i < segments.length; i++) expect(segments[i]!.kind === 'text' && segments[i - 1]!.kind === 'text').toBe(false);
    expect(segmentText('')).toEqual([]);
  });
});

describe('safeHref', () => {
  it('returns the normalised address to link to', () => {
    expect(safeHref('https://WWW.NHS.UK')).toBe('https://www.nhs.uk/');
  });

  it('refuses anything that is not https', () => {
    expect(safeHref('ftp://nhs.uk/')).toBeNull();
    expect(safeHref('//nhs.uk/')).toBeNull();
    expect(safeHref('https:nhs.uk')).toBeNull();
  });
});
