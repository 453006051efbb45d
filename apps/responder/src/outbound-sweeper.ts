import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { OutboundRepository } from '@desk/persistence';
import { jobIdFor, typedQueueToken, type TypedQueue } from '@desk/queues';

export const OUTBOUND_SWEEP_EVERY_MS = 30_000;
/** A row untouched this long with no live job is one the queue lost. */
export const OUTBOUND_SWEEP_GRACE_MS = 60_000;
const BATCH = 500;

/**
 * Rows are the truth, jobs only a prompt: a row still pending or sending whose job is gone (Redis
 * lost it), failed (a worker died too often while holding it) or finished (the desk reset the row)
 * gets its job back. A job still waiting, delayed or running is left alone.
 */
@Injectable()
export class OutboundSweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger('OutboundSweeper');

  constructor(
    private readonly outbound: OutboundRepository,
    @Inject(typedQueueToken('outbound')) private readonly queue: TypedQueue<'outbound'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.raw.upsertJobScheduler('outbound-sweep', { every: OUTBOUND_SWEEP_EVERY_MS }, { name: 'outbound.sweep', data: { v: 1 } });
  }

  async sweep(now = new Date()): Promise<{ requeued: number }> {
    const ids = await this.outbound.unfinished(new Date(now.getTime() - OUTBOUND_SWEEP_GRACE_MS), BATCH);
    let requeued = 0;
    for (const id of ids) if (await this.revive(id)) requeued++;
    if (requeued) this.logger.warn(`re-queued ${requeued} outbound row(s) whose job was lost or had failed`);
    return { requeued };
  }

  private async revive(outboundId: string): Promise<boolean> {
    const job = await this.queue.raw.getJob(jobIdFor('outbound.send', outboundId));
    const state = job ? await job.getState() : 'unknown';
    if (job && state === 'failed') {
      await job.retry('failed');
      return true;
    }
    if (job && state === 'completed') await job.remove();
    if (!job || state === 'completed' || state === 'unknown') {
      await this.queue.enqueue('outbound.send', { v: 1, outboundId }, { key: outboundId });
      return true;
    }
    return false;
  }
}
