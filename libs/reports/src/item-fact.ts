import { DateTime } from 'luxon';
import { NO_RESPONSE_ROUTES, type FactSource, type ItemFact } from '@desk/domain';
import type { WorkingCalendar } from '@desk/sla';

export function itemFact(source: FactSource, calendar: WorkingCalendar): ItemFact {
  const zone = calendar.settings.timeZone;
  const local = DateTime.fromJSDate(source.receivedAt, { zone });
  // Clocks disagree (a platform's created_at against ours): a response stamped before its item
  // counts as immediate, never as negative time that would poison a median.
  const between = (from: Date, to: Date) => Math.max(0, calendar.workingTimeBetween(from, to));
  const working = (at: Date | null) => (at ? between(source.receivedAt, at) : null);
  const onTime = (at: Date | null) => (at && source.dueAt ? at.getTime() <= source.dueAt.getTime() : null);
  return {
    itemId: source.itemId,
    channel: source.channel,
    route: source.route,
    reroutedFrom: source.reroutedFrom,
    receivedAt: source.receivedAt,
    receivedDay: local.toISODate()!,
    hourOfWeek: (local.weekday - 1) * 24 + local.hour,
    outOfHours: !calendar.isOpen(source.receivedAt),
    dueAt: source.dueAt,
    firstResponseAt: source.firstResponseAt,
    firstResponseAutomatic: source.firstResponseAutomatic,
    responseWorkingMs: working(source.firstResponseAt),
    met: onTime(source.firstResponseAt),
    firstHumanResponseAt: source.firstHumanResponseAt,
    firstHumanResponderId: source.firstHumanResponderId,
    humanResponseWorkingMs: working(source.firstHumanResponseAt),
    humanMet: onTime(source.firstHumanResponseAt),
    firstHumanTouchAt: source.firstHumanTouchAt,
    humanTouchWorkingMs: working(source.firstHumanTouchAt),
    humanTouchMs: source.firstHumanTouchAt ? Math.max(0, source.firstHumanTouchAt.getTime() - source.receivedAt.getTime()) : null,
    hidden: source.hiddenAt !== null,
    owed: source.dueAt !== null && !(source.route !== null && NO_RESPONSE_ROUTES.includes(source.route)),
    ownerId: source.firstHumanResponderId ?? source.assigneeId,
    pressForwardedAt: source.pressForwardedAt,
    pressAnsweredAt: source.pressAnsweredAt,
    pressResponseWorkingMs:
      source.pressForwardedAt && source.pressAnsweredAt ? between(source.pressForwardedAt, source.pressAnsweredAt) : null,
  };
}

/** SLA.md: breached when answered after due, or unanswered and now past due. */
export function isBreached(fact: Pick<ItemFact, 'dueAt' | 'firstResponseAt'>, now: Date): boolean {
  if (!fact.dueAt) return false;
  if (fact.firstResponseAt) return fact.firstResponseAt.getTime() > fact.dueAt.getTime();
  return now.getTime() > fact.dueAt.getTime();
}
