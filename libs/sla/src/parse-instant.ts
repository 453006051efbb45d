import { DateTime } from 'luxon';

/**
 * Reads an instant from outside input. An ISO-8601 string with an offset (or Z) is that instant;
 * one without is wall-clock time in `zone` (how a person in the trust would read it); a number is
 * epoch milliseconds.
 */
export function parseInstant(value: unknown, zone: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new RangeError('expected an ISO-8601 date-time string, e.g. "2026-12-24T16:30:00Z"');
  }
  const parsed = DateTime.fromISO(value.trim(), { zone, setZone: true });
  if (!parsed.isValid) throw new RangeError(`"${value}" is not an ISO-8601 date-time (${parsed.invalidExplanation ?? parsed.invalidReason})`);
  return parsed.toMillis();
}
