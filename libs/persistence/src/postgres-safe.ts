/**
 * Postgres refuses NUL and unpaired UTF-16 surrogates in text and jsonb. Public text can carry
 * either, and one refused message would make its provider redeliver it for ever, so they are
 * replaced with U+FFFD before storing (the meaning of the rest is untouched).
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly the character Postgres refuses.
const REFUSED = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const MAX_DEPTH = 64;

export function postgresSafeText(text: string): string;
export function postgresSafeText(text: string | null | undefined): string | null | undefined;
export function postgresSafeText(text: string | null | undefined): string | null | undefined {
  return typeof text === 'string' ? text.replace(REFUSED, '\uFFFD') : text;
}

/** The JSON text of a value, safe for a jsonb column; nesting past 64 levels is cut. */
export function postgresSafeJson(value: unknown): string {
  return JSON.stringify(clean(value, 0) ?? null);
}

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return postgresSafeText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[postgresSafeText(key)] = clean(v, depth + 1);
  return out;
}
