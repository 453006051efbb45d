/** Longest body text we keep; the rest of a long mail stays on the mail server. */
export const MAX_TEXT_CHARS = 50_000;

// C0/C1 controls other than tab and newline, and the bidi controls that can make text on the desk
// read differently from what it says (e.g. a reversed link or name).
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text safe to store and show: no control characters (Postgres rejects NUL), no lone surrogates
 * (jsonb rejects them), normal newlines, no runs of blank lines, trimmed, and at most `max` chars.
 */
export function cleanText(input: string, max = MAX_TEXT_CHARS): string {
  const text = input
    .replace(/\r\n?/g, '\n')
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(UNSAFE_CHARS, '')
    .replace(/[ \t\u00A0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return truncate(text, max);
}

/** One line (a subject, a name, a header value): whitespace collapsed, capped with an ellipsis. */
export function cleanLine(input: string, max: number): string {
  return truncate(cleanText(input.replace(/\s+/g, ' '), Number.MAX_SAFE_INTEGER), max, '…');
}

/** Cuts at a code point boundary, ending with `marker` (by default, how much was left out). */
export function truncate(text: string, max: number, marker?: string): string {
  if (text.length <= max) return text;
  const end = marker ?? `\n[… ${text.length - max} more characters not shown]`;
  let cut = Math.max(0, max - end.length);
  // Never split a surrogate pair.
  if (cut > 0 && /[\uD800-\uDBFF]/.test(text[cut - 1]!)) cut -= 1;
  return text.slice(0, cut) + end;
}

/** A string fit for jsonb: no NUL, no lone surrogates, capped. */
export function jsonSafe(input: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const safe = input.replace(LONE_SURROGATE, '\uFFFD').replace(/\u0000/g, '');
  return safe.length <= max ? safe : safe.slice(0, max);
}
