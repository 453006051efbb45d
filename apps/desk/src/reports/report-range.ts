import { DateTime } from 'luxon';
import { z } from 'zod';
import type { ClosedDay, ReportRange } from '@desk/domain';
import type { WorkingCalendar } from '@desk/sla';
import { ApiException } from '../http/api-error.js';
import { parse } from '../http/parse.js';

/** Longer ranges are allowed but capped, so one request can't ask the server for decades of days. */
export const MAX_RANGE_DAYS = 3 * 366;
/** With no range given: the last 13 weeks, this one included. */
const DEFAULT_WEEKS = 13;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const RangeQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() });

export interface ResolvedRange extends ReportRange {
  /** from 00:00 and the day after `to` 00:00, local time: the instants the range covers. */
  start: Date;
  end: Date;
}

/** Reads from/to (local dates, both included) from a query, with defaults and limits. */
export function reportRange(query: unknown, zone: string, now: Date): ResolvedRange {
  const input = parse(RangeQuery, pick(query, ['from', 'to']));
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const to = input.to ? local(input.to, zone, 'to') : today;
  const from = input.from ? local(input.from, zone, 'from') : today.startOf('week').minus({ weeks: DEFAULT_WEEKS - 1 });
  if (from > to) throw new ApiException('invalid', `from (${from.toISODate()}) is after to (${to.toISODate()})`);
  const days = to.diff(from, 'days').days + 1;
  if (days > MAX_RANGE_DAYS) throw new ApiException('invalid', `a report covers at most ${MAX_RANGE_DAYS} days; this range has ${days}`);
  return { from: from.toISODate()!, to: to.toISODate()!, start: from.toJSDate(), end: to.plus({ days: 1 }).toJSDate() };
}

function local(value: string, zone: string, name: string): DateTime {
  const date = DateTime.fromISO(value, { zone });
  if (!date.isValid) throw new ApiException('invalid', `${name}: ${value} is not a date`);
  return date.startOf('day');
}

export function pick(query: unknown, keys: readonly string[]): Record<string, unknown> {
  const source = (query ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined && source[k] !== '').map((k) => [k, source[k]]));
}

/** Every local date in the range, in order. */
export function daysOf(range: ReportRange): string[] {
  const out: string[] = [];
  for (let d = DateTime.fromISO(range.from, { zone: 'utc' }); d.toISODate()! <= range.to; d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  return out;
}

/** First day of every week (Monday) or month that touches the range. */
export function periodsOf(range: ReportRange, period: 'week' | 'month'): string[] {
  const out: string[] = [];
  let d = DateTime.fromISO(range.from, { zone: 'utc' }).startOf(period);
  while (d.toISODate()! <= range.to) {
    out.push(d.toISODate()!);
    d = d.plus(period === 'week' ? { weeks: 1 } : { months: 1 });
  }
  return out;
}

export function periodOf(day: string, period: 'week' | 'month'): string {
  return DateTime.fromISO(day, { zone: 'utc' }).startOf(period).toISODate()!;
}

/** Bank holidays and trust closures on what would be working days, for marking charts. */
export function closedDays(range: ReportRange, calendar: WorkingCalendar): ClosedDay[] {
  const out: ClosedDay[] = [];
  for (const date of daysOf(range)) {
    const kind = calendar.dayKind(date);
    if (kind.kind === 'bank_holiday') out.push({ date, title: kind.holiday.title });
    else if (kind.kind === 'closure') out.push({ date, title: kind.reason ?? 'Trust closure day' });
  }
  return out;
}
