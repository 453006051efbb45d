import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** What the desk shows live; the desk relays these to browsers over server-sent events. */
export type DeskEvent =
  | { type: 'item.triaged'; itemId: string; conversationId: string; route: string }
  | { type: 'contact.flagged_for_blocking'; contactId: string }
  | { type: 'outbound.sent'; outboundId: string; kind: string; itemId: string | null; conversationId: string | null; reconciled: boolean }
  | { type: 'outbound.failed'; outboundId: string; kind: string; itemId: string | null; conversationId: string | null; reason: string }
  // From the desk itself, so that every desk process relays what any one of them did.
  | { type: 'outbound.queued'; outboundId: string; kind: string; conversationId: string | null }
  | { type: 'conversation.changed'; conversationId: string; reason: string }
  | { type: 'conversation.viewing'; conversationId: string; viewers: Array<{ id: string; name: string; initials: string }> }
  | { type: 'press.changed'; outboundId: string };

/** The Redis channel desk events go on, per install (queue prefix). */
export function deskEventsChannel(prefix: string): string {
  return `${prefix}:desk-events`;
}

/**
 * Publishes desk events. Losing one costs a browser refresh, never data: rows are the truth. So a
 * failed publish is logged and never fails the work that caused it.
 */
export class DeskEvents {
  private readonly logger = new Logger('DeskEvents');

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async publish(event: DeskEvent): Promise<void> {
    try {
      await this.redis.publish(deskEventsChannel(this.prefix), JSON.stringify(event));
    } catch (error) {
      this.logger.warn(`desk event ${event.type} not published (${(error as Error).message}); browsers see it on refresh`);
    }
  }

  /** Several events in one write to Redis (a batch's worth), in order. */
  async publishAll(events: DeskEvent[]): Promise<void> {
    if (events.length === 0) return;
    const channel = deskEventsChannel(this.prefix);
    const pipeline = this.redis.pipeline();
    for (const event of events) pipeline.publish(channel, JSON.stringify(event));
    try {
      const replies = (await pipeline.exec()) ?? [];
      const failed = replies.filter(([error]) => error).length;
      if (failed) this.logger.warn(`${failed} of ${events.length} desk events not published; browsers see them on refresh`);
    } catch (error) {
      this.logger.warn(`${events.length} desk events not published (${(error as Error).message}); browsers see them on refresh`);
    }
  }
}
