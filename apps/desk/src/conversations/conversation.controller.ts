import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { z } from 'zod';
import type { ConversationView, DeskUser, UserRef } from '@desk/domain';
import { DeskActionsRepository } from '@desk/persistence';
import { typedQueueToken, type TypedQueue } from '@desk/queues';
import { DeskEvents } from '@desk/runtime';
import { CurrentUser } from '../auth/current-user.js';
import { Roles, WORKERS } from '../auth/roles.js';
import { ApiException, notFound } from '../http/api-error.js';
import { parse } from '../http/parse.js';
import { ConversationViews } from './conversation-view.js';
import { Presence } from './presence.js';

const Uuid = new ParseUUIDPipe();
const AssignBody = z.object({ userId: z.uuid().nullable() });
const NoteBody = z.object({ text: z.string().trim().min(1).max(10_000) });
const SnoozeBody = z.object({ until: z.iso.datetime({ offset: true }) });

/** Reading a conversation and the actions on the conversation as a whole. */
@Controller('api/conversations')
export class ConversationController {
  constructor(
    private readonly views: ConversationViews,
    private readonly actions: DeskActionsRepository,
    private readonly presence: Presence,
    private readonly events: DeskEvents,
    @Inject(typedQueueToken('desk')) private readonly deskQueue: TypedQueue<'desk'>,
  ) {}

  @Get(':id')
  @Roles(...WORKERS)
  view(@Param('id', Uuid) id: string, @CurrentUser() user: DeskUser): Promise<ConversationView> {
    return this.views.view(id, user);
  }

  @Post(':id/claim')
  @Roles(...WORKERS)
  @HttpCode(204)
  async claim(@Param('id', Uuid) id: string, @CurrentUser() user: DeskUser): Promise<void> {
    const result = await this.actions.assign(id, user.id, user.id, true);
    if (!result.ok && result.reason === 'not_found') throw notFound('conversation');
    if (!result.ok && result.reason === 'held') {
      throw new ApiException('conflict', `${result.holder.name} (${result.holder.initials}) is already on this conversation.`, { by: result.holder });
    }
    await this.events.publish({ type: 'conversation.changed', conversationId: id, reason: 'claimed' });
  }

  @Post(':id/assign')
  @Roles(...WORKERS)
  @HttpCode(204)
  async assign(@Param('id', Uuid) id: string, @Body() body: unknown, @CurrentUser() user: DeskUser): Promise<void> {
    const { userId } = parse(AssignBody, body);
    try {
      const result = await this.actions.assign(id, userId, user.id, false);
      if (!result.ok) throw notFound('conversation');
    } catch (error) {
      if ((error as { code?: string }).code === '23503') throw new ApiException('invalid', 'userId: no such user');
      throw error;
    }
    await this.events.publish({ type: 'conversation.changed', conversationId: id, reason: userId ? 'assigned' : 'unassigned' });
  }

  @Post(':id/viewing')
  @Roles(...WORKERS)
  @HttpCode(200)
  async viewing(@Param('id', Uuid) id: string, @CurrentUser() user: DeskUser): Promise<{ viewers: UserRef[] }> {
    const { viewers, changed } = await this.presence.beat(id, user);
    if (changed) await this.events.publish({ type: 'conversation.viewing', conversationId: id, viewers });
    return { viewers: viewers.filter((v) => v.id !== user.id) };
  }

  @Delete(':id/viewing')
  @Roles(...WORKERS)
  @HttpCode(204)
  async left(@Param('id', Uuid) id: string, @CurrentUser() user: DeskUser): Promise<void> {
    const viewers = await this.presence.leave(id, user);
    await this.events.publish({ type: 'conversation.viewing', conversationId: id, viewers });
  }

  @Post(':id/notes')
  @Roles(...WORKERS)
  @HttpCode(201)
  async note(@Param('id', Uuid) id: string, @Body() body: unknown, @CurrentUser() user: DeskUser): Promise<{ id: string }> {
    const { text } = parse(NoteBody, body);
    const noteId = await this.actions.addNote(id, user.id, text);
    if (!noteId) throw notFound('conversation');
    await this.events.publish({ type: 'conversation.changed', conversationId: id, reason: 'note' });
    return { id: noteId };
  }

  @Post(':id/close')
  @Roles(...WORKERS)
  @HttpCode(204)
  async close(@Param('id', Uuid) id: string, @CurrentUser() user: DeskUser): Promise<void> {
    if (!(await this.actions.setStatus(id, 'closed', user.id))) throw notFound('conversation');
    await this.events.publish({ type: 'conversation.changed', conversationId: id, reason: 'closed' });
  }

  @Post(':id/reopen')
  @Roles(...WORKERS)
  @HttpCode(204)
  async reopen(@Param('id', Uuid) id: string, @CurrentUser() user: DeskUser): Promise<void> {
    if (!(await this.actions.setStatus(id, 'open', user.id))) throw notFound('conversation');
    await this.events.publish({ type: 'conversation.changed', conversationId: id, reason: 'reopened' });
  }

  @Post(':id/snooze')
  @Roles(...WORKERS)
  @HttpCode(204)
  async snooze(@Param('id', Uuid) id: string, @Body() body: unknown, @CurrentUser() user: DeskUser): Promise<void> {
    const until = new Date(parse(SnoozeBody, body).until);
    const delay = until.getTime() - Date.now();
    if (delay < 60_000) throw new ApiException('invalid', 'until: snooze until at least a minute from now');
    if (delay > 90 * 86_400_000) throw new ApiException('invalid', 'until: at most 90 days ahead');
    if (!(await this.actions.snooze(id, until, user.id))) throw notFound('conversation');
    // The delayed job wakes it on time; the minute sweep catches a lost job.
    await this.deskQueue.enqueue('desk.wake', { v: 1, conversationId: id }, { key: `${id}-${until.getTime()}`, delay });
    await this.events.publish({ type: 'conversation.changed', conversationId: id, reason: 'snoozed' });
  }
}
