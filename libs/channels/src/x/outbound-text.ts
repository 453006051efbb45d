/**
 * How X rewrites what we post: a comparable form of a text that survives X's rewriting, for finding
 * our own post again. The weighted length lives in domain (`xLength`).
 */
import { X_MAX_CHARACTERS, xLength, xLinks } from '@desk/domain';

/** The weighted length X enforces; kept under this name for the adapter's callers. */
export const xWeightedLength = xLength;

export const X_MAX_WEIGHTED_LENGTH = X_MAX_CHARACTERS;
/** X's limit for one direct message, in characters (code points). */
export const X_MAX_DM_LENGTH = 10_000;

const LEADING_MENTIONS = /^(?:[@＠][A-Za-z0-9_]{1,15}\s+)+/u;
const ESCAPED = /&(amp|lt|gt);/g;
const UNESCAPED: Record<string, string> = { amp: '&', lt: '<', gt: '>' };
const LINK_PLACEHOLDER = '\u{1F517}';

/**
 * A text as X may give it back, reduced to what X does not change: it HTML-escapes &, < and >,
 * prefixes a reply with the @handles it answers, replaces links by t.co links and trims and
 * folds whitespace. Two texts are the same post when these forms are equal.
 */
export function comparableXText(text: string): string {
  const plain = text.normalize('NFC').replace(ESCAPED, (_, name: string) => UNESCAPED[name]!).trimStart().replace(LEADING_MENTIONS, '');
  let out = '';
  let last = 0;
  for (const { index, end } of xLinks(plain, false)) {
    out += plain.slice(last, index) + LINK_PLACEHOLDER;
    last = end;
  }
  return (out + plain.slice(last)).replace(/\s+/gu, ' ').trim();
}

export function sameXText(a: string, b: string): boolean {
  return comparableXText(a) === comparableXText(b);
}
