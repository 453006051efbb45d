import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { canHide, ROUTES, signedReplyText, xLength, X_MAX_CHARACTERS, type DeskUser, type ReplyConflict } from '@desk/domain';
import { ConversationRepository, DeskActionsRepository, SettingsRepository } from '@desk/persistence';
import { typedQueueToken, type TypedQueue } from '@desk/queues';
import { DeskEvents } from '@desk/runtime';
import { CurrentUser } from '../auth/current-user.js';
import { Roles, WORKERS } from '../auth/roles.js';
import { ApiException, notFound } from '../http/api-error.js';
import { parse } from '../http/parse.js';
import { offencesCsv } from './offences-csv.js';
import { replyRoute } from './reply-options.js';

const Uuid = new ParseUUIDPipe();
const ReplyBody = z.object({
  text: z.string().trim().min(1).max(20_000),
  itemId: z.uuid().optional(),
  visibility: z.enum(['public', 'private']),
  template: z.string().max(100).optional(),
  basedOn: z.iso.datetime({ offset: true }),
  force: z.boolean().optional(),
});
const ReasonBody = z.object({ reason: z.string().trim().min(3).max(500) });
const RerouteBody = z.object({ route: z.enum(ROUTES), reason: z.string().trim().min(3).max(500) });

/** Replies, moderation and re-routing: the actions that reach a provider or change an item. */
@Controller('api')
export class ItemActionsController {
  constructor(
    private readonly actions: DeskActionsRepository,
    private readonly conversations: ConversationRepository,
    private readonly settings: SettingsRepository,
    private readonly events: DeskEvents,
    @Inject(typedQueueToken('outbound')) private readonly outbound: TypedQueue<'outbound'>,
    @Inject(typedQueueToken('triage')) private readonly triage: TypedQueue<'triage'>,
  ) {}

  @Post('conversations/:id/replies')
  @Roles(...WORKERS)
  @HttpCode(202)
  async reply(@Param('id', Uuid) id: string, @Body() body: unknown, @CurrentUser() user: DeskUser, @Res({ passthrough: true }) res: Response) {
    const input = parse(ReplyBody, body);
    const target = await this.conversations.replyTarget(id, input.itemId);
    if (!target) throw notFound(input.itemId ? 'item in this conversation' : 'conversation');
    const route = replyRoute(target.channel, input.visibility);
    if (!route) throw new ApiException('invalid', `visibility: a ${input.visibility} reply isn't possible on ${target.channel}`);
    const text = signedReplyText(input.text, user.initials, target.channel);
    if (route.kind === 'reply' && target.channel === 'x' && xLength(text) > X_MAX_CHARACTERS) {
      throw new ApiException('invalid', `text: ${xLength(text)} characters with the signature; X allows ${X_MAX_CHARACTERS}`);
    }
    const result = await this.actions.queueReply({
      conversationId: id,
      itemId: target.itemId,
      kind: route.kind,
      channel: route.channel,
      body: text,
      template: input.template ?? null,
      authorId: user.id,
      basedOn: new Date(input.basedOn),
      force: input.force ?? false,
    });
    if (!result.ok && result.reason === 'not_found') throw notFound('conversation');
    if (!result.ok) {
      const by = result.by ? `${result.by.name} (${result.by.initials})` : 'An automatic reply';
      const conflict: ReplyConflict = {
        conflict: result.reason,
        by: result.by,
        at: result.at?.toISOString() ?? null,
        text: result.text,
        message:
          result.reason === 'replied_since' ? `${by} replied since you opened this conversation.` : `${by} is assigned to this conversation.`,
      };
      res.status(409);
      return { error: 'conflict', ...conflict };
    }
    await this.outbound.enqueue('outbound.send', { v: 1, outboundId: result.outboundId }, { key: result.outboundId });
    await this.events.publish({ type: 'outbound.queued', outboundId: result.outboundId, kind: route.kind, conversationId: id });
    return { outboundId: result.outboundId };
  }

  @Post('outbound/:id/retry')
  @Roles(...WORKERS)
  @HttpCode(202)
  async retry(@Param('id', Uuid) id: string, @CurrentUser() user: DeskUser): Promise<{ outboundId: string }> {
    const retried = await this.actions.retry(id, user.id);
    if (!retried) throw new ApiException('conflict', 'Only a failed message can be retried.');
    // The first job for this row exists (finished), so the retry needs a job id of its own.
    await this.outbound.enqueue('outbound.send', { v: 1, outboundId: id }, { key: `${id}-retry-${retried.attempts}-${Date.now()}` });
    await this.events.publish({ type: 'outbound.queued', outboundId: id, kind: retried.kind, conversationId: retried.conversationId });
    return { outboundId: id };
  }

