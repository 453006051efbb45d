import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { IngestSettings } from '@desk/config';
import { InboundRepository } from '@desk/persistence';
import { jobIdFor, typedQueueToken, type TypedQueue } from '@desk/queues';
import { KeptJobScheduler } from '@desk/runtime';
import { INGEST_SETTINGS } from './tokens.js';

const BATCH = 500;

/**
 * Finds items that were stored but never reached the triage queue (Redis was down, or the process
 * died between commit and enqueue) and queues them. The job id comes from the item id, so an item
 * whose job does exist is not queued twice; a job that gave up (Postgres away for longer than its
 * retries, a worker killed twice while holding it) is retried, as the item is still untriaged.
 * How often it runs and how long an item may wait for its job first are INGEST_SWEEP_EVERY_MS and
 * INGEST_SWEEP_GRACE_MS.
 */
@Injectable()
export class Sweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sweeper');
  private readonly schedule: KeptJobScheduler;

  constructor(
    private readonly items: InboundRepository,
    @Inject(typedQueueToken('triage')) private readonly triage: TypedQueue<'triage'>,
    @Inject(typedQueueToken('ingest')) ingest: TypedQueue<'ingest'>,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
  ) {
    // One schedule however many ingest processes run: BullMQ keys it by id. Kept, because a Redis
    // that restarts empty forgets it, and then the items it lost jobs for would wait for ever.
    this.schedule = new KeptJobScheduler(ingest.raw, { id: 'ingest-sweep', everyMs: settings.sweep.everyMs, job: { name: 'ingest.sweep', data: { v: 1 } } }, this.logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.schedule.start();
  }

  onApplicationShutdown(): void {
    this.schedule.stop();
  }

  async sweep(now = new Date()): Promise<{ queued: number }> {
    let queued = 0;
    let after: { ingestedAt: Date; id: string } | undefined;
    for (;;) {
      const page = await this.items.untriaged(new Date(now.getTime() - this.settings.sweep.graceMs), BATCH, after);
      for (const { id } of page) if (await this.revive(id)) queued++;
      if (page.length < BATCH) break;
      after = page.at(-1);
    }
    if (queued) this.logger.log(`queued ${queued} stored item(s) not yet triaged`);
    return { queued };
  }

  /** Queues the item's triage job unless a live one (waiting, delayed, running) exists. */
  private async revive(itemId: string): Promise<boolean> {
    const job = await this.triage.raw.getJob(jobIdFor('triage.item', itemId));
    const state = job ? await job.getState() : 'missing';
    if (state !== 'failed' && state !== 'completed' && state !== 'unknown' && state !== 'missing') return false;
    // The page was read before this state: during a backlog its items are triaged as the sweep goes
    // and their jobs finish. A job finishes after its decision is committed, so the item read now
    // says whether it is truly left undone (else it would be triaged again for nothing).
    if (!(await this.items.awaitsTriage(itemId))) return false;
    if (state === 'failed') {
      await job!.retry('failed');
      return true;
    }
    // A finished or orphaned job would make the add below a no-op.
    if (job) await job.remove();
    await this.triage.enqueue('triage.item', { v: 1, itemId }, { key: itemId });
    return true;
  }
}
