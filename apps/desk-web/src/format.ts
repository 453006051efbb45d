import type { ConversationStatus, Flag, OutboundKind, OutboundStatus, PressStatus, Role, SlaState } from '@desk/domain';

/*
 * Words for the desk's codes, and times as people read them. The Record types make the compiler
 * fail here when the domain gains a channel, route or status nobody has named yet.
 */

// Channel and route words are shared with the server's reports and CSV files.
export { CHANNEL_LABELS, ROUTE_LABELS } from '@desk/domain';

export const FLAG_LABELS: Record<Flag, string> = {
  pii: 'Personal data',
  out_of_hours: 'Out of hours',
  repeat_offender: 'Repeat offender',
};

export const STATUS_LABELS: Record<ConversationStatus, string> = {
  open: 'Open',
  snoozed: 'Snoozed',
  closed: 'Closed',
};

export const OUTBOUND_STATUS_LABELS: Record<OutboundStatus, string> = {
  pending: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
};

export const OUTBOUND_KIND_LABELS: Record<OutboundKind, string> = {
  reply: 'Reply',
  direct_message: 'Direct message',
  hide: 'Hide',
  unhide: 'Unhide',
  press_forward: 'Forward to press office',
  email: 'Email reply',
  alert: 'On-duty alert',
};

export const PRESS_STATUS_LABELS: Record<PressStatus, string> = {
  new: 'New',
  in_progress: 'In progress',
  answered: 'Answered',
};

export const ROLE_LABELS: Record<Role, string> = {
  officer: 'Officer',
  manager: 'Manager',
  press: 'Press office',
  admin: 'Admin',
};

export const SLA_LABELS: Record<SlaState, string> = {
  ok: 'On time',
  at_risk: 'At risk',
  breached: 'Breached',
  answered: 'Answered',
  none: 'Nothing due',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "3h 20m", "45m", "1h 05m": hours and minutes, minutes padded once there are hours. */
export function formatHoursMinutes(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / MINUTE);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m}m` : `${h}h ${String(m).padStart(2, '0')}m`;
}

/**
 * Working time to due: "3h 20m left", or "breached 1h 05m" once past. Working hours are 09:00–17:00,
 * so days would mislead; the clock is always in hours.
 */
export function formatWorkingMs(ms: number): string {
  return ms >= 0 ? `${formatHoursMinutes(ms)} left` : `breached ${formatHoursMinutes(ms)}`;
}

/** Wall-clock time since: "just now", "12m ago", "3h 05m ago", "2d 4h ago". */
export function formatAgo(iso: string | null, now: number): string {
  if (!iso) return '—';
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return '—';
  if (ms < MINUTE) return 'just now';
  if (ms < DAY) return `${formatHoursMinutes(ms)} ago`;
  return `${Math.floor(ms / DAY)}d ${Math.floor((ms % DAY) / HOUR)}h ago`;
}

// The trust works on London time whatever the browser says, as the SLA clock does.
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' });
const TIME = new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone: 'Europe/London' });
const DAY_KEY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });

export function formatDateTime(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : DATE_TIME.format(date);
}

/** Time only for today, date and time otherwise. */
export function formatWhen(iso: string | null, now: number): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return DAY_KEY.format(date) === DAY_KEY.format(new Date(now)) ? TIME.format(date) : DATE_TIME.format(date);
}

/** A `datetime-local` value (browser's zone) to an ISO instant, or null when empty or invalid. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** An instant as a `datetime-local` value in the browser's zone. */
export function isoToLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "urgent_safety" → "urgent safety", "conversation.claimed" → "conversation claimed". */
export function humanise(code: string): string {
  return code.replace(/[._]+/g, ' ').trim();
}

export function percent(confidence: number | null): string {
  return confidence === null ? '—' : `${Math.round(confidence * 100)}%`;
}

/* ---- Reports ---- */

/** A share as a percentage with one decimal ("87.5%"); "—" when there is nothing to share. */
export function formatShare(share: number | null): string {
  return share === null || !Number.isFinite(share) ? '—' : `${(share * 100).toFixed(1)}%`;
}

const COUNT = new Intl.NumberFormat('en-GB');

export function formatCount(n: number | null): string {
  return n === null ? '—' : COUNT.format(n);
}

/**
 * A working-time figure in hours and minutes, "3 h 15 m", "45 m", "8 h": report durations are steps
 * that end on whole minutes, so seconds would be noise; "—" when there is no figure.
 */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const minutes = Math.round(Math.abs(ms) / MINUTE);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} m`;
  return m === 0 ? `${h} h` : `${h} h ${m} m`;
}

/*
 * Report dates are London calendar dates (YYYY-MM-DD), not instants: they are read and shown at
 * noon UTC, which is the same date in every zone the desk could be opened in.
 */
const dateOf = (day: string) => new Date(`${day}T12:00:00Z`);
const DAY_LONG = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const DAY_SHORT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const DAY_MEDIUM = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "Mon 6 Oct 2025". */
export function formatDay(day: string): string {
  return DAY_LONG.format(dateOf(day));
}

/** "6 Oct 2025". */
export function formatDate(day: string): string {
  return DAY_MEDIUM.format(dateOf(day));
}

/** "6 Oct", for chart axes. */
export function formatDayShort(day: string): string {
  return DAY_SHORT.format(dateOf(day));
}

/** A period by its first day: "w/c 6 Oct 2025" for a week, "Oct 2025" for a month. */
export function formatPeriod(start: string, period: 'week' | 'month', short = false): string {
  if (period === 'month') return MONTH.format(dateOf(start));
  return `w/c ${short ? DAY_SHORT.format(dateOf(start)) : DAY_MEDIUM.format(dateOf(start))}`;
}
