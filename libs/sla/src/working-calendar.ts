import { DateTime } from 'luxon';
import type { CalendarSettings, Weekday } from './calendar-settings.js';
import type { Holiday } from './holidays/holiday.js';
import type { HolidayBook } from './holidays/holiday-book.js';
import { HOUR_MS, toMillis, type Instant } from './instant.js';
import { lowerBound, upperBound } from './search.js';

/** What a calendar day is, for explanations and for the desk. */
export type DayKind = { kind: 'open' } | { kind: 'closed' } | { kind: 'bank_holiday'; holiday: Holiday } | { kind: 'closure'; reason?: string };

/** How far past an instant a due time is searched for before the calendar is judged never open. */
const MAX_YEARS_AHEAD = 5;

/**
 * The working-hours clock for one calendar. Working intervals are precomputed a year at a time as
 * sorted epoch-millisecond arrays with the working time accumulated before each, so every question
 * ("when is it due", "how much working time between") is two binary searches, exact to the
 * millisecond, whatever the clock changes and holidays in between.
 */
export class WorkingCalendar {
  private starts = new Float64Array(0);
  private ends = new Float64Array(0);
  /** Working ms from the first covered interval's start to the start (cumStart) and end (cumEnd) of each interval. */
  private cumStart = new Float64Array(0);
  private cumEnd = new Float64Array(0);
  private count = 0;
  private firstYear = 0;
  private lastYear = -1;
  private coverStart = Infinity;
  private coverEnd = -Infinity;
  private readonly yearIntervals = new Map<number, number[]>();
  private readonly closures: Map<string, string | undefined>;

  constructor(
    readonly settings: CalendarSettings,
    readonly holidays: HolidayBook,
  ) {
    this.closures = new Map(settings.closures.map((c) => [c.date, c.reason]));
  }

  /** When a first response is due: `hours` of working time after the clock starts. */
  dueAt(received: Instant, hours = 24): Date {
    return new Date(this.dueAtMs(toMillis(received, 'received'), hours));
  }

  dueAtMs(received: number, hours = 24): number {
    if (!(hours >= 0) || !Number.isFinite(hours)) throw new RangeError(`hours: ${hours} is not a non-negative number`);
    const need = Math.round(hours * HOUR_MS);
    if (need === 0) return this.clockStartMs(received);
    this.cover(received);
    for (let year = this.lastYear; ; ) {
      const target = this.workedBefore(received) + need;
      if (target <= this.cumEnd[this.count - 1]!) {
        // The first interval whose end reaches the target: landing exactly on a closing time gives that closing time.
        const j = lowerBound(this.cumEnd, this.count, target);
        return this.starts[j]! + (target - this.cumStart[j]!);
      }
      if (this.lastYear - year > MAX_YEARS_AHEAD) throw new Error('calendar: no working time found; is it ever open?');
      this.coverYears(this.firstYear, this.lastYear + 1);
      year = Math.min(year, this.lastYear);
    }
  }

  /** Working time from `a` to `b` in ms (negative when b is before a). */
  workingTimeBetween(a: Instant, b: Instant): number {
    const from = toMillis(a, 'from');
    const to = toMillis(b, 'to');
    this.cover(from);
    this.cover(to);
    return this.workedBefore(to) - this.workedBefore(from);
  }

  /** Working time left until `due` at `now`, in ms; negative once breached (by how much working time). */
  workingTimeRemaining(due: Instant, now: Instant): number {
    return this.workingTimeBetween(now, due);
  }

  isOpen(t: Instant): boolean {
    const ms = toMillis(t);
    this.cover(ms);
    const i = upperBound(this.ends, this.count, ms);
    return i < this.count && this.starts[i]! <= ms;
  }

  /** The first opening at or after `t` (the start of a working span). */
  nextOpening(t: Instant): Date {
    return new Date(this.nextOpeningMs(toMillis(t)));
  }

  /** When the clock starts for something received at `t`: t itself if open, else the next opening. */
  clockStart(t: Instant): Date {
    return new Date(this.clockStartMs(toMillis(t)));
  }

