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
import { TriageRepository, TriageSuperseded, type PlannedOutbound, type TriageSubject } from '@desk/persistence';
import { typedQueueToken, type TypedQueue } from '@desk/queues';
import { CalendarSource, DeskEvents, SERVICE_CONFIG } from '@desk/runtime';
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

  async triage(itemId: string): Promise<TriageResult> {
    const item = await this.repository.loadSubject(itemId);
    if (!item) throw new UnrecoverableError(`item ${itemId} not found`);
    if (item.kind !== 'message') return { skipped: `an ${item.kind} is recorded, not triaged` };
    if (item.removedAt) return { skipped: 'removed by its author or the platform' };
    if (item.triagedAt && !(item.editedAt && item.editedAt > item.triagedAt)) {
      // Already decided; make sure its actions are queued (a crash may have come between commit and enqueue).
      await this.queue(await this.repository.pendingOutbound(itemId));
      return { skipped: 'already triaged' };
    }

    return this.applyDecision(itemId, item, this.decide(item));
  }

  /**
   * An officer's re-route: the item takes the new route as if triage had chosen it, with the
   * officer's reason as the decision's reason, so the route's automatic actions follow.
   */
  async reroute(itemId: string, route: string, reason: string): Promise<TriageResult> {
    if (!isRoute(route)) throw new UnrecoverableError(`"${route}" is not a route`);
    const item = await this.repository.loadSubject(itemId);
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
    const calendar = await this.calendars.current();
    const dueAt = calendar.dueAt(item.receivedAt, this.config.sla.targetHours);
    const settings = await this.settings.current();
    const flags = new Set<Flag>(decision.flags);
    if (!calendar.isOpen(item.receivedAt)) flags.add('out_of_hours');
    const strikeSince = new Date(Date.now() - settings.strikeWindowDays * 86_400_000);
    if (item.contactId && (await this.repository.strikesSince(item.contactId, strikeSince)) > 0) flags.add('repeat_offender');

    const flagList = [...flags];
    const actions = automaticActions(decision.route, flagList, item.channel);
    const plan = {
      itemId,
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
      outbound: actions.map((action) => this.outboundFor(itemId, item, action, settings)),
      // An officer's re-route applies whatever triage did meanwhile; a triage run must not undo it.
      seen: reroute ? undefined : { triagedAt: item.triagedAt, editedAt: item.editedAt },
    };
    let outcome;
    try {
      outcome = await this.repository.apply(plan);
    } catch (error) {
      if (!(error instanceof TriageSuperseded)) throw error;
      // Another run decided this very text first: it stands, and its actions are queued (job ids dedupe).
      if (error.reason === 'decided') {
        await this.queue(await this.repository.pendingOutbound(itemId));
        return { skipped: 'decided meanwhile by another run' };
      }
      // Edited meanwhile: the retry reads the new text (or finds the edit's own job decided it).
      throw error;
    }
    await this.queue(outcome.pendingOutbound);
    await this.events.publish({ type: 'item.triaged', itemId, conversationId: outcome.conversationId, route: decision.route });
    if (outcome.flaggedForBlock && item.contactId) await this.events.publish({ type: 'contact.flagged_for_blocking', contactId: item.contactId });
    return { route: decision.route, flags: flagList, conversationId: outcome.conversationId, dueAt: dueAt.toISOString(), outbound: outcome.pendingOutbound.length };
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

  private async queue(outboundIds: string[]): Promise<void> {
    for (const outboundId of outboundIds) await this.outbound.enqueue('outbound.send', { v: 1, outboundId }, { key: outboundId });
  }
}
