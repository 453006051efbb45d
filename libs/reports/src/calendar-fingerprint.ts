import { createHash } from 'node:crypto';
import type { WorkingCalendar } from '@desk/sla';

const known = new WeakMap<WorkingCalendar, string>();

/**
 * A short digest of everything that decides working time: zone, opening hours, division,
 * closures and the bank holidays themselves. Stored facts were computed with one calendar; a
 * different digest means they must be computed again.
 */
export function calendarFingerprint(calendar: WorkingCalendar): string {
  const cached = known.get(calendar);
  if (cached) return cached;
  // The official lists are what can change (a new snapshot, an extra bank holiday); years past them
  // follow the rules in code, the same for every calendar.
  const years = calendar.holidays.officialYears(calendar.settings.division);
  const holidays: string[] = [];
  for (let year = years?.first ?? 0; years && year <= years.last; year++) {
    for (const h of calendar.holidays.holidaysIn(calendar.settings.division, year)) holidays.push(h.date);
  }
  const digest = createHash('sha256').update(JSON.stringify([calendar.settings, holidays])).digest('hex').slice(0, 32);
  known.set(calendar, digest);
  return digest;
}
