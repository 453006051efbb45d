import type { Channel } from './channel.js';
import type { Route } from './route.js';

/** What the reports need of one inbound item, read from its rows. */
export interface FactSource {
  itemId: string;
  channel: Channel;
  route: Route | null;
  /** The route triage first gave, when an officer re-routed the item. */
  reroutedFrom: Route | null;
  receivedAt: Date;
  dueAt: Date | null;
  /** The first reply that reached the public, automatic or not (SLA.md's first response). */
  firstResponseAt: Date | null;
  firstResponseAutomatic: boolean | null;
  /** The first reply an officer sent, and who. */
  firstHumanResponseAt: Date | null;
  firstHumanResponderId: string | null;
  /** The first thing a person did with it: a reply, a note, a claim, an assignment. */
  firstHumanTouchAt: Date | null;
  hiddenAt: Date | null;
  /** The conversation's assignee now: who had the item when no officer replied. */
  assigneeId: string | null;
  /** The item's press-office forward, if it was a media enquiry. */
  pressForwardedAt: Date | null;
  pressAnsweredAt: Date | null;
}

/** Routes that owe the public no response: hidden moderation items. They never count as breaches. */
export const NO_RESPONSE_ROUTES: readonly Route[] = ['spam', 'abuse'];

/**
 * One item as the reports count it. Every working-time figure comes from the same WorkingCalendar
 * the queue and triage use, so a report can't disagree with the due time an officer saw.
 */
export interface ItemFact {
  itemId: string;
  channel: Channel;
  route: Route | null;
  reroutedFrom: Route | null;
  receivedAt: Date;
  /** The calendar's local date of arrival (YYYY-MM-DD), for per-day and per-week figures. */
  receivedDay: string;
  /** 0 = Monday 00:00–01:00 local, 167 = Sunday 23:00–24:00. */
  hourOfWeek: number;
  outOfHours: boolean;
  dueAt: Date | null;
  firstResponseAt: Date | null;
  firstResponseAutomatic: boolean | null;
  /** Working ms from arrival to the first response (SLA.md's "working time taken"). */
  responseWorkingMs: number | null;
  /** First response at or before due. Null while unanswered (see `breachedBy`). */
  met: boolean | null;
  firstHumanResponseAt: Date | null;
  firstHumanResponderId: string | null;
  humanResponseWorkingMs: number | null;
  /** The first human reply at or before due, counting only officers' replies. */
  humanMet: boolean | null;
  firstHumanTouchAt: Date | null;
  humanTouchWorkingMs: number | null;
  /** Clock ms from arrival to the first human touch (urgent items are watched round the clock). */
  humanTouchMs: number | null;
  hidden: boolean;
  /** Counts towards compliance: it has a due time and its route owes a response. */
  owed: boolean;
  /** Who had it: the first human responder, else the conversation's assignee. */
  ownerId: string | null;
  pressForwardedAt: Date | null;
  pressAnsweredAt: Date | null;
  /** Working ms from the press forward to the press office marking it answered. */
  pressResponseWorkingMs: number | null;
}
