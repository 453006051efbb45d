import { DateTime } from 'luxon';
import { HOUR_MS, toMillis, type Instant } from './instant.js';
import type { WorkingCalendar } from './working-calendar.js';

export type ExplanationStep =
  | { kind: 'received'; at: string }
  | { kind: 'clock_start'; at: string }
  | { kind: 'work'; date: string; ms: number }
  | { kind: 'bank_holiday'; date: string; title: string; substitute: boolean }
  | { kind: 'closure'; date: string; reason?: string }
  | { kind: 'due'; at: string };

export interface DueExplanation {
  due: Date;
  hours: number;
  steps: ExplanationStep[];
  /** The steps in words, e.g. "received Thu 24 Dec 16:30 → 0.5 h Thu; Fri 25 Dec bank holiday (Christmas Day); … → due Thu 31 Dec 16:30". */
  text: string;
}

function local(ms: number, zone: string): DateTime {
  return DateTime.fromMillis(ms, { zone });
}

function when(ms: number, zone: string): string {
  const t = local(ms, zone);
  return t.toFormat(t.second || t.millisecond ? 'ccc d LLL HH:mm:ss' : 'ccc d LLL HH:mm', { locale: 'en-GB' });
}

function day(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat('ccc d LLL', { locale: 'en-GB' });
}

/** 1800000 ms → "0.5 h"; up to two decimals, no trailing zeros. */
export function formatHours(ms: number): string {
  return `${Number((ms / HOUR_MS).toFixed(2))} h`;
}

/**
 * Why an item is due when it is, day by day: working time counted on each working day, and each
 * bank holiday or closure skipped (weekends and other closed days are passed over silently).
 */
export function explainDue(calendar: WorkingCalendar, received: Instant, hours = 24): DueExplanation {
  const zone = calendar.settings.timeZone;
  const receivedMs = toMillis(received, 'received');
  const due = calendar.dueAt(receivedMs, hours);
  const dueMs = due.getTime();
  const steps: ExplanationStep[] = [{ kind: 'received', at: new Date(receivedMs).toISOString() }];
  const parts: string[] = [];
  const start = calendar.clockStart(receivedMs).getTime();
  if (start !== receivedMs) {
    steps.push({ kind: 'clock_start', at: new Date(start).toISOString() });
    parts.push(`clock starts ${when(start, zone)}`);
  }
  for (let d = local(receivedMs, zone).startOf('day'); d.toMillis() <= dueMs; d = d.plus({ days: 1 })) {
    const iso = d.toISODate()!;
    const kind = calendar.dayKind(iso);
    if (kind.kind === 'bank_holiday') {
      const substitute = /substitute/i.test(kind.holiday.notes);
      steps.push({ kind: 'bank_holiday', date: iso, title: kind.holiday.title, substitute });
      parts.push(`${day(iso, zone)} bank holiday (${kind.holiday.title}${substitute ? ', substitute day' : ''})`);
    } else if (kind.kind === 'closure') {
      steps.push({ kind: 'closure', date: iso, ...(kind.reason ? { reason: kind.reason } : {}) });
      parts.push(`${day(iso, zone)} closed${kind.reason ? ` (${kind.reason})` : ''}`);
    } else if (kind.kind === 'open') {
      const from = Math.max(d.toMillis(), receivedMs);
      const to = Math.min(d.plus({ days: 1 }).startOf('day').toMillis(), dueMs);
      const ms = to > from ? calendar.workingTimeBetween(from, to) : 0;
      if (ms > 0) {
        steps.push({ kind: 'work', date: iso, ms });
        parts.push(`${formatHours(ms)} ${d.toFormat('ccc', { locale: 'en-GB' })}`);
      }
    }
  }
  steps.push({ kind: 'due', at: due.toISOString() });
  const text = `received ${when(receivedMs, zone)} → ${parts.join('; ')} → due ${when(dueMs, zone)}`;
  return { due, hours, steps, text };
}
