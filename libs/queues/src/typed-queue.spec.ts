import { jest } from '@jest/globals';
import { Queue } from 'bullmq';
import { jobIdFor } from './job-id.js';
import { TypedQueue } from './typed-queue.js';

// A real queue on the local Redis, under a prefix of its own.
const prefix = `typed-queue-spec-${process.pid}`;
const queue = new Queue('triage', { connection: { host: '127.0.0.1', port: 6379 }, prefix });
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
});

describe('TypedQueue.enqueueSoon', () => {
  it('adds the jobs of one turn with one addBulk, under the job ids enqueue would give', async () => {
    const triage = new TypedQueue('triage', queue);
    const addBulk = jest.spyOn(queue, 'addBulk');
    const add = jest.spyOn(queue, 'add');
    const jobs = await Promise.all(['item-1', 'item-2', 'item-1'].map((itemId) => triage.enqueueSoon('triage.item', { v: 1, itemId }, { key: itemId, priority: 3 })));
    expect(addBulk).toHaveBeenCalledTimes(1);
    expect(add).not.toHaveBeenCalled();
    expect(jobs.map((j) => j.id)).toEqual(['item-1', 'item-2', 'item-1'].map((k) => jobIdFor('triage.item', k)));
    // The repeated key is one job in Redis, as with enqueue.
    const stored = await queue.getJobs(['prioritized', 'waiting']);
    expect(stored.map((j) => j.id).sort()).toEqual([jobIdFor('triage.item', 'item-1'), jobIdFor('triage.item', 'item-2')].sort());
    expect(stored.every((j) => j.opts.priority === 3)).toBe(true);
    // And enqueue adds nothing new for a key already queued this way.
    await triage.enqueue('triage.item', { v: 1, itemId: 'item-2' }, { key: 'item-2' });
    expect(await queue.count()).toBe(2);
    addBulk.mockRestore();
    add.mockRestore();
  });

  it('refuses an empty key at once, as enqueue does', () => {
    const triage = new TypedQueue('triage', queue);
    expect(() => triage.enqueueSoon('triage.item', { v: 1, itemId: '' }, { key: '' })).toThrow(/empty key/);
  });
});
