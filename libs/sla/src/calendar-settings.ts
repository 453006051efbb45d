import { IANAZone } from 'luxon';
import { DIVISIONS, isDivision, type Division } from './division.js';

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

/** Opening spans of one day, in wall-clock minutes from midnight, sorted, not overlapping: [[540, 1020]] is 09:00–17:00. */
export type DaySpans = ReadonlyArray<readonly [startMinute: number, endMinute: number]>;

export interface Closure {
  /** YYYY-MM-DD in the calendar's time zone. */
  date: string;
  reason?: string;
}

export interface CalendarSettings {
  timeZone: string;
  openingHours: Readonly<Record<Weekday, DaySpans>>;
  division: Division;
  closures: readonly Closure[];
}

const NINE_TO_FIVE: DaySpans = [[9 * 60, 17 * 60]];

/** SLA.md's defaults: Mon–Fri 09:00–17:00 Europe/London, England and Wales bank holidays. */
export const DEFAULT_CALENDAR_SETTINGS: CalendarSettings = {
  timeZone: 'Europe/London',
  openingHours: { 1: NINE_TO_FIVE, 2: NINE_TO_FIVE, 3: NINE_TO_FIVE, 4: NINE_TO_FIVE, 5: NINE_TO_FIVE, 6: [], 7: [] },
  division: 'england-and-wales',
  closures: [],
};

/** A calendar setting that cannot be used, naming the field and what is wrong with it. */
export class CalendarConfigError extends Error {
  readonly code = 'CALENDAR_CONFIG_INVALID';
}

const DAY_NAMES: Record<string, Weekday> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

function minuteOf(text: string, field: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) {
    throw new CalendarConfigError(`${field}: "${text}" is not a time (HH:MM, 00:00 to 24:00)`);
  }
  return hours * 60 + minutes;
}

function checkSpans(spans: Array<[number, number]>, field: string): DaySpans {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  sorted.forEach(([start, end], i) => {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > 1440 || start >= end) {
      throw new CalendarConfigError(`${field}: span ${start}–${end} must start before it ends, within the day`);
    }
    const previous = sorted[i - 1];
    if (previous && previous[1] > start) throw new CalendarConfigError(`${field}: spans overlap`);
  });
  return sorted;
}

/**
 * Reads opening hours written as a person would: "Mon-Fri 09:00-17:00; Sat 10:00-12:00", or several
 * spans a day: "Mon-Thu 09:00-12:30,13:30-17:00; Fri 09:00-16:30". Days not named are closed.
 */
export function parseOpeningHours(text: string): Record<Weekday, DaySpans> {
  const hours: Record<Weekday, DaySpans> = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] };
  const seen = new Set<Weekday>();
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(.+)$/i.exec(part);
    if (!match) throw new CalendarConfigError(`opening hours: cannot read "${part}" (e.g. "Mon-Fri 09:00-17:00")`);
    const from = DAY_NAMES[match[1]!.toLowerCase()];
    const to = DAY_NAMES[(match[2] ?? match[1]!).toLowerCase()];
    if (!from || !to) throw new CalendarConfigError(`opening hours: unknown day in "${part}"`);
    if (to < from) throw new CalendarConfigError(`opening hours: "${part}" runs backwards`);
    const spans = match[3]!.split(',').map((span) => {
      const [start, end, extra] = span.split('-');
      if (start === undefined || end === undefined || extra !== undefined) {
        throw new CalendarConfigError(`opening hours: "${span.trim()}" is not a span (HH:MM-HH:MM)`);
      }
      return [minuteOf(start, 'opening hours'), minuteOf(end, 'opening hours')] as [number, number];
    });
    for (let day = from; day <= to; day++) {
      const weekday = day as Weekday;
      if (seen.has(weekday)) throw new CalendarConfigError(`opening hours: a day is named twice in "${text}"`);
      seen.add(weekday);
      hours[weekday] = checkSpans(spans, `opening hours (${part})`);
    }
  }
  return hours;
}

