import { jest } from '@jest/globals';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { Logger } from '@nestjs/common';
import type { InboundEvent, InboundMessage } from '@desk/domain';
import type { InboundRepository, StoreResult } from '@desk/persistence';
import { TypedQueue } from '@desk/queues';
import { InboundService } from './inbound.service.js';

type Added = { name: string; data: unknown; opts?: JobsOptions };

function message(externalId: string): InboundEvent {
  const m: InboundMessage = { channel: 'facebook', externalId, author: null, receivedAt: new Date(), text: 'hi', kind: 'message', raw: {} };
  return { type: 'message', message: m };
}

/**
 * Stored items answer in separate turns, as Postgres answers do; "Redis" records each round
 * trip, and answers only when `redisAnswers` is true.
 */
function service(options: { redisAnswers: boolean }) {
  const stored = new Set<string>();
  const items = {
    storeMessage: (m: InboundMessage) =>
      new Promise<StoreResult>((resolve) =>
        setTimeout(() => {
          const created = !stored.has(m.externalId);
          stored.add(m.externalId);
          resolve({ id: `id-${m.externalId}`, created });
        }, 0),
      ),
  } as unknown as InboundRepository;
  const trips: Added[][] = [];
  const queue = {
    name: 'triage',
    add: async () => {
      throw new Error('one add per item: expected batched adds');
    },
    addBulk: (jobs: Added[]) => {
      trips.push(jobs);
      return options.redisAnswers ? Promise.resolve(jobs as unknown as Job[]) : new Promise<Job[]>(() => undefined);
    },
  };
  return { inbound: new InboundService(items, new TypedQueue('triage', queue as unknown as Queue)), trips };
}

describe('InboundService', () => {
  afterEach(() => jest.useRealTimers());

  it('queues the items of concurrent deliveries in one round trip to Redis, once each, with job ids from the item ids', async () => {
    const { inbound, trips } = service({ redisAnswers: true });
    const outcomes = (await Promise.all(['a', 'b', 'a', 'c'].map((id) => inbound.apply([message(id)])))).flat();
    expect(outcomes.map((o) => [o.itemId, o.created, o.queued])).toEqual([
      ['id-a', true, true],
      ['id-b', true, true],
      ['id-a', false, false],
      ['id-c', true, true],
    ]);
    expect(trips.map((jobs) => jobs.map((j) => j.opts?.jobId))).toEqual([['triage-item-id-a', 'triage-item-id-b', 'triage-item-id-c']]);
  });

  it('answers within a second when Redis does not, leaving the item to the sweeper', async () => {
    jest.useFakeTimers();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { inbound } = service({ redisAnswers: false });
    let answered = false;
    const outcome = inbound.apply([message('slow')]).finally(() => (answered = true));
    await jest.advanceTimersByTimeAsync(999);
    expect(answered).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(answered).toBe(true);
    expect(await outcome).toEqual([{ event: 'message', itemId: 'id-slow', created: true, queued: false }]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/item id-slow stored but not queued for triage .*sweeper/));
    warn.mockRestore();
  });
});
