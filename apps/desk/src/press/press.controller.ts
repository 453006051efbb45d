import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { z } from 'zod';
import type { DeskUser, PressEnquiry, PressStatus } from '@desk/domain';
import { email } from '@desk/channels';
import { PressRepository, type PressRecord } from '@desk/persistence';
import { CalendarSource, DeskEvents } from '@desk/runtime';
import type { WorkingCalendar } from '@desk/sla';
import { CurrentUser } from '../auth/current-user.js';
import { PRESS, Roles } from '../auth/roles.js';
import { ApiException } from '../http/api-error.js';
import { parse } from '../http/parse.js';
import { previewLine } from '../queue/preview.js';

const Uuid = new ParseUUIDPipe();
const AnsweredBody = z.object({ note: z.string().trim().max(2000).optional() });

/** The press office's list of media enquiries forwarded to it, and its handling of each. */
@Controller('api/press')
export class PressController {
  constructor(
    private readonly press: PressRepository,
    private readonly calendars: CalendarSource,
    private readonly events: DeskEvents,
  ) {}

  @Get()
  @Roles(...PRESS)
  async list(): Promise<PressEnquiry[]> {
    const calendar = await this.calendars.current();
    return (await this.press.list(300)).map((record) => enquiry(record, calendar));
  }

  @Post(':id/claim')
  @Roles(...PRESS)
  @HttpCode(204)
  async claim(@Param('id', Uuid) id: string, @CurrentUser() user: DeskUser): Promise<void> {
    const claimed = await this.press.claim(id, user.id);
    if (claimed.ok === false && claimed.holder) {
      throw new ApiException('conflict', `${claimed.holder.name} (${claimed.holder.initials}) is already handling this enquiry.`, { by: claimed.holder });
    }
    if (!claimed.ok) throw new ApiException('conflict', 'No open media enquiry with that id (it may be answered already).');
    await this.events.publish({ type: 'press.changed', outboundId: id });
  }

  @Post(':id/answered')
  @Roles(...PRESS)
  @HttpCode(204)
  async answered(@Param('id', Uuid) id: string, @Body() body: unknown, @CurrentUser() user: DeskUser): Promise<void> {
    const { note } = parse(AnsweredBody, body);
    if (!(await this.press.answered(id, user.id, note ?? null))) {
      throw new ApiException('conflict', 'No open media enquiry with that id (it may be answered already).');
    }
    await this.events.publish({ type: 'press.changed', outboundId: id });
  }
}

function enquiry(record: PressRecord, calendar: WorkingCalendar): PressEnquiry {
  const item = record.item;
  const status: PressStatus = record.answeredAt ? 'answered' : record.handler ? 'in_progress' : 'new';
  const text = item ? [item.subject, item.body].filter(Boolean).join('\n') : '';
  const address = item?.channel === 'email' ? (item.author?.handle ?? undefined) : undefined;
  const forwardedAt = record.forwardedAt ?? null;
  return {
    id: record.id,
    reference: record.reference,
    status,
    forwardedAt: forwardedAt?.toISOString() ?? null,
    forwardStatus: record.forwardStatus,
    channel: item?.channel ?? 'email',
    journalist: item?.author ? (item.author.displayName ?? item.author.handle) : null,
    outlet: item ? (email.mediaOutlet({ text, email: address, displayName: item.author?.displayName ?? undefined }) ?? null) : null,
    preview: item ? previewLine(item.subject, item.body) : '',
    itemUrl: item?.url ?? null,
    deadline: item ? (email.statedDeadline(text) ?? null) : null,
    handler: record.handler,
    answeredAt: record.answeredAt?.toISOString() ?? null,
    pressResponseWorkingMs: record.answeredAt ? calendar.workingTimeBetween(forwardedAt ?? record.createdAt, record.answeredAt) : null,
  };
}