/** Closure dates written as "2026-12-29 Trust shutdown, 2026-12-30". */
export function parseClosures(text: string): Closure[] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(\d{4}-\d{2}-\d{2})(?:\s+(.+))?$/.exec(part);
      if (!match || Number.isNaN(Date.parse(`${match[1]}T00:00:00Z`))) {
        throw new CalendarConfigError(`closures: "${part}" should be a date (YYYY-MM-DD) and an optional reason`);
      }
      return match[2] ? { date: match[1]!, reason: match[2] } : { date: match[1]! };
    });
}

/**
 * Builds settings from `base` plus overrides read from configuration (the settings table's JSON or
 * the environment). Each field is checked; an unusable one is refused with its name.
 */
export function calendarSettings(base: CalendarSettings, override: unknown): CalendarSettings {
  if (override === undefined || override === null) return base;
  if (typeof override !== 'object' || Array.isArray(override)) throw new CalendarConfigError('calendar: expected an object');
  const o = override as Record<string, unknown>;
  const result: CalendarSettings = { ...base };
  if (o.timeZone !== undefined) {
    if (typeof o.timeZone !== 'string' || !IANAZone.isValidZone(o.timeZone)) {
      throw new CalendarConfigError(`timeZone: "${String(o.timeZone)}" is not an IANA time zone`);
    }
    result.timeZone = o.timeZone;
  }
  if (o.division !== undefined) {
    if (!isDivision(o.division)) throw new CalendarConfigError(`division: must be one of ${DIVISIONS.join(', ')}`);
    result.division = o.division;
  }
  if (o.openingHours !== undefined) {
    if (typeof o.openingHours === 'string') result.openingHours = parseOpeningHours(o.openingHours);
    else if (typeof o.openingHours === 'object' && o.openingHours !== null) {
      const raw = o.openingHours as Record<string, unknown>;
      const hours = { ...base.openingHours } as Record<Weekday, DaySpans>;
      for (const [key, spans] of Object.entries(raw)) {
        const day = Number(key) as Weekday;
        if (!WEEKDAYS.includes(day) || !Array.isArray(spans)) {
          throw new CalendarConfigError(`openingHours: "${key}" should be a weekday 1–7 with a list of [start, end] minutes`);
        }
        hours[day] = checkSpans(spans as Array<[number, number]>, `openingHours.${key}`);
      }
      result.openingHours = hours;
    } else throw new CalendarConfigError('openingHours: expected text or an object');
  }
  if (o.closures !== undefined) {
    if (typeof o.closures === 'string') result.closures = parseClosures(o.closures);
    else if (Array.isArray(o.closures)) {
      result.closures = o.closures.map((c: unknown) => {
        const closure = c as Closure;
        return parseClosures(`${closure?.date ?? ''}${closure?.reason ? ` ${closure.reason}` : ''}`)[0]!;
      });
    } else throw new CalendarConfigError('closures: expected text or a list');
  }
  if (WEEKDAYS.every((day) => result.openingHours[day].length === 0)) {
    throw new CalendarConfigError('openingHours: the calendar is never open');
  }
  return result;
}

/** Settings from SLA_TIME_ZONE, SLA_DIVISION, SLA_OPENING_HOURS and SLA_CLOSURES, over SLA.md's defaults. */
export function calendarSettingsFromEnv(env: Record<string, string | undefined>): CalendarSettings {
  const fields = { SLA_TIME_ZONE: 'timeZone', SLA_DIVISION: 'division', SLA_OPENING_HOURS: 'openingHours', SLA_CLOSURES: 'closures' };
  let settings = DEFAULT_CALENDAR_SETTINGS;
  for (const [variable, field] of Object.entries(fields)) {
    const value = env[variable]?.trim();
    if (!value) continue;
    try {
      settings = calendarSettings(settings, { [field]: value });
    } catch (error) {
      throw new CalendarConfigError(`${variable}: ${(error as Error).message}`);
    }
  }
  return settings;
}
