import type { IngestSettings } from '@desk/config';
import type { InboundRepository } from '@desk/persistence';
import type { TypedQueue } from '@desk/queues';
import { Sweeper } from './sweeper.js';

type State = 'waiting' | 'active' | 'delayed' | 'completed' | 'failed' | 'unknown';

/** Untriaged items and their triage jobs; an item may be triaged while the sweep goes. */
function sweeperWith(items: Record<string, { job?: State; triagedDuringSweep?: boolean }>) {
  const enqueued: string[] = [];
  const retried: string[] = [];
  const triaged = new Set<string>();
  const repository = {
    untriaged: async () => Object.keys(items).map((id) => ({ id, ingestedAt: new Date(0) })),
    awaitsTriage: async (id: string) => !triaged.has(id),
  } as unknown as InboundRepository;
  const raw = {
    getJob: async (jobId: string) => {
      const id = jobId.replace(/^triage-item-/, '');
      const item = items[id]!;
      if (!item.job) return undefined;
      return {
        getState: async () => {
          if (item.triagedDuringSweep) triaged.add(id);
          return item.job;
        },
        retry: async () => void retried.push(id),
        remove: async () => undefined,
      };
    },
  };
  const triage = { raw, enqueue: async (_name: string, data: { itemId: string }) => void enqueued.push(data.itemId) } as unknown as TypedQueue<'triage'>;
  const ingest = { raw: {} } as unknown as TypedQueue<'ingest'>;
  const settings = { sweep: { everyMs: 60_000, graceMs: 60_000 } } as IngestSettings;
  return { sweeper: new Sweeper(repository, triage, ingest, settings), enqueued, retried };
}

describe('Sweeper', () => {
  it('queues items whose job is gone, retries a job that gave up, and leaves live jobs alone', async () => {
    const { sweeper, enqueued, retried } = sweeperWith({
      lost: {},
      // Postgres was away for longer than the job's retries (or its worker was killed twice).
      gaveUp: { job: 'failed' },
      orphan: { job: 'completed' },
      waiting: { job: 'waiting' },
      running: { job: 'active' },
      later: { job: 'delayed' },
    });
    expect(await sweeper.sweep()).toEqual({ queued: 3 });
    expect(enqueued).toEqual(['lost', 'orphan']);
    expect(retried).toEqual(['gaveUp']);
  });

  it('leaves an item triaged while the sweep went: its job finished because the item is done', async () => {
    const { sweeper, enqueued } = sweeperWith({ a: { job: 'completed', triagedDuringSweep: true } });
    expect(await sweeper.sweep()).toEqual({ queued: 0 });
    expect(enqueued).toEqual([]);
  });
});
