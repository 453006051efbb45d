import {
  bundledHolidayLists,
  calendarSettings,
  HolidayBook,
  parseGovUkHolidays,
  WorkingCalendar,
  type CalendarSettings,
  type RuleUsedListener,
} from '@desk/sla';

/** Settings-table keys the calendar reads. */
export const CALENDAR_SETTING = 'sla.calendar';
export const BANK_HOLIDAYS_SETTING = 'sla.bank_holidays';

export interface CalendarSourceOptions {
  /** The calendar from the environment (SLA_* variables over SLA.md's defaults). */
  base: CalendarSettings;
  readSetting: (key: string) => Promise<unknown>;
  /** Told when a stored setting cannot be used (the environment's calendar is used instead). */
  onProblem: (message: string) => void;
  onRuleUsed?: RuleUsedListener;
  /** How long a calendar is trusted before the settings table is read again. */
  ttlMs?: number;
}

/**
 * The working calendar every due time comes from: the environment's settings, overridden by the
 * settings table, re-read at most every `ttlMs`. The precomputed calendar is kept while the stored
 * settings are unchanged, so asking is cheap.
 */
export class CalendarSource {
  private cached?: { key: string; calendar: WorkingCalendar };
  private checkedAt = -Infinity;
  private pending?: Promise<WorkingCalendar>;

  constructor(private readonly options: CalendarSourceOptions) {}

  async current(): Promise<WorkingCalendar> {
    const ttl = this.options.ttlMs ?? 60_000;
    if (this.cached && performance.now() - this.checkedAt < ttl) return this.cached.calendar;
    this.pending ??= this.reload().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forget the cached calendar, e.g. after an officer changes the settings. */
  invalidate(): void {
    this.checkedAt = -Infinity;
  }

  private async reload(): Promise<WorkingCalendar> {
    const [storedCalendar, storedHolidays] = await Promise.all([
      this.options.readSetting(CALENDAR_SETTING),
      this.options.readSetting(BANK_HOLIDAYS_SETTING),
    ]);
    const key = JSON.stringify([storedCalendar ?? null, storedHolidays ?? null]);
    this.checkedAt = performance.now();
    if (this.cached?.key === key) return this.cached.calendar;

    let settings = this.options.base;
    try {
      settings = calendarSettings(this.options.base, storedCalendar);
    } catch (error) {
      this.options.onProblem(`setting "${CALENDAR_SETTING}" cannot be used (${(error as Error).message}); using the environment's calendar`);
    }
    let lists = bundledHolidayLists();
    if (storedHolidays !== undefined && storedHolidays !== null) {
      try {
        lists = parseGovUkHolidays(storedHolidays);
      } catch (error) {
        this.options.onProblem(`setting "${BANK_HOLIDAYS_SETTING}" cannot be used (${(error as Error).message}); using the shipped list`);
      }
    }
    const calendar = new WorkingCalendar(settings, new HolidayBook(lists, this.options.onRuleUsed));
    this.cached = { key, calendar };
    return calendar;
  }
}
