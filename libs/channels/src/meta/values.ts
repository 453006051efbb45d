export { label } from '../payload.js';
/**
 * Readers for Meta's loosely typed JSON. A signed body is still public text (a comment is written
 * by anyone), so every field is checked and capped before it becomes part of an InboundMessage.
 */

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ID = /^[0-9A-Za-z_-]{1,128}$/;

/** A Graph id (digits, or two joined by "_"); undefined when it is not one. */
export function readId(value: unknown): string | undefined {
  if (typeof value === 'string') return ID.test(value) ? value : undefined;
  // Older payloads send ids as JSON numbers; past 2^53 one has already lost digits and would name someone else.
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

/** A string capped at `max` UTF-16 units, never cutting a character in two. */
export function readText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.length <= max) return value;
  const cut = value.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
/** Below this an epoch number is seconds; above it, milliseconds (1e11 s is the year 5138). */
const MS_THRESHOLD = 1e11;

/**
 * Meta's times: epoch seconds in Page feed changes (`created_time`, `entry.time`), epoch
 * milliseconds in messaging entries, ISO 8601 with "+0000" in Graph objects (`timestamp`).
 */
export function readTime(value: unknown): Date | undefined {
  let ms: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) ms = value < MS_THRESHOLD ? value * 1000 : value;
  else if (typeof value === 'string' && /^\d{1,16}$/.test(value)) return readTime(Number(value));
  else if (typeof value === 'string' && ISO.test(value)) ms = Date.parse(value);
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A sender's clock can be ahead of ours; nothing is received in the future. */
export function notAfter(date: Date, now: Date): Date {
  return date.getTime() > now.getTime() ? now : date;
}


/** A link shown to officers: only https on Meta's own sites, so a payload cannot plant another. */
export function readPermalink(value: unknown, hosts: readonly string[]): string | undefined {
  const text = readText(value, 2048);
  if (!text) return undefined;
  try {
    const url = new URL(text);
    const host = url.hostname.toLowerCase();
    const allowed = hosts.some((h) => host === h || host.endsWith(`.${h}`));
    return url.protocol === 'https:' && allowed && !url.username && !url.password ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}
