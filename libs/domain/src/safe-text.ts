/**
 * Showing text the public wrote. Everything a member of the public sends is hostile until shown
 * otherwise: it may carry direction controls that make a reply look like something else, be long
 * enough to flood a screen, or hold links dressed up to look like the NHS. These helpers are pure so
 * the web desk and any other reader share one rule, and so the rule is tested on its own.
 */

/**
 * What a bidirectional control is shown as. U+FFFD (the replacement character) rather than a word
 * such as "⟨bidi⟩": it is one UTF-16 unit like every control it replaces, so lengths and offsets are
 * unchanged (the cap and the link finder see the same positions); every system font draws it; it
 * reads the same in any language; and it already means "something was here that cannot be shown".
 * A URL that contained a control also stops being a URL, because the marker is not ASCII.
 */
export const BIDI_MARKER = '\uFFFD';

/** LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM, and the Arabic letter mark. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
const HAS_BIDI_CONTROL = new RegExp(BIDI_CONTROLS.source);

/** True when the text holds a direction control, so a reader can be told why a marker is there. */
export function containsBidi(text: string): boolean {
  return HAS_BIDI_CONTROL.test(text);
}

/**
 * Replaces each bidirectional control with {@link BIDI_MARKER}, so that text cannot reorder what
 * comes after it on screen (the "Trojan Source" trick: `gro.shn` drawn as `nhs.org`).
 */
export function neutraliseBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, BIDI_MARKER);
}

export const ELLIPSIS = '…';

let graphemes: Intl.Segmenter | undefined;

/**
 * At most `max` user-perceived characters, the last one an ellipsis when anything was cut. Cuts
 * between grapheme clusters, so an emoji sequence or an accented letter is never split in half.
 */
export function capText(text: string, max: number): string {
  const limit = Number.isFinite(max) ? Math.floor(max) : 0;
  if (limit <= 0) return '';
  // No more UTF-16 units than the limit means no more graphemes either.
  if (text.length <= limit) return text;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  // The ellipsis takes the last place, so a cut keeps limit - 1 graphemes.
  let kept = 0;
  let seen = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (seen === limit) return text.slice(0, kept) + ELLIPSIS;
    seen += 1;
    if (seen < limit) kept += segment.length;
  }
  return text;
}

export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

export interface SegmentOptions {
  /** The trust's own web domain (e.g. `example-trust.org.uk`); it and its subdomains are linked. */
  trustDomain?: string | null;
}

/** Domains whose every subdomain is run by the NHS or the government. */
const SAFE_WITH_SUBDOMAINS = ['nhs.uk', 'gov.uk'];
/** Platforms linked as themselves or `www.` only: their other subdomains are not ours to vouch for. */
const SAFE_EXACT = ['x.com', 'twitter.com', 'facebook.com', 'instagram.com'];

/**
 * Anything that starts like a web address, up to the next white space. The whole run is taken so a
 * lookalike (a non-ASCII letter, a bidi marker) spoils the entire address rather than leaving a
 * harmless-looking prefix linked.
 */
const URL_CANDIDATE = /(?<![A-Za-z0-9+.-])https?:\/\/\S+/gi;
/** Sentence punctuation after an address belongs to the sentence. */
const TRAILING_PUNCTUATION = /[.,;:!?'"\])}>]$/;
/** Letters, digits and URL punctuation only: no spaces, quotes, angle brackets or backslashes. */
const PLAIN_URL = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Splits text into plain runs and links. Only an https address on the safe list becomes a link;
 * everything else (http, javascript:, data:, lookalike hosts, user-info tricks, ports, punycode or
 * other international hosts, percent-encoded hosts) stays text. Bidi controls are neutralised first,
 * so the segments are safe to show as they are.
 */
export function segmentText(text: string, options: SegmentOptions = {}): TextSegment[] {
  const safe = neutraliseBidi(text);
  const trustDomain = normaliseDomain(options.trustDomain);
  const segments: TextSegment[] = [];
  let plainFrom = 0;
  for (const match of safe.matchAll(URL_CANDIDATE)) {
    const candidate = trimTrailing(match[0]);
    const href = safeHref(candidate, trustDomain);
    if (href === null) continue;
    if (match.index > plainFrom) segments.push({ kind: 'text', text: safe.slice(plainFrom, match.index) });
    segments.push({ kind: 'link', text: candidate, href });
    plainFrom = match.index + candidate.length;
  }
  if (plainFrom < safe.length) segments.push({ kind: 'text', text: safe.slice(plainFrom) });
  return mergeText(segments);
}

/** The address to link to, or null when the candidate is not a safe https address. */
export function safeHref(candidate: string, trustDomain: string | null = null): string | null {
  if (!PLAIN_URL.test(candidate)) return null;
  const authority = /^https:\/\/([^/?#]*)/i.exec(candidate)?.[1];
  if (authority === undefined) return null;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return null;
  // The host as written must be the host the browser will visit: this refuses user-info
  // (`nhs.uk@evil.com`), ports, percent-encoding and anything the parser would rewrite.
  const host = url.hostname;
  if (authority.toLowerCase() !== host) return null;
  if (!HOSTNAME.test(host) || host.split('.').some((label) => label.startsWith('xn--'))) return null;
  return isSafeHost(host, normaliseDomain(trustDomain)) ? url.href : null;
}

export function isSafeHost(host: string, trustDomain: string | null = null): boolean {
  const under = (domain: string) => host === domain || host.endsWith(`.${domain}`);
  if (SAFE_WITH_SUBDOMAINS.some(under)) return true;
  if (SAFE_EXACT.some((domain) => host === domain || host === `www.${domain}`)) return true;
  return trustDomain !== null && under(trustDomain);
}

/** A trust domain as configured, or null when it is not a plain ASCII host name. */
function normaliseDomain(domain: string | null | undefined): string | null {
  if (!domain) return null;
  const lower = domain.trim().toLowerCase().replace(/\.$/, '');
  if (!HOSTNAME.test(lower) || lower.split('.').some((label) => label.startsWith('xn--'))) return null;
  return lower;
}

/** Drops sentence punctuation, but keeps a closing bracket the address itself opened. */
function trimTrailing(candidate: string): string {
  let kept = candidate;
  while (TRAILING_PUNCTUATION.test(kept)) {
    const last = kept[kept.length - 1]!;
    const opener = last === ')' ? '(' : last === ']' ? '[' : null;
    if (opener !== null && count(kept, opener) >= count(kept, last)) return kept;
    kept = kept.slice(0, -1);
  }
  return kept;
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n += 1;
  return n;
}

function mergeText(segments: TextSegment[]): TextSegment[] {
  const merged: TextSegment[] = [];
  for (const segment of segments) {
    const last = merged[merged.length - 1];
    if (segment.kind === 'text' && last?.kind === 'text') last.text += segment.text;
    else merged.push(segment);
  }
  return merged;
}
