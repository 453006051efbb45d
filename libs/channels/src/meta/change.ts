export { ignored } from '../payload.js';
import type { InboundAuthor } from '@desk/domain';
import { isRecord, notAfter, readId, readText } from './values.js';

/** What the parser needs to know about us, passed in as plain values (channels reads no config). */
export interface ParseOptions {
  /** Our Facebook Page and Instagram account ids: what they write is not inbound. */
  pageIds: readonly string[];
  now: Date;
}

/** One change of a delivery, with what its entry says about it. */
export interface ChangeContext {
  options: ParseOptions;
  /** When Meta recorded the change (`entry.time`), if it said. */
  entryTime?: Date;
  /** What is stored as the item's raw record: the change as received, with its entry's id and time. */
  raw: unknown;
}

/** Facebook allows 8,000 characters in a comment and Instagram 2,200; anything longer is cut here (raw keeps it). */
export const MAX_TEXT_CHARS = 10_000;
const MAX_NAME_CHARS = 200;


/** `from: { id, name | username }`; older Page payloads put the author in `sender_id` / `sender_name`. */
export function readAuthor(from: unknown, legacyId?: unknown, legacyName?: unknown): InboundAuthor | null {
  const source = isRecord(from) && readId(from.id) ? from : { id: legacyId, name: legacyName };
  const externalId = readId(source.id);
  if (!externalId) return null;
  const author: InboundAuthor = { externalId };
  const handle = readText(source.username, MAX_NAME_CHARS);
  const displayName = readText(source.name, MAX_NAME_CHARS);
  if (handle) author.handle = handle;
  if (displayName) author.displayName = displayName;
  return author;
}

export function isOurs(author: InboundAuthor | null, options: ParseOptions): boolean {
  return author !== null && options.pageIds.includes(author.externalId);
}

/** The moment of an edit, removal or hide: when Meta recorded it, else the item's own time, else now. */
export function eventTime(context: ChangeContext, itemTime?: Date): Date {
  return notAfter(context.entryTime ?? itemTime ?? context.options.now, context.options.now);
}

export function commentText(value: unknown): string {
  return readText(value, MAX_TEXT_CHARS) ?? '';
}
