import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ServiceConfig } from '@desk/config';
import { OutboundRepository } from '@desk/persistence';
import { jobIdFor, typedQueueToken, type TypedQueue } from '@desk/queues';
import { KeptJobScheduler, SERVICE_CONFIG } from '@desk/runtime';

const BATCH = 500;

/**
 * Rows are the truth, jobs only a prompt: a row still pending or sending whose job is gone (Redis
 * lost it), failed (a worker died too often while holding it) or finished (the desk reset the row)
 * gets its job back. A job still waiting, delayed or running is left alone. A row untouched for
 * OUTBOUND_SWEEP_GRACE_MS with no live job is one the queue lost; the sweep runs every
 * OUTBOUND_SWEEP_EVERY_MS.
 */
@Injectable()
export class OutboundSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboundSweeper');
  private readonly schedule: KeptJobScheduler;
  private readonly graceMs: number;

  constructor(
    private readonly outbound: OutboundRepository,
    @Inject(typedQueueToken('outbound')) private readonly queue: TypedQueue<'outbound'>,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    const sweep = config.responder!.sweep;
    this.graceMs = sweep.graceMs;
    // Kept, because a Redis that restarts empty forgets it along with the jobs it is there to revive.
    this.schedule = new KeptJobScheduler(queue.raw, { id: 'outbound-sweep', everyMs: sweep.everyMs, job: { name: 'outbound.sweep', data: { v: 1 } } }, this.logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.schedule.start();
  }

  onApplicationShutdown(): void {
    this.schedule.stop();
  }

  async sweep(now = new Date()): Promise<{ requeued: number }> {
    const ids = await this.outbound.unfinished(new Date(now.getTime() - this.graceMs), BATCH);
    let requeued = 0;
    for (const id of ids) if (await this.revive(id)) requeued++;
    if (requeued) this.logger.warn(`re-queued ${requeued} outbound row(s) whose job was lost or had failed`);
    return { requeued };
  }

  private async revive(outboundId: string): Promise<boolean> {
    const job = await this.queue.raw.getJob(jobIdFor('outbound.send', outboundId));
    const state = job ? await job.getState() : 'missing';
    if (state !== 'failed' && state !== 'completed' && state !== 'unknown' && state !== 'missing') return false;
    // The page was read before this state: during a backlog, most of its rows are being sent as the
    // sweep goes, and their jobs finish. A job finishes after its row's outcome is recorded, so the
    // row read now says whether it is truly left undone (else it would be re-queued for nothing).
    const row = await this.outbound.peek(outboundId);
    if (row?.status !== 'pending' && row?.status !== 'sending') return false;
    if (state === 'failed') {
      await job!.retry('failed');
      return true;
    }
    // A finished or orphaned job would make the add below a no-op.
    if (job) await job.remove();
    await this.queue.enqueue('outbound.send', { v: 1, outboundId }, { key: outboundId });
    return true;
  }
}
