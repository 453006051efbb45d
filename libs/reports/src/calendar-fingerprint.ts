import { createHash } from 'node:crypto';
import type { WorkingCalendar } from '@desk/sla';

const known = new WeakMap<WorkingCalendar, string>();
/** Facts can be for items from any year; these bound the holidays the fingerprint covers. */
const FIRST_YEAR = 2012;
const YEARS_AHEAD = 3;

/**
 * A short digest of everything that decides working time: zone, opening hours, division,
 * closures and the bank holidays themselves. Stored facts were computed with one calendar; a
 * different digest means they must be computed again.
 */
export function calendarFingerprint(calendar: WorkingCalendar): string {
  const cached = known.get(calendar);
  if (cached) return cached;
  const last = new Date().getUTCFullYear() + YEARS_AHEAD;
  const holidays: string[] = [];
  for (let year = FIRST_YEAR; year <= last; year++) {
    for (const h of calendar.holidays.holidaysIn(calendar.settings.division, year)) holidays.push(h.date);
  }
  const digest = createHash('sha256').update(JSON.stringify([calendar.settings, holidays])).digest('hex').slice(0, 32);
  known.set(calendar, digest);
  return digest;
}
