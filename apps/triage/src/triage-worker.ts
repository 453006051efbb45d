import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { ServiceConfig } from '@desk/config';
import {
  AUTO_CLOSED_ROUTES,
  automaticActions,
  renderTemplate,
  ROUTE_PRIORITY,
  templateFor,
  isRoute,
  type Flag,
  type PlannedAction,
} from '@desk/domain';
import { TriageRepository, TriageSuperseded, type PlannedOutbound, type TriageOutcome, type TriagePlan, type TriageSubject } from '@desk/persistence';
import { typedQueueToken, type TypedQueue } from '@desk/queues';
import { CalendarSource, DeskEvents, SERVICE_CONFIG, type DeskEvent } from '@desk/runtime';
import type { WorkingCalendar } from '@desk/sla';
import { classify, type TriageDecision } from '@desk/triage';
import { TriageSettingsSource, type TriageSettings } from './triage-settings.js';

export type TriageResult =
  | { skipped: string }
  | { route: string; flags: Flag[]; conversationId: string; dueAt: string; outbound: number };

/**
 * One item through triage: classify, set its due time, attach it to its conversation, record the
 * decision with its reasons, and queue the route's automatic actions. Running it twice changes
 * nothing more: outbound rows are keyed per item and action, strikes per item.
 */
@Injectable()
export class TriageWorker {
  constructor(
    private readonly repository: TriageRepository,
    private readonly calendars: CalendarSource,
    private readonly settings: TriageSettingsSource,
    private readonly events: DeskEvents,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(typedQueueToken('outbound')) private readonly outbound: TypedQueue<'outbound'>,
  ) {}

  /** The apply in progress; the next waits for it (see `applying`). */
  private lastApply: Promise<unknown> = Promise.resolve();
  /** Strikes of batches decided but not yet applied, by author: a batch read meanwhile misses them. */
  private readonly strikesInFlight = new Map<string, number>();

  /**
   * Batches are applied one at a time, in the order they were read: each finds the conversations
   * the previous one created and never waits on its locks (or deadlocks with it). Reading,
   * deciding and queueing are not serialised, so the next batch is decided while one is applied.
   */
  private applying<T>(apply: () => Promise<T>): Promise<T> {
    const next = this.lastApply.then(apply, apply);
    this.lastApply = next.catch(() => undefined);
    return next;
  }

  async triage(itemId: string): Promise<TriageResult> {
    const result = (await this.triageMany([itemId])).get(itemId)!;
    if (result instanceof Error) throw result;
    return result;
  }

