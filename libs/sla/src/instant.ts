/** Anything that names an instant: a Date, epoch milliseconds, or an ISO-8601 string. */
export type Instant = Date | number | string;

export function toMillis(value: Instant, name = 'instant'): number {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name}: ${JSON.stringify(value)} is not a valid instant`);
  return ms;
}

export const HOUR_MS = 3_600_000;
