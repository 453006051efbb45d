import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InboundRepository } from '@desk/persistence';
import { typedQueueToken, type TypedQueue } from '@desk/queues';

/** How often the sweep runs, and how old an untriaged item must be to count as missed. */
export const SWEEP_EVERY_MS = 60_000;
export const SWEEP_GRACE_MS = 60_000;
const BATCH = 500;

/**
 * Finds items that were stored but never reached the triage queue (Redis was down, or the process
 * died between commit and enqueue) and queues them. The job id comes from the item id, so an item
 * whose job does exist is not queued twice.
 */
@Injectable()
export class Sweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger('Sweeper');

  constructor(
    private readonly items: InboundRepository,
    @Inject(typedQueueToken('triage')) private readonly triage: TypedQueue<'triage'>,
    @Inject(typedQueueToken('ingest')) private readonly ingest: TypedQueue<'ingest'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // One schedule however many ingest processes run: BullMQ keys it by id.
    await this.ingest.raw.upsertJobScheduler('ingest-sweep', { every: SWEEP_EVERY_MS }, { name: 'ingest.sweep', data: { v: 1 } });
  }

  async sweep(now = new Date()): Promise<{ queued: number }> {
    let queued = 0;
    let after: { ingestedAt: Date; id: string } | undefined;
    for (;;) {
      const page = await this.items.untriaged(new Date(now.getTime() - SWEEP_GRACE_MS), BATCH, after);
      for (const { id } of page) await this.triage.enqueue('triage.item', { v: 1, itemId: id }, { key: id });
      queued += page.length;
      if (page.length < BATCH) break;
      after = page.at(-1);
    }
    if (queued) this.logger.log(`queued ${queued} stored item(s) not yet triaged`);
    return { queued };
  }
}
