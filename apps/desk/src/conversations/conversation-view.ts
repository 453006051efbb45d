import { Inject, Injectable } from '@nestjs/common';
import type { ConversationView, DeskUser, InboundView, TimelineEntry, TriageReason } from '@desk/domain';
import { ConversationRepository, type ConversationRecord, type ItemRecord } from '@desk/persistence';
import { CalendarSource } from '@desk/runtime';
import { explainDue } from '@desk/sla';
import { notFound } from '../http/api-error.js';
import { slaState } from '../queue/sla-state.js';
import { DESK_SETTINGS, type DeskRuntimeSettings } from '../tokens.js';
import { failureText } from './failure-text.js';
import { Presence } from './presence.js';
import { replyOptions } from './reply-options.js';

/** Stored raw mail is shown to a person only when it couldn't be parsed, and only this much of it. */
const RAW_CAP = 64 * 1024;

/** Builds the conversation page: thread, triage, SLA explanation, contact and who else is here. */
@Injectable()
export class ConversationViews {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly calendars: CalendarSource,
    private readonly presence: Presence,
    @Inject(DESK_SETTINGS) private readonly settings: DeskRuntimeSettings,
  ) {}

  async view(id: string, viewer: DeskUser): Promise<ConversationView> {
    const [record, version] = await Promise.all([this.conversations.load(id), this.conversations.version(id)]);
    if (!record) throw notFound('conversation');
    const calendar = await this.calendars.current();
    const now = new Date();
    const awaiting = record.items.filter((i) => i.dueAt && !i.firstResponseAt && !i.removedAt);
    const earliest = awaiting.sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime())[0];
    let sla: ConversationView['sla'] = null;
    if (earliest) {
      const explained = explainDue(earliest.receivedAt, calendar, this.settings.targetHours);
      const state = slaState(calendar, earliest.dueAt, true, now, this.settings.atRiskMs);
      sla = { dueAt: earliest.dueAt!.toISOString(), text: explained.text, workingMsLeft: state.workingMsLeft ?? 0, sla: state.sla };
    }
    const newest = record.items.filter((i) => i.kind === 'message').at(-1);
    const viewers = (await this.presence.viewers(id).catch(() => [])).filter((v) => v.id !== viewer.id);
    return {
      id: record.id,
      channel: record.channel,
      status: record.status,
      route: record.route,
      priority: record.priority,
      dueAt: record.dueAt?.toISOString() ?? null,
      snoozedUntil: record.snoozedUntil?.toISOString() ?? null,
      assignee: record.assignee,
      author: {
        contactId: record.contact?.id ?? null,
        handle: record.contact?.handle ?? null,
        displayName: record.contact?.displayName ?? null,
        strikes: record.strikes.length,
        flaggedForBlockAt: record.contact?.flaggedForBlockAt?.toISOString() ?? null,
      },
      timeline: timeline(record),
      sla,
      reply: replyOptions(record.channel, (earliest ?? newest)?.id ?? null),
      viewers,
      history: record.history.map((h) => ({
        conversationId: h.id,
        channel: h.channel,
        route: h.route,
        status: h.status,
        lastInboundAt: h.lastInboundAt?.toISOString() ?? null,
        preview: h.preview,
      })),
      strikes: record.strikes.map((s) => ({ id: s.id, at: s.at.toISOString(), reason: s.reason, itemId: s.itemId, by: s.by })),
      version,
    };
  }
}

function timeline(record: ConversationRecord): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...record.items.map(inboundView),
    ...record.outbound.map(
      (o): TimelineEntry => ({
        type: 'outbound',
        id: o.id,
        kind: o.kind,
        channel: o.channel,
        at: o.createdAt.toISOString(),
        itemId: o.itemId,
        body: o.body,
        template: o.template,
        automatic: o.automatic,
        author: o.author,
        status: o.status,
        attempts: o.attempts,
        sentAt: o.sentAt?.toISOString() ?? null,
        failure: o.status === 'failed' ? (failureText(o.error) ?? 'failed') : null,
        reference: o.reference,
        recipient: o.recipient,
      }),
    ),
    ...record.notes.map((n): TimelineEntry => ({ type: 'note', id: n.id, at: n.at.toISOString(), author: n.author, body: n.body })),
    ...record.events.map((e): TimelineEntry => ({ type: 'event', id: e.id, at: e.at.toISOString(), actor: e.actor, action: e.action, details: e.details })),
  ];
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

function inboundView(i: ItemRecord): InboundView {
  return {
    type: 'inbound',
    id: i.id,
    channel: i.channel,
    at: i.receivedAt.toISOString(),
    subject: i.subject,
    body: i.body,
    url: i.url,
    route: i.route,
    flags: i.flags,
    confidence: i.confidence,
    reasons: Array.isArray(i.reasons) ? (i.reasons as TriageReason[]) : [],
    dueAt: i.dueAt?.toISOString() ?? null,
    firstResponseAt: i.firstResponseAt?.toISOString() ?? null,
    firstResponseAutomatic: i.firstResponseAutomatic,
    hiddenAt: i.hiddenAt?.toISOString() ?? null,
    removedAt: i.removedAt?.toISOString() ?? null,
    editedAt: i.editedAt?.toISOString() ?? null,
    parseError: i.parseError,
    raw: i.parseError ? rawText(i.raw) : null,
    reroutedFrom: i.reroutedFrom,
    attachments: i.attachments,
  };
}

/** Unparseable mail is kept as base64 of the original bytes; a person reads it as text. */
function rawText(raw: unknown): string | null {
  const base64 = (raw as { source?: unknown } | null)?.source;
  if (typeof base64 !== 'string') return JSON.stringify(raw).slice(0, RAW_CAP);
  return Buffer.from(base64, 'base64').toString('utf8').slice(0, RAW_CAP);
}
