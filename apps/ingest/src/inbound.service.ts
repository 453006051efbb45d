import { Inject, Injectable, Logger } from '@nestjs/common';
import type { InboundEvent, InboundMessage } from '@desk/domain';
import { InboundRepository, type StoreResult } from '@desk/persistence';
import { Batcher, typedQueueToken, type TypedQueue } from '@desk/queues';

export interface ApplyOutcome {
  event: InboundEvent['type'];
  itemId?: string;
  /** True when this delivery stored something new (a repeat stores nothing). */
  created: boolean;
  queued: boolean;
  reason?: string;
}

/** How long a webhook waits for Redis before answering anyway: the item is safe in Postgres. */
const ENQUEUE_WAIT_MS = 1_000;

/**
 * Messages stored in one statement and one commit, at most. Two batches may be in flight, so the
 * messages arriving during one batch's commit form the next rather than wait for it.
 */
const STORE_BATCH = 100;
const STORES_IN_FLIGHT = 2;

/**
 * The one door every channel uses: store the event durably, then queue what a person (or triage)
 * must look at. Storing is awaited (a webhook is answered only after the commit); queueing is
 * best-effort within a second, because a stored item that missed its job is found by the sweeper.
 */
@Injectable()
export class InboundService {
  private readonly logger = new Logger('Inbound');
  /** Concurrent deliveries' messages are stored together: each commit waits for a WAL flush. */
  private readonly stores: Batcher<InboundMessage, StoreResult>;

  constructor(
    private readonly items: InboundRepository,
    @Inject(typedQueueToken('triage')) private readonly triage: TypedQueue<'triage'>,
  ) {
    this.stores = new Batcher((messages) => this.items.storeMessages(messages), { maxBatch: STORE_BATCH, maxParallel: STORES_IN_FLIGHT });
  }

  async apply(events: InboundEvent[]): Promise<ApplyOutcome[]> {
    const outcomes: ApplyOutcome[] = [];
    for (const event of events) outcomes.push(await this.applyOne(event));
    return outcomes;
  }

  private async applyOne(event: InboundEvent): Promise<ApplyOutcome> {
    switch (event.type) {
      case 'message': {
        const stored = await this.stores.add(event.message);
        const queued = stored.created && event.message.kind === 'message' && (await this.enqueue(stored.id, stored.id));
        return { event: event.type, itemId: stored.id, created: stored.created, queued };
      }
      case 'edited': {
        const edited = await this.items.applyEdit(event.channel, event.externalId, event.text, event.at, event.raw, event.message);
        // An edit can change what the message is (a polite comment edited into abuse), so it is triaged again.
        const queued = edited.changed && (await this.enqueue(edited.id, edited.created ? edited.id : `${edited.id}-edit-${event.at.getTime()}`));
        return { event: event.type, itemId: edited.id, created: edited.changed, queued };
      }
      case 'removed': {
        const removed = await this.items.markRemoved(event.channel, event.externalId, event.at, event.raw);
        return { event: event.type, itemId: removed.id, created: removed.created, queued: false };
      }
      case 'hidden':
      case 'unhidden': {
        const id = await this.items.setHidden(event.channel, event.externalId, event.type === 'hidden' ? event.at : null);
        return { event: event.type, itemId: id, created: false, queued: false, reason: id ? undefined : 'item not stored' };
      }
      case 'ignored':
        return { event: event.type, created: false, queued: false, reason: event.reason };
    }
  }

  private async enqueue(itemId: string, key: string): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    // Webhooks arrive in bursts: the jobs of items stored in the same turn go to Redis together.
    const add = this.triage.enqueueSoon('triage.item', { v: 1, itemId }, { key });
    try {
      await Promise.race([
        add,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ENQUEUE_WAIT_MS} ms`)), ENQUEUE_WAIT_MS);
        }),
      ]);
      return true;
    } catch (error) {
      // The job id is derived from the key, so a late add and the sweeper's add are one job.
      add.catch(() => undefined);
      this.logger.warn(`item ${itemId} stored but not queued for triage (${(error as Error).message}); the sweeper will queue it`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
