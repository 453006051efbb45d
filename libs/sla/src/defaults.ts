import { DEFAULT_CALENDAR_SETTINGS, type CalendarSettings } from './calendar-settings.js';
import type { Division } from './division.js';
import { bundledHolidayLists } from './holidays/bundled.js';
import { HolidayBook } from './holidays/holiday-book.js';
import { WorkingCalendar } from './working-calendar.js';

let book: HolidayBook | undefined;
const calendars = new Map<Division, WorkingCalendar>();

/** The shipped gov.uk snapshot, with the rules past it. */
export function defaultHolidayBook(): HolidayBook {
  book ??= new HolidayBook(bundledHolidayLists());
  return book;
}

/** SLA.md's calendar (Mon–Fri 09:00–17:00 Europe/London) for a division, built once and reused. */
export function defaultCalendar(division: Division = 'england-and-wales'): WorkingCalendar {
  let calendar = calendars.get(division);
  if (!calendar) {
    const settings: CalendarSettings = { ...DEFAULT_CALENDAR_SETTINGS, division };
    calendar = new WorkingCalendar(settings, defaultHolidayBook());
    calendars.set(division, calendar);
  }
  return calendar;
}
