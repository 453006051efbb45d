import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DeskActionsRepository, SessionsRepository } from '@desk/persistence';
import { typedQueueToken, type TypedQueue } from '@desk/queues';
import { DeskEvents, KeptJobScheduler } from '@desk/runtime';

export const DESK_SWEEP_EVERY_MS = 60_000;

/** Timed desk work: waking snoozed conversations (backing up their delayed jobs) and ending expired sessions. */
@Injectable()
export class DeskSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeskSweeper');
  private readonly schedule: KeptJobScheduler;

  constructor(
    private readonly actions: DeskActionsRepository,
    private readonly sessions: SessionsRepository,
    private readonly events: DeskEvents,
    @Inject(typedQueueToken('desk')) queue: TypedQueue<'desk'>,
  ) {
    // Kept, because a Redis that restarts empty forgets it (and the delayed wake-ups it backs up).
    this.schedule = new KeptJobScheduler(queue.raw, { id: 'desk-sweep', everyMs: DESK_SWEEP_EVERY_MS, job: { name: 'desk.sweep', data: { v: 1 } } }, this.logger);
  }

  onApplicationBootstrap(): void {
    // Not awaited, so a desk started while Redis is away still serves /health and says so.
    void this.schedule.start();
  }

  onApplicationShutdown(): void {
    this.schedule.stop();
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
