import type { ServiceConfig } from '@desk/config';
import type { OutboundRepository } from '@desk/persistence';
import type { TypedQueue } from '@desk/queues';
import { OutboundSweeper } from './outbound-sweeper.js';

type State = 'waiting' | 'active' | 'delayed' | 'completed' | 'failed' | 'unknown';

/** Rows and jobs as the sweeper sees them; a job's state may change while the sweep goes. */
function sweeperWith(rows: Record<string, { status: string; job?: State; sentDuringSweep?: boolean }>) {
  const enqueued: string[] = [];
  const retried: string[] = [];
  const outbound = {
    unfinished: async () => Object.keys(rows),
    peek: async (id: string) => ({ status: rows[id]!.status, kind: 'reply', channel: 'facebook' }),
  } as unknown as OutboundRepository;
  const raw = {
    getJob: async (jobId: string) => {
      const id = jobId.replace(/^outbound-send-/, '');
      const row = rows[id]!;
      if (!row.job) return undefined;
      return {
        getState: async () => {
          // The responder finishes the row between the sweeper's page and its look at the job.
          if (row.sentDuringSweep) row.status = 'sent';
          return row.job;
        },
        retry: async () => void retried.push(id),
        remove: async () => undefined,
      };
    },
  };
  const queue = { raw, enqueue: async (_name: string, data: { outboundId: string }) => void enqueued.push(data.outboundId) } as unknown as TypedQueue<'outbound'>;
  const config = { responder: { sweep: { everyMs: 30_000, graceMs: 60_000 } } } as unknown as ServiceConfig;
  return { sweeper: new OutboundSweeper(outbound, queue, config), enqueued, retried };
}

describe('OutboundSweeper', () => {
  it('re-queues rows whose job Redis lost or that finished without them, and retries failed jobs', async () => {
    const { sweeper, enqueued, retried } = sweeperWith({
      lost: { status: 'pending' },
      orphan: { status: 'sending', job: 'completed' },
      gaveUp: { status: 'pending', job: 'failed' },
      waiting: { status: 'pending', job: 'waiting' },
      running: { status: 'sending', job: 'active' },
    });
    expect(await sweeper.sweep()).toEqual({ requeued: 3 });
    expect(enqueued).toEqual(['lost', 'orphan']);
    expect(retried).toEqual(['gaveUp']);
  });

  it('leaves a row sent while the sweep went: its job finished because the row is done', async () => {
    // A backlog: the page is the oldest rows, which the responder is sending right now.
    const { sweeper, enqueued } = sweeperWith({
      a: { status: 'pending', job: 'completed', sentDuringSweep: true },
      b: { status: 'sending', job: 'completed', sentDuringSweep: true },
    });
    expect(await sweeper.sweep()).toEqual({ requeued: 0 });
    expect(enqueued).toEqual([]);
  });
});
