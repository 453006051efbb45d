/**
 * How X measures a post (twitter-text v3 weighting): the desk's counter, the templates' check and
 * the X adapter's refusal all use this one rule.
 */

/** Every link counts as a t.co link, however long or short it is. */
const URL_WEIGHT = 23;
/** Code points X counts once: Latin, Greek, Cyrillic, Hebrew, Arabic, Indic... and some punctuation. */
const LIGHT_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];

// Built at run time: the `v` flag (RGI_Emoji) is newer than the type checker's target, not than Node 20.
const EMOJI = new RegExp(String.raw`\p{RGI_Emoji}`, 'gv');

/** Generic top-level domains X links without a scheme; two-letter country domains are added by pattern. */
const GENERIC_TLDS = new Set(
  'com net org edu gov mil int info biz name pro mobi app dev io ai co me tv ly health care news online site website blog shop store tech cloud email link page london wales scot'.split(' '),
);

const SCHEME_URL = String.raw`https?:\/\/[^\s]+`;
/** A bare host: no scheme, not part of an email address or a longer word. */
const BARE_HOST = String.raw`(?<![\w@.\/-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,24})(?::\d{1,5})?(?:\/[^\s]*)?(?![\w@-])`;
/** Punctuation that ends a sentence, not a link: X leaves it outside the t.co link. */
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}]+$/;

/**
 * The length X enforces for a post: text in NFC; each link 23; each emoji 2; other code points
 * 1 in the light ranges (most alphabetic scripts), else 2 (CJK and the rest).
 */
export function xLength(text: string): number {
  const normal = text.normalize('NFC');
  let length = 0;
  let last = 0;
  for (const { index, end, weight } of weightedTokens(normal)) {
    length += plainLength(normal.slice(last, index)) + weight;
    last = end;
  }
  return length + plainLength(normal.slice(last));
}

function* weightedTokens(text: string): Generator<{ index: number; end: number; weight: number }> {
  const tokens = [...xLinks(text, true).map((l) => ({ ...l, weight: URL_WEIGHT }))];
  for (const m of text.matchAll(EMOJI)) {
    const end = m.index + m[0].length;
    if (!tokens.some((t) => m.index < t.end && end > t.index)) tokens.push({ index: m.index, end, weight: 2 });
  }
  yield* tokens.sort((a, b) => a.index - b.index);
}

function plainLength(text: string): number {
  let length = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    length += LIGHT_RANGES.some(([from, to]) => cp >= from && cp <= to) ? 1 : 2;
  }
  return length;
}

/**
 * Where the links are, trailing sentence punctuation left out. `strict` counts a bare host only
 * when its top-level domain is one X links (for the length); otherwise any host-like word (for
 * matching, where over-matching is harmless because both sides are read the same way).
 */
export function xLinks(text: string, strict: boolean): Array<{ index: number; end: number }> {
  const found: Array<{ index: number; end: number }> = [];
  for (const m of text.matchAll(new RegExp(`${SCHEME_URL}|${BARE_HOST}`, 'giu'))) {
    const tld = m[1]?.toLowerCase();
    if (strict && tld !== undefined && !(GENERIC_TLDS.has(tld) || tld.length === 2)) continue;
    const kept = m[0].replace(TRAILING_PUNCTUATION, '');
    if (kept.length) found.push({ index: m.index, end: m.index + kept.length });
  }
  return found;
}

