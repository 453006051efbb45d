import { jsonSafe } from './text.js';

/** We read at most this much of a header block; real ones are a few KB, hostile ones can be anything. */
const MAX_HEADER_BLOCK = 256 * 1024;

export interface RawParts {
  /** Header fields in order, names lower-cased, values unfolded and trimmed. */
  headers: Array<[name: string, value: string]>;
  /** Bytes after the blank line that ends the headers (empty when there is none). */
  body: Buffer;
}

/**
 * Splits a message into its header fields and body without a MIME parser, so the header facts
 * (ids, auto-reply markers, report type) can be read even from mail the parser rejects.
 */
export function splitMessage(source: Buffer): RawParts {
  const end = headerEnd(source);
  const block = source.subarray(0, Math.min(end.headers, MAX_HEADER_BLOCK)).toString('utf8');
  const headers: Array<[string, string]> = [];
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // Field names are printable ASCII without spaces; anything else is a broken line, not a header.
    if (!/^[!-9;-~]{1,76}$/.test(name)) continue;
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  return { headers, body: source.subarray(end.body) };
}

function headerEnd(source: Buffer): { headers: number; body: number } {
  const crlf = source.indexOf('\r\n\r\n');
  const lf = source.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headers: crlf, body: crlf + 4 };
  if (lf >= 0) return { headers: lf, body: lf + 2 };
  return { headers: source.length, body: source.length };
}

export function header(parts: RawParts, name: string): string | undefined {
  return parts.headers.find(([n]) => n === name)?.[1];
}

export function headersNamed(parts: RawParts, name: string): string[] {
  return parts.headers.filter(([n]) => n === name).map(([, v]) => v);
}

/**
 * Longest message id we accept. Real ids are well under 250 characters; the cap keeps an id (and
 * the thread key made from it) inside Postgres's btree limit however many bytes its characters take.
 */
const MAX_ID_LENGTH = 500;

/**
 * The message ids in an id header, in the order written, each as "<id>" with whitespace removed
 * (obsolete syntax allows it inside). Broken headers with bare ids ("In-Reply-To: a@b") still count.
 */
export function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = [...value.matchAll(/<([^<>]{1,2000})>/g)].map((m) => m[1]!.replace(/\s+/g, ''));
  const ids = bracketed.length ? bracketed : value.split(/[\s,]+/).filter((t) => /^[^@\s<>]+@[^@\s<>]+$/.test(t));
  return ids.filter((id) => id.length > 0 && id.length <= MAX_ID_LENGTH && /^[!-~\u0080-\uFFFF]+$/.test(id)).map((id) => `<${jsonSafe(id, MAX_ID_LENGTH)}>`);
}

/** Headers kept in `raw` so a person (or a later fix) can see what our reading was based on. */
const KEPT = [
  'from', 'sender', 'reply-to', 'to', 'cc', 'subject', 'date', 'message-id', 'in-reply-to', 'references',
  'content-type', 'auto-submitted', 'x-autoreply', 'x-autorespond', 'x-autoresponder', 'precedence',
  'return-path', 'list-id', 'x-mailer', 'user-agent',
];
const MAX_KEPT_VALUE = 2_000;

export function keptHeaders(parts: RawParts): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const name of KEPT) {
    const values = headersNamed(parts, name).slice(0, 5).map((v) => jsonSafe(v, MAX_KEPT_VALUE));
    if (values.length === 1) kept[name] = values[0]!;
    else if (values.length > 1) kept[name] = values;
  }
  return kept;
}
