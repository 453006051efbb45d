import type { ReportCut, ReportPeriod } from '@desk/domain';

/*
 * Report ranges are London calendar dates (YYYY-MM-DD, both ends included), as the server counts
 * them. Dates are moved about as UTC midnights: a calendar date has no zone, and UTC has no
 * clock changes to skip an hour over.
 */

const DAY_MS = 86_400_000;
const LONDON_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });

/** Today in London, whatever zone the browser is in: the trust's day, as the SLA clock's. */
export function londonToday(now: Date = new Date()): string {
  return LONDON_DAY.format(now);
}

/** A real date written as YYYY-MM-DD (not 2025-02-30). */
export function isDay(value: string | null | undefined): value is string {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const toDate = (day: string) => new Date(`${day}T00:00:00Z`);
const toDay = (date: Date) => date.toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  return toDay(new Date(toDate(day).getTime() + days * DAY_MS));
}

/** 0 = Monday … 6 = Sunday, as the server's weeks and heatmap count them. */
export function weekdayOf(day: string): number {
  return (toDate(day).getUTCDay() + 6) % 7;
}

function firstOfMonth(day: string, monthsBack = 0): string {
  const date = toDate(day);
  return toDay(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - monthsBack, 1)));
}

/** Days in the range, both ends counted. */
export function daysIn(range: DateRange): number {
  return Math.round((toDate(range.to).getTime() - toDate(range.from).getTime()) / DAY_MS) + 1;
}

export interface DateRange {
  from: string;
  to: string;
}

export type PresetKey = 'last-4-weeks' | 'last-13-weeks' | 'last-12-months' | 'this-month' | 'last-month';

/** The quick ranges. Weeks and months are whole ones, so weekly and monthly figures compare like with like. */
export const PRESETS: ReadonlyArray<{ key: PresetKey; label: string; hint: string }> = [
  { key: 'last-4-weeks', label: 'Last 4 weeks', hint: 'the 4 full weeks (Monday to Sunday) before this one' },
  { key: 'last-13-weeks', label: 'Last 13 weeks', hint: 'the 13 full weeks (Monday to Sunday) before this one' },
  { key: 'last-12-months', label: 'Last 12 months', hint: 'the 12 full months before this one' },
  { key: 'this-month', label: 'This month', hint: 'from the 1st of this month to today' },
  { key: 'last-month', label: 'Last month', hint: 'the whole of last month' },
];

function lastFullWeeks(weeks: number, today: string): DateRange {
  // The Sunday before this week's Monday.
  const to = addDays(today, -weekdayOf(today) - 1);
  return { from: addDays(to, -7 * weeks + 1), to };
}

export function presetRange(key: PresetKey, today: string = londonToday()): DateRange {
  switch (key) {
    case 'last-4-weeks':
      return lastFullWeeks(4, today);
    case 'last-13-weeks':
      return lastFullWeeks(13, today);
    case 'last-12-months':
      return { from: firstOfMonth(today, 12), to: addDays(firstOfMonth(today), -1) };
    case 'this-month':
      return { from: firstOfMonth(today), to: today };
    case 'last-month':
      return { from: firstOfMonth(today, 1), to: addDays(firstOfMonth(today), -1) };
  }
}

/** The server's own default, so a bare /reports shows what the API would. */
export const DEFAULT_PRESET: PresetKey = 'last-13-weeks';

/* ---- The report's state in the address: a link reproduces the report ---- */

export const PERIODS: readonly ReportPeriod[] = ['week', 'month'];
export const CUTS: readonly ReportCut[] = ['channel', 'route', 'officer', 'team'];

export interface ReportParams extends DateRange {
  period: ReportPeriod;
  by: ReportCut;
  /** The SLA headline with automatic replies counted (the default) or left out. */
  automatic: boolean;
}

/** Changes the report's settings by changing the address; typing replaces, choosing adds a history entry. */
export type SetParams = (changes: Partial<ReportParams>, options?: { replace?: boolean }) => void;

/** What each report page is given by the reports frame. */
export interface ReportPageProps {
  params: ReportParams;
  setParams: SetParams;
}

export interface ReadParams {
  params: ReportParams;
  /** False when the address lacked (or garbled) something the page filled in: write it back. */
  complete: boolean;
  /** From after To: nothing to ask the server for. */
  invalid: boolean;
}

/** What the query says, with the defaults filled in for what it doesn't. */
export function readParams(search: URLSearchParams, options: { needsCut: boolean }, today: string = londonToday()): ReadParams {
  const from = search.get('from');
  const to = search.get('to');
  const period = search.get('period');
  const by = search.get('by');
  const rangeGiven = isDay(from) && isDay(to);
  const range = rangeGiven ? { from, to } : presetRange(DEFAULT_PRESET, today);
  const periodGiven = (PERIODS as readonly string[]).includes(period ?? '');
  const byGiven = (CUTS as readonly string[]).includes(by ?? '');
  return {
    params: {
      ...range,
      period: periodGiven ? (period as ReportPeriod) : 'week',
      by: byGiven ? (by as ReportCut) : 'channel',
      automatic: search.get('automatic') !== 'exclude',
    },
    complete: rangeGiven && (!options.needsCut || (periodGiven && byGiven)),
    invalid: range.from > range.to,
  };
}

/**
 * The query string with `changes` made. Other settings are kept, so moving between reports keeps
 * the SLA page's cut and period for the way back.
 */
export function withParams(search: URLSearchParams, changes: Partial<ReportParams>): string {
  const next = new URLSearchParams(search);
  for (const key of ['from', 'to', 'period', 'by'] as const) {
    const value = changes[key];
    if (value !== undefined) next.set(key, value);
  }
  if (changes.automatic === true) next.delete('automatic');
  if (changes.automatic === false) next.set('automatic', 'exclude');
  const text = next.toString();
  return text ? `?${text}` : '';
}
