/**
 * Readers for X's JSON. A signed webhook or an authenticated API answer is still public text (any
 * account can mention us), so every field is checked and capped before it reaches an InboundMessage.
 */

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Tweet, user and DM ids are 64-bit snowflakes, sent as decimal strings. */
const SNOWFLAKE = /^[0-9]{1,20}$/;

/**
 * An X id, only from its string form: the numeric `id` fields of v1.1 lose digits past 2^53 when
 * parsed as JSON and would name a different tweet or person.
 */
export function readId(value: unknown): string | undefined {
  return typeof value === 'string' && SNOWFLAKE.test(value) ? value : undefined;
}

/** Long posts reach 25,000 characters; anything past that is not a post. */
export const MAX_TEXT = 25_000;
/** Display names are at most 50 characters and handles 15; a little slack for older accounts. */
export const MAX_NAME = 100;

/** A string capped at `max` UTF-16 units, never cutting a character in two, storable in Postgres. */
export function readText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.length <= max) return storable(value);
  const cut = value.slice(0, max);
  return storable(/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut);
}

/** NUL and unpaired surrogates parse from JSON escapes but Postgres refuses them in text and jsonb. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what must go
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A string Postgres accepts: otherwise one hostile character would make an item impossible to
 * store, X would redeliver it for ever, and the poller could never move past it.
 */
export function storable(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

/** Deeper than any payload X sends; deeper still is an attack on whoever walks it recursively. */
const MAX_DEPTH = 64;

/** A payload kept as `raw`: as received, but storable as jsonb and not nested without end. */
export function storableJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return storable(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((item) => storableJson(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [storable(key), storableJson(item, depth + 1)]));
}

const HANDLE = /^[A-Za-z0-9_]{1,50}$/;

/** A screen name as X allows them; anything else is not put into links or shown as a handle. */
export function readHandle(value: unknown): string | undefined {
  return typeof value === 'string' && HANDLE.test(value) ? value : undefined;
}

/** Compares two snowflakes numerically (they outgrow Number and differ in length as strings). */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function maxId(ids: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const id of ids) if (best === undefined || compareIds(id, best) > 0) best = id;
  return best;
}

/** Milliseconds between the Unix epoch and X's snowflake epoch (2010-11-04T01:42:54.657Z). */
const SNOWFLAKE_EPOCH = 1_288_834_974_657n;

/**
 * When the id was minted, read from the snowflake itself: the channel's own time for a tweet or
 * DM whose `created_at` was not sent. Ids from before snowflakes (2010) carry no time.
 */
export function snowflakeTime(id: string): Date | undefined {
  const ms = (BigInt(id) >> 22n) + SNOWFLAKE_EPOCH;
  if (ms <= SNOWFLAKE_EPOCH) return undefined;
  return new Date(Number(ms));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** v1.1's `created_at`: "Wed Oct 10 20:19:24 +0000 2018". */
const V1_DATE = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/** Reads v1.1's `created_at`; parsed by hand because engines disagree on that format. */
export function readV1Date(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = V1_DATE.exec(value);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return undefined;
  const offsetMin = (m[6] === '-' ? -1 : 1) * (Number(m[7]) * 60 + Number(m[8]));
  const ms = Date.UTC(Number(m[9]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) - offsetMin * 60_000;
  return valid(ms);
}

/** v2's `created_at`: ISO 8601 ("2022-10-07T22:43:00.000Z"). */
export function readIsoDate(value: unknown): Date | undefined {
  return typeof value === 'string' && ISO.test(value) ? valid(Date.parse(value)) : undefined;
}

/** Epoch milliseconds as a decimal string (v1.1 `created_timestamp`, `timestamp_ms`). */
export function readEpochMs(value: unknown): Date | undefined {
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? valid(Number(value)) : undefined;
}

function valid(ms: number): Date | undefined {
  return Number.isFinite(ms) && ms > 0 ? new Date(ms) : undefined;
}

/** A sender's clock can be ahead of ours; nothing is received in the future. */
export function notAfter(date: Date, now: Date): Date {
  return date.getTime() > now.getTime() ? now : date;
}

/** The public link of a tweet; X redirects /i/web/status/<id> when the author's handle is unknown. */
export function tweetUrl(id: string, handle: string | undefined): string {
  return handle ? `https://x.com/${handle}/status/${id}` : `https://x.com/i/web/status/${id}`;
}

/**
 * One thread per pair of people, whichever of them wrote, and whether the DM came by webhook
 * (which names no conversation) or by polling: the ids in numeric order.
 */
export function dmThreadKey(a: string, b: string): string {
  const [low, high] = compareIds(a, b) <= 0 ? [a, b] : [b, a];
  return `dm-${low}-${high}`;
}
