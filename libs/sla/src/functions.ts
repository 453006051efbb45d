import { defaultCalendar } from './defaults.js';
import { explainDue as explain, type DueExplanation } from './explain.js';
import type { Instant } from './instant.js';
import type { WorkingCalendar } from './working-calendar.js';

// The SLA.md interface as plain functions; the calendar defaults to SLA.md's own.

export function dueAt(received: Instant, calendar: WorkingCalendar = defaultCalendar(), hours = 24): Date {
  return calendar.dueAt(received, hours);
}

/** Working time from a to b, in ms. */
export function workingTimeBetween(a: Instant, b: Instant, calendar: WorkingCalendar = defaultCalendar()): number {
  return calendar.workingTimeBetween(a, b);
}

/** Working time left before `due` at `now`, in ms; negative once breached. */
export function workingTimeRemaining(due: Instant, now: Instant, calendar: WorkingCalendar = defaultCalendar()): number {
  return calendar.workingTimeRemaining(due, now);
}

export function nextOpening(t: Instant, calendar: WorkingCalendar = defaultCalendar()): Date {
  return calendar.nextOpening(t);
}

export function isOpen(t: Instant, calendar: WorkingCalendar = defaultCalendar()): boolean {
  return calendar.isOpen(t);
}

export function explainDue(received: Instant, calendar: WorkingCalendar = defaultCalendar(), hours = 24): DueExplanation {
  return explain(calendar, received, hours);
}
