import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DeskActionsRepository, SessionsRepository } from '@desk/persistence';
import { typedQueueToken, type TypedQueue } from '@desk/queues';
import { DeskEvents } from '@desk/runtime';

export const DESK_SWEEP_EVERY_MS = 60_000;

/** Timed desk work: waking snoozed conversations (backing up their delayed jobs) and ending expired sessions. */
@Injectable()
export class DeskSweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger('DeskSweeper');

  constructor(
    private readonly actions: DeskActionsRepository,
    private readonly sessions: SessionsRepository,
    private readonly events: DeskEvents,
    @Inject(typedQueueToken('desk')) private readonly queue: TypedQueue<'desk'>,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited, so a desk started while Redis is away still serves /health and says so.
    this.queue.raw
      .upsertJobScheduler('desk-sweep', { every: DESK_SWEEP_EVERY_MS }, { name: 'desk.sweep', data: { v: 1 } })
      .catch((error: Error) => this.logger.error(`desk sweep not scheduled: ${error.message}`));
  }

  async wake(conversationId: string, now = new Date()): Promise<{ woken: boolean }> {
    const woken = await this.actions.wake(conversationId, now);
    if (woken) await this.events.publish({ type: 'conversation.changed', conversationId, reason: 'woken' });
    return { woken };
  }

  async sweep(now = new Date()): Promise<{ woken: number; sessionsEnded: number }> {
    let woken = 0;
    for (const id of await this.actions.dueToWake(now, 500)) if ((await this.wake(id, now)).woken) woken++;
    const sessionsEnded = await this.sessions.purgeExpired(now);
    if (woken) this.logger.log(`woke ${woken} snoozed conversation(s) whose wake-up job was missing`);
    return { woken, sessionsEnded };
  }
}