  @Post('items/:id/hide')
  @Roles(...WORKERS)
  @HttpCode(202)
  hide(@Param('id', Uuid) id: string, @CurrentUser() user: DeskUser) {
    return this.moderate(id, 'hide', user);
  }

  @Post('items/:id/unhide')
  @Roles(...WORKERS)
  @HttpCode(202)
  unhide(@Param('id', Uuid) id: string, @CurrentUser() user: DeskUser) {
    return this.moderate(id, 'unhide', user);
  }

  @Post('items/:id/strike')
  @Roles(...WORKERS)
  @HttpCode(201)
  async strike(@Param('id', Uuid) id: string, @Body() body: unknown, @CurrentUser() user: DeskUser) {
    const { reason } = parse(ReasonBody, body);
    const policy = await this.strikePolicy();
    const result = await this.actions.strike(id, reason, user.id, policy);
    if (!result) throw notFound('item with a known author');
    const conversationId = await this.conversations.conversationOf(id);
    if (conversationId) await this.events.publish({ type: 'conversation.changed', conversationId, reason: 'strike' });
    if (result.flagged) await this.events.publish({ type: 'contact.flagged_for_blocking', contactId: result.contactId });
    return { strikes: result.strikes, flaggedForBlocking: result.flagged, duplicate: result.duplicate };
  }

  @Post('items/:id/reroute')
  @Roles(...WORKERS)
  @HttpCode(202)
  async reroute(@Param('id', Uuid) id: string, @Body() body: unknown, @CurrentUser() user: DeskUser) {
    const { route, reason } = parse(RerouteBody, body);
    const marked = await this.actions.markReroute(id, route, reason, user.id);
    if (!marked) throw notFound('item');
    await this.triage.enqueue('triage.reroute', { v: 1, itemId: id, route, reason, actorId: user.id }, { key: `${id}-${route}-${Date.now()}` });
    if (marked.conversationId) await this.events.publish({ type: 'conversation.changed', conversationId: marked.conversationId, reason: 'rerouted' });
    return { from: marked.from, to: route };
  }

  @Post('contacts/:id/flag-block')
  @Roles(...WORKERS)
  @HttpCode(204)
  async flagBlock(@Param('id', Uuid) id: string, @Body() body: unknown, @CurrentUser() user: DeskUser): Promise<void> {
    const { reason } = parse(ReasonBody, body);
    const flagged = await this.actions.flagForBlocking(id, user.id, reason);
    if (flagged === undefined) throw notFound('contact');
    if (flagged) await this.events.publish({ type: 'contact.flagged_for_blocking', contactId: id });
  }

  @Get('contacts/:id/offences.csv')
  @Roles(...WORKERS)
  async offences(@Param('id', Uuid) id: string, @CurrentUser() user: DeskUser, @Res() res: Response): Promise<void> {
    const contact = await this.actions.contact(id);
    if (!contact) throw notFound('contact');
    const rows = await this.actions.offences(id);
    await this.actions.recordExport(user.id, id, rows.length);
    const name = (contact.handle ?? contact.displayName ?? 'contact').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="repeat-offender-${contact.platform}-${name}.csv"`);
    res.send(offencesCsv(contact, rows));
  }

  private async moderate(itemId: string, kind: 'hide' | 'unhide', user: DeskUser) {
    const channel = await this.conversations.itemChannel(itemId);
    if (!channel) throw notFound('item');
    if (!canHide(channel)) throw new ApiException('invalid', `${channel} items can't be hidden`);
    const queued = await this.actions.queueModeration(itemId, kind, user.id);
    if (!queued) throw notFound('item');
    await this.outbound.enqueue('outbound.send', { v: 1, outboundId: queued.outboundId }, { key: queued.outboundId });
    await this.events.publish({ type: 'outbound.queued', outboundId: queued.outboundId, kind, conversationId: queued.conversationId });
    return { outboundId: queued.outboundId };
  }

  private async strikePolicy(): Promise<{ windowDays: number; toFlag: number }> {
    const triage = ((await this.settings.get('triage')) ?? {}) as { strike_window_days?: number; strikes_to_flag?: number };
    return { windowDays: triage.strike_window_days ?? 90, toFlag: triage.strikes_to_flag ?? 3 };
  }
}
