import { Controller, Get, Inject, Query } from '@nestjs/common';
import { z } from 'zod';
import { CHANNELS, CONVERSATION_STATUSES, FLAGS, ROUTES, type DeskUser, type QueuePage, type QueueRow } from '@desk/domain';
import { QueueRepository, type QueueRecord } from '@desk/persistence';
import { CalendarSource } from '@desk/runtime';
import { CurrentUser } from '../auth/current-user.js';
import { Roles, WORKERS } from '../auth/roles.js';
import { parse } from '../http/parse.js';
import { DESK_SETTINGS, type DeskRuntimeSettings } from '../tokens.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { previewLine } from './preview.js';
import { slaState } from './sla-state.js';

const QueueQuery = z.object({
  channel: z.enum(CHANNELS).optional(),
  route: z.enum(ROUTES).optional(),
  status: z.enum(CONVERSATION_STATUSES).default('open'),
  assignee: z.union([z.literal('me'), z.literal('none'), z.uuid()]).optional(),
  flag: z.enum(FLAGS).optional(),
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

@Controller('api/queue')
export class QueueController {
  constructor(
    private readonly queue: QueueRepository,
    private readonly calendars: CalendarSource,
    @Inject(DESK_SETTINGS) private readonly settings: DeskRuntimeSettings,
  ) {}

  @Get()
  @Roles(...WORKERS)
  async page(@Query() query: unknown, @CurrentUser() user: DeskUser): Promise<QueuePage> {
    const input = parse(QueueQuery, query);
    const records = await this.queue.page({
      status: input.status,
      channel: input.channel,
      route: input.route,
      assigneeId: input.assignee === 'me' ? user.id : input.assignee === 'none' ? null : input.assignee,
      flag: input.flag,
      search: input.q || undefined,
      after: input.cursor ? decodeCursor(input.cursor) : undefined,
      limit: input.limit + 1,
    });
    const more = records.length > input.limit;
    const page = more ? records.slice(0, input.limit) : records;
    const calendar = await this.calendars.current();
    const now = new Date();
    const last = page.at(-1);
    return {
      rows: page.map((record) => this.row(record, calendar, now)),
      nextCursor: more && last ? encodeCursor({ priority: last.priority, due: last.dueKey, id: last.id }) : null,
    };
  }

  private row(record: QueueRecord, calendar: Awaited<ReturnType<CalendarSource['current']>>, now: Date): QueueRow {
    const { sla, workingMsLeft } = slaState(calendar, record.dueAt, record.awaiting, now, this.settings.atRiskMs);
    return {
      conversationId: record.id,
      channel: record.channel,
      status: record.status,
      route: record.route,
      priority: record.priority,
      flags: record.flags,
      author: {
        contactId: record.contact?.id ?? null,
        handle: record.contact?.handle ?? null,
        displayName: record.contact?.displayName ?? null,
        strikes: record.contact?.strikes ?? 0,
        flaggedForBlockAt: record.contact?.flaggedForBlockAt?.toISOString() ?? null,
      },
      preview: previewLine(record.subject, record.body),
      lastInboundAt: record.lastInboundAt?.toISOString() ?? null,
      dueAt: record.dueAt?.toISOString() ?? null,
      workingMsLeft,
      sla,
      assignee: record.assignee,
      snoozedUntil: record.snoozedUntil?.toISOString() ?? null,
      itemCount: record.itemCount,
    };
  }
}
