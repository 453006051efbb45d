import { DateTime } from 'luxon';
import type { CalendarSettings, Weekday } from './calendar-settings.js';
import type { HolidayBook } from './holidays/holiday-book.js';
import { HOUR_MS } from './instant.js';

/**
 * A plain due-time calculation that steps through the days with luxon. It is the benchmark's
 * baseline and the tests' independent oracle for WorkingCalendar; it is not used in the services.
 */
export function referenceDueAt(receivedMs: number, settings: CalendarSettings, holidays: HolidayBook, hours = 24): number {
  const closures = new Set(settings.closures.map((c) => c.date));
  let remaining = Math.round(hours * HOUR_MS);
  let day = DateTime.fromMillis(receivedMs, { zone: settings.timeZone }).startOf('day');
  for (let guard = 0; guard < 3660; guard++, day = day.plus({ days: 1 })) {
    const iso = day.toISODate()!;
    if (closures.has(iso) || holidays.lookup(settings.division, iso)) continue;
    for (const [startMinute, endMinute] of settings.openingHours[day.weekday as Weekday]) {
      const start = day.plus({ minutes: 0 }).set({ hour: Math.floor(startMinute / 60), minute: startMinute % 60 }).toMillis();
      const end = endMinute === 1440 ? day.plus({ days: 1 }).toMillis() : day.set({ hour: Math.floor(endMinute / 60), minute: endMinute % 60 }).toMillis();
      const from = Math.max(start, receivedMs);
      if (end <= from) continue;
      if (end - from >= remaining) return from + remaining;
      remaining -= end - from;
    }
  }
  throw new Error('referenceDueAt: no working time within ten years');
}
