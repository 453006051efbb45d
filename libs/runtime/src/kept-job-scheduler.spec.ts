import { EventEmitter } from 'node:events';
import { jest } from '@jest/globals';
import type { Queue } from 'bullmq';
import { KeptJobScheduler } from './kept-job-scheduler.js';

/** A queue whose "Redis" is a map: emptying it is a Redis restarted without persistence. */
class FakeQueue extends EventEmitter {
  readonly redis = new Map<string, { every: number; name: string }>();
  upserts = 0;
  async getJobScheduler(id: string) {
    return this.redis.get(id);
  }
  async upsertJobScheduler(id: string, repeat: { every: number }, template: { name: string }) {
    this.upserts++;
    this.redis.set(id, { every: repeat.every, name: template.name });
  }
}

const logger = { warn: jest.fn(), error: jest.fn() };

function kept(queue: FakeQueue, checkEveryMs?: number) {
  return new KeptJobScheduler(queue as unknown as Queue, { id: 'ingest-sweep', everyMs: 60_000, job: { name: 'ingest.sweep', data: { v: 1 } }, checkEveryMs }, logger);
}

describe('KeptJobScheduler', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('creates the scheduler at start', async () => {
    const queue = new FakeQueue();
    const schedule = kept(queue);
    await schedule.start();
    expect(queue.redis.get('ingest-sweep')).toEqual({ every: 60_000, name: 'ingest.sweep' });
    schedule.stop();
  });

  it('creates it again soon after the connection comes back without it', async () => {
    const queue = new FakeQueue();
    const schedule = kept(queue);
    await schedule.start();
    queue.redis.clear();
    queue.emit('ioredis:close');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(queue.redis.has('ingest-sweep')).toBe(true);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('was missing from Redis'));
    schedule.stop();
  });

  it('finds it missing on its periodic check, and leaves one that is there alone', async () => {
    const queue = new FakeQueue();
    const schedule = kept(queue, 5_000);
    await schedule.start();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(queue.upserts).toBe(1);
    queue.redis.clear();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(queue.upserts).toBe(2);
    schedule.stop();
    queue.redis.clear();
    await jest.advanceTimersByTimeAsync(20_000);
    expect(queue.redis.has('ingest-sweep')).toBe(false);
  });

  it('keeps trying while Redis does not answer', async () => {
    const queue = new FakeQueue();
    const schedule = kept(queue);
    await schedule.start();
    queue.redis.clear();
    let down = true;
    const get = queue.getJobScheduler.bind(queue);
    queue.getJobScheduler = async (id: string) => {
      if (down) throw new Error('Connection is closed.');
      return get(id);
    };
    queue.emit('ioredis:close');
    await jest.advanceTimersByTimeAsync(3_000);
    expect(queue.redis.has('ingest-sweep')).toBe(false);
    down = false;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(queue.redis.has('ingest-sweep')).toBe(true);
    schedule.stop();
  });
});