  /**
   * Several items at once, with the round trips of one: one read of all the items, one statement
   * that applies every decision (each in the order given), one write of their outbound jobs and one
   * of their desk events. Each item's result, or the error that is that item's alone, by id.
   */
  async triageMany(itemIds: string[]): Promise<Map<string, TriageResult | Error>> {
    const ids = [...new Set(itemIds)];
    const results = new Map<string, TriageResult | Error>();
    const [calendar, settings] = await Promise.all([this.calendars.current(), this.settings.current()]);
    const subjects = await this.repository.loadSubjects(ids, this.strikeWindowStart(settings));
    const plans: TriagePlan[] = [];
    const planned = new Map<string, { item: TriageSubject; flags: Flag[] }>();
    const decidedBefore: string[] = [];
    const toDecide: TriageSubject[] = [];
    for (const id of ids) {
      const item = subjects.get(id);
      if (!item) results.set(id, new UnrecoverableError(`item ${id} not found`));
      else if (item.kind !== 'message') results.set(id, { skipped: `an ${item.kind} is recorded, not triaged` });
      else if (item.removedAt) results.set(id, { skipped: 'removed by its author or the platform' });
      else if (item.triagedAt && !(item.editedAt && item.editedAt > item.triagedAt)) {
        // Already decided; make sure its actions are queued (a crash may have come between commit and enqueue).
        decidedBefore.push(id);
        results.set(id, { skipped: 'already triaged' });
      } else toDecide.push(item);
    }
    // The strikes read above miss those this batch and the batch being applied are about to record:
    // an author's earlier abuse in either counts, as it would had the items come one by one.
    toDecide.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : 1));
    const struck = new Map(this.strikesInFlight);
    const batchStrikes = new Map<string, number>();
    for (const item of toDecide) {
      const decision = this.decide(item);
      const contact = item.contactId;
      const unrecorded = contact ? (struck.get(contact) ?? 0) : 0;
      const plan = this.planFor({ ...item, strikes: item.strikes + unrecorded }, decision, calendar, settings);
      if (plan.strike && contact) {
        struck.set(contact, unrecorded + 1);
        batchStrikes.set(contact, (batchStrikes.get(contact) ?? 0) + 1);
      }
      plans.push(plan);
      planned.set(item.id, { item, flags: plan.flags });
    }

    // One order for every batch, so two batches lock the items they share in the same order.
    plans.sort((x, y) => (x.itemId < y.itemId ? -1 : x.itemId > y.itemId ? 1 : 0));
    // Counted by every batch decided from now until these are committed (or given up).
    for (const [contact, n] of batchStrikes) this.strikesInFlight.set(contact, (this.strikesInFlight.get(contact) ?? 0) + n);
    let outcomes: Array<TriageOutcome | Error>;
    try {
      outcomes = await this.applying(() => this.repository.applyMany(plans));
    } finally {
      for (const [contact, n] of batchStrikes) {
        const left = (this.strikesInFlight.get(contact) ?? 0) - n;
        if (left > 0) this.strikesInFlight.set(contact, left);
        else this.strikesInFlight.delete(contact);
      }
    }
    const toQueue: string[] = [];
    const events: DeskEvent[] = [];
    plans.forEach((plan, i) => {
      const outcome = outcomes[i]!;
      const { item, flags } = planned.get(plan.itemId)!;
      if (outcome instanceof TriageSuperseded && outcome.reason === 'decided') {
        // Another run decided this very text first: it stands, and its actions are queued (job ids dedupe).
        decidedBefore.push(plan.itemId);
        results.set(plan.itemId, { skipped: 'decided meanwhile by another run' });
      } else if (outcome instanceof Error) {
        // Edited meanwhile: the retry reads the new text (or finds the edit's own job decided it).
        results.set(plan.itemId, outcome);
      } else {
        toQueue.push(...outcome.pendingOutbound);
        events.push({ type: 'item.triaged', itemId: plan.itemId, conversationId: outcome.conversationId, route: plan.route });
        if (outcome.flaggedForBlock && item.contactId) events.push({ type: 'contact.flagged_for_blocking', contactId: item.contactId });
        results.set(plan.itemId, {
          route: plan.route,
          flags,
          conversationId: outcome.conversationId,
          dueAt: plan.dueAt.toISOString(),
          outbound: outcome.pendingOutbound.length,
        });
      }
    });
    if (decidedBefore.length) for (const pending of (await this.repository.pendingOutboundOf(decidedBefore)).values()) toQueue.push(...pending);
    await this.queue(toQueue);
    await this.events.publishAll(events);
    return results;
  }

  /**
   * An officer's re-route: the item takes the new route as if triage had chosen it, with the
   * officer's reason as the decision's reason, so the route's automatic actions follow.
   */
  async reroute(itemId: string, route: string, reason: string): Promise<TriageResult> {
    if (!isRoute(route)) throw new UnrecoverableError(`"${route}" is not a route`);
    const item = await this.repository.loadSubject(itemId, this.strikeWindowStart(await this.settings.current()));
    if (!item) throw new UnrecoverableError(`item ${itemId} not found`);
    const classified = this.decide(item);
    return this.applyDecision(
      itemId,
      item,
      { route, flags: classified.flags, confidence: 1, reasons: [{ signal: 're-routed by an officer', evidence: [reason.slice(0, 500)] }] },
      true,
    );
  }

  private async applyDecision(itemId: string, item: TriageSubject, decision: TriageDecision, reroute = false): Promise<TriageResult> {
    const [calendar, settings] = await Promise.all([this.calendars.current(), this.settings.current()]);
    const plan = this.planFor(item, decision, calendar, settings, reroute);
    const outcome = await this.repository.apply(plan);
    await this.queue(outcome.pendingOutbound);
    const events: DeskEvent[] = [{ type: 'item.triaged', itemId, conversationId: outcome.conversationId, route: decision.route }];
    if (outcome.flaggedForBlock && item.contactId) events.push({ type: 'contact.flagged_for_blocking', contactId: item.contactId });
    await this.events.publishAll(events);
    return { route: decision.route, flags: plan.flags, conversationId: outcome.conversationId, dueAt: plan.dueAt.toISOString(), outbound: outcome.pendingOutbound.length };
  }

  private strikeWindowStart(settings: TriageSettings): Date {
    return new Date(Date.now() - settings.strikeWindowDays * 86_400_000);
  }

  /** The decision as a plan for the repository: due time, flags, conversation rules, strike and outbound rows. */
  private planFor(item: TriageSubject, decision: TriageDecision, calendar: WorkingCalendar, settings: TriageSettings, reroute = false): TriagePlan {
    const dueAt = calendar.dueAt(item.receivedAt, this.config.sla.targetHours);
    const flags = new Set<Flag>(decision.flags);
    if (!calendar.isOpen(item.receivedAt)) flags.add('out_of_hours');
    if (item.strikes > 0) flags.add('repeat_offender');
    const flagList = [...flags];
    const actions = automaticActions(decision.route, flagList, item.channel);
    return {
      itemId: item.id,
      route: decision.route,
      flags: flagList,
      confidence: decision.confidence,
      reasons: decision.reasons,
      dueAt,
      priority: ROUTE_PRIORITY[decision.route],
      closeConversation: AUTO_CLOSED_ROUTES.includes(decision.route) && !flags.has('pii'),
      autoRoutes: AUTO_CLOSED_ROUTES,
      windowHours: settings.conversationWindowHours,
      reroute,
      strike:
        decision.route === 'abuse'
          ? {
              reason: `abuse: ${decision.reasons.map((r) => r.signal).join(', ')}`.slice(0, 500),
              windowDays: settings.strikeWindowDays,
              toFlag: settings.strikesToFlag,
            }
          : undefined,
      outbound: actions.map((action) => this.outboundFor(item.id, item, action, settings)),
      // An officer's re-route applies whatever triage did meanwhile; a triage run must not undo it.
      seen: reroute ? undefined : { triagedAt: item.triagedAt, editedAt: item.editedAt },
    };
  }

  private decide(item: TriageSubject): TriageDecision {
    const decision = classify({
      channel: item.channel,
      author: item.authorName ?? '',
      subject: item.subject ?? undefined,
      text: item.body,
      history: item.history,
    });
    // A message we could not read goes to a person whatever its words seemed to say, unless they were urgent.
    if (item.parseError && decision.route !== 'urgent_safety') {
      return {
        ...decision,
        route: 'general',
        confidence: 0,
        reasons: [{ signal: 'unreadable message: a person checks it', evidence: [item.parseError.slice(0, 200)] }, ...decision.reasons],
      };
    }
    return decision;
  }

  private outboundFor(itemId: string, item: TriageSubject, action: PlannedAction, settings: TriageSettings): PlannedOutbound {
    const body = action.template ? renderTemplate(templateFor(settings.templates, action.template, item.channel), settings.trust) : undefined;
    const recipient =
      action.kind === 'press_forward' ? settings.trust.press_office_email || null : action.kind === 'alert' ? settings.trust.on_duty_email || null : null;
    return { idempotencyKey: `${itemId}:${action.key}`, kind: action.kind, channel: action.channel, template: action.template, body, recipient };
  }

  /** The outbound jobs, in one write to Redis; job ids come from the row ids, so a repeat is no new job. */
  private async queue(outboundIds: string[]): Promise<void> {
    await Promise.all(outboundIds.map((outboundId) => this.outbound.enqueueSoon('outbound.send', { v: 1, outboundId }, { key: outboundId })));
  }
}