  /** What kind of day a local date is in this calendar. */
  dayKind(isoDate: string): DayKind {
    const holiday = this.holidays.lookup(this.settings.division, isoDate);
    const weekday = DateTime.fromISO(isoDate, { zone: this.settings.timeZone }).weekday as Weekday;
    if (this.settings.openingHours[weekday].length === 0) return { kind: 'closed' };
    if (holiday) return { kind: 'bank_holiday', holiday };
    if (this.closures.has(isoDate)) return { kind: 'closure', reason: this.closures.get(isoDate) };
    return { kind: 'open' };
  }

  private nextOpeningMs(ms: number): number {
    this.cover(ms);
    for (;;) {
      const j = lowerBound(this.starts, this.count, ms);
      if (j < this.count) return this.starts[j]!;
      if (this.lastYear - DateTime.fromMillis(ms, { zone: this.settings.timeZone }).year > MAX_YEARS_AHEAD) {
        throw new Error('calendar: no opening found; is it ever open?');
      }
      this.coverYears(this.firstYear, this.lastYear + 1);
    }
  }

  private clockStartMs(ms: number): number {
    return this.isOpen(ms) ? ms : this.nextOpeningMs(ms);
  }

  /** Working ms from the first covered interval up to `ms`; `ms` must be covered. */
  private workedBefore(ms: number): number {
    const i = upperBound(this.ends, this.count, ms);
    if (i === this.count) return this.count === 0 ? 0 : this.cumEnd[this.count - 1]!;
    const into = ms - this.starts[i]!;
    return this.cumStart[i]! + (into > 0 ? into : 0);
  }

  /** Makes sure the year holding `ms` (and the next, so a due time can run over New Year) is precomputed. */
  private cover(ms: number): void {
    if (ms >= this.coverStart && ms < this.coverEnd) return;
    const year = DateTime.fromMillis(ms, { zone: this.settings.timeZone }).year;
    if (this.lastYear < this.firstYear) this.coverYears(year, year + 1);
    else this.coverYears(Math.min(this.firstYear, year), Math.max(this.lastYear, year + 1));
  }

  private coverYears(first: number, last: number): void {
    const spans: number[] = [];
    for (let year = first; year <= last; year++) {
      let intervals = this.yearIntervals.get(year);
      if (!intervals) {
        intervals = this.buildYear(year);
        this.yearIntervals.set(year, intervals);
      }
      for (const value of intervals) spans.push(value);
    }
    const count = spans.length / 2;
    this.starts = new Float64Array(count);
    this.ends = new Float64Array(count);
    this.cumStart = new Float64Array(count);
    this.cumEnd = new Float64Array(count);
    let total = 0;
    for (let i = 0; i < count; i++) {
      const start = spans[2 * i]!;
      const end = spans[2 * i + 1]!;
      this.starts[i] = start;
      this.ends[i] = end;
      this.cumStart[i] = total;
      total += end - start;
      this.cumEnd[i] = total;
    }
    this.count = count;
    this.firstYear = first;
    this.lastYear = last;
    this.coverStart = DateTime.fromObject({ year: first, month: 1, day: 1 }, { zone: this.settings.timeZone }).toMillis();
    this.coverEnd = DateTime.fromObject({ year: last + 1, month: 1, day: 1 }, { zone: this.settings.timeZone }).toMillis();
  }

  /** A year's working intervals as [start, end, start, end, ...] in epoch ms, in order. */
  private buildYear(year: number): number[] {
    const zone = this.settings.timeZone;
    const out: number[] = [];
    for (let day = DateTime.fromObject({ year, month: 1, day: 1 }, { zone }); day.year === year; day = day.plus({ days: 1 })) {
      const spans = this.settings.openingHours[day.weekday as Weekday];
      if (spans.length === 0) continue;
      const iso = day.toISODate()!;
      if (this.closures.has(iso) || this.holidays.lookup(this.settings.division, iso)) continue;
      for (const [startMinute, endMinute] of spans) {
        // Wall-clock times on this date, so a working day keeps its hours across the clock changes.
        const start = day.set({ hour: Math.floor(startMinute / 60), minute: startMinute % 60 }).toMillis();
        const end =
          endMinute === 1440
            ? day.plus({ days: 1 }).startOf('day').toMillis()
            : day.set({ hour: Math.floor(endMinute / 60), minute: endMinute % 60 }).toMillis();
        if (end > start) out.push(start, end);
      }
    }
    return out;
  }
}
