import type { Division } from '../division.js';
import type { Holiday } from './holiday.js';

// Civil-date arithmetic in UTC: a bank holiday is a date, not an instant, so no time zone applies.
const DAY = 86_400_000;
const SAT = 6;
const SUN = 0;
const MON = 1;

function utc(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day);
}
function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
function weekday(ms: number): number {
  return new Date(ms).getUTCDay();
}
function firstMonday(year: number, month: number): number {
  const first = utc(year, month, 1);
  return first + ((MON - weekday(first) + 7) % 7) * DAY;
}
function lastMonday(year: number, month: number): number {
  const last = utc(year, month + 1, 1) - DAY;
  return last - ((weekday(last) - MON + 7) % 7) * DAY;
}

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(utc(year, month, day));
}

function holiday(ms: number, title: string, substitute = false): Holiday {
  return { date: iso(ms), title, notes: substitute ? 'Substitute day' : '', source: 'rule' };
}

/** A fixed-date holiday that moves to the next Monday when it falls at a weekend. */
function mondayIfWeekend(ms: number, title: string): Holiday {
  const wd = weekday(ms);
  if (wd === SAT) return holiday(ms + 2 * DAY, title, true);
  if (wd === SUN) return holiday(ms + DAY, title, true);
  return holiday(ms, title);
}

/**
 * Two consecutive fixed holidays (25–26 Dec, or 1–2 Jan in Scotland): a day that falls at a
 * weekend moves to the first weekday not already taken by the other.
 */
function pair(first: number, firstTitle: string, secondTitle: string): Holiday[] {
  const second = first + DAY;
  switch (weekday(first)) {
    case 5: // Friday: the second day is a Saturday and moves to Monday.
      return [holiday(first, firstTitle), holiday(second + 2 * DAY, secondTitle, true)];
    case SAT: // Both at the weekend: Monday and Tuesday.
      return [holiday(first + 2 * DAY, firstTitle, true), holiday(first + 3 * DAY, secondTitle, true)];
    case SUN: // The second day is Monday as usual; the first takes Tuesday.
      return [holiday(second, secondTitle), holiday(first + 2 * DAY, firstTitle, true)];
    default:
      return [holiday(first, firstTitle), holiday(second, secondTitle)];
  }
}

/**
 * The bank holidays a division has in a year by the standing rules (the Banking and Financial
 * Dealings Act 1971 and the usual proclamations), without one-off extra or moved days.
 */
export function ruleHolidays(division: Division, year: number): Holiday[] {
  const easter = Date.parse(`${easterSunday(year)}T00:00:00Z`);
  const days: Holiday[] = [];
  if (division === 'scotland') {
    days.push(...pair(utc(year, 1, 1), 'New Year’s Day', '2nd January'));
  } else {
    days.push(mondayIfWeekend(utc(year, 1, 1), 'New Year’s Day'));
  }
  if (division === 'northern-ireland') days.push(mondayIfWeekend(utc(year, 3, 17), 'St Patrick’s Day'));
  days.push(holiday(easter - 2 * DAY, 'Good Friday'));
  if (division !== 'scotland') days.push(holiday(easter + DAY, 'Easter Monday'));
  days.push(holiday(firstMonday(year, 5), 'Early May bank holiday'));
  days.push(holiday(lastMonday(year, 5), 'Spring bank holiday'));
  if (division === 'northern-ireland') days.push(mondayIfWeekend(utc(year, 7, 12), 'Battle of the Boyne (Orangemen’s Day)'));
  days.push(holiday(division === 'scotland' ? firstMonday(year, 8) : lastMonday(year, 8), 'Summer bank holiday'));
  if (division === 'scotland') days.push(mondayIfWeekend(utc(year, 11, 30), 'St Andrew’s Day'));
  days.push(...pair(utc(year, 12, 25), 'Christmas Day', 'Boxing Day'));
  return days.sort((a, b) => a.date.localeCompare(b.date));
}
