import { jest } from '@jest/globals';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { jobIdFor } from './job-id.js';
import { TypedQueue } from './typed-queue.js';

type Added = { name: string; data: unknown; opts?: JobsOptions };

/** A queue that records what reaches "Redis", one entry per round trip. */
function fakeQueue() {
  const trips: Array<{ via: 'add' | 'addBulk'; jobs: Added[] }> = [];
  const asJob = (j: Added) => ({ id: j.opts?.jobId, name: j.name, data: j.data }) as unknown as Job;
  const queue = {
    name: 'triage',
    add: jest.fn(async (name: string, data: unknown, opts?: JobsOptions) => {
      trips.push({ via: 'add', jobs: [{ name, data, opts }] });
      return asJob({ name, data, opts });
    }),
    addBulk: jest.fn(async (jobs: Added[]) => {
      trips.push({ via: 'addBulk', jobs });
      return jobs.map(asJob);
    }),
  };
  return { triage: new TypedQueue('triage', queue as unknown as Queue), trips };
}

describe('TypedQueue.enqueueSoon', () => {
  it('sends the jobs of one turn in one addBulk, with the job ids enqueue would give, and answers each caller with its job', async () => {
    const { triage, trips } = fakeQueue();
    const jobs = await Promise.all(
      ['item-1', 'item-2', 'item-1'].map((itemId) => triage.enqueueSoon('triage.item', { v: 1, itemId }, { key: itemId, priority: 3 })),
    );
    expect(trips).toEqual([
      {
        via: 'addBulk',
        jobs: ['item-1', 'item-2', 'item-1'].map((itemId) => ({
          name: 'triage.item',
          data: { v: 1, itemId },
          opts: { priority: 3, jobId: jobIdFor('triage.item', itemId) },
        })),
      },
    ]);
    expect(jobs.map((j) => j.id)).toEqual(['triage-item-item-1', 'triage-item-item-2', 'triage-item-item-1']);
  });

  it('gives the same job id as enqueue, so a batched add and the sweeper\'s add are one job', async () => {
    const { triage, trips } = fakeQueue();
    await triage.enqueue('triage.item', { v: 1, itemId: 'x' }, { key: 'x' });
    await triage.enqueueSoon('triage.item', { v: 1, itemId: 'x' }, { key: 'x' });
    expect(trips.map((t) => t.via)).toEqual(['add', 'addBulk']);
    expect(trips[0]!.jobs[0]!.opts?.jobId).toBe(trips[1]!.jobs[0]!.opts?.jobId);
  });

  it('refuses an empty key at once, as enqueue does', () => {
    const { triage } = fakeQueue();
    expect(() => triage.enqueueSoon('triage.item', { v: 1, itemId: '' }, { key: '' })).toThrow(/empty key/);
  });
});
