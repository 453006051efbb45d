import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { redisConnectionOptions } from '@desk/config';
import { TypedQueue } from '@desk/queues';
import { cleanPrefix, testRedis } from './support/redis.js';
import { spawnService, startHealthy, waitHealthy } from './support/services.js';
import { TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';

const prefix = testQueuePrefix('lifecycle');
const connection = redisConnectionOptions(TEST_REDIS_URL);
const redis = testRedis();

afterEach(async () => {
  await cleanPrefix(redis, prefix);
});
afterAll(async () => {
  await redis.quit();
});

describe('configuration', () => {
  it.each([
    ['desk', 'DATABASE_URL'],
    ['ingest', 'REDIS_URL'],
    ['triage', 'DATABASE_URL'],
    ['responder', 'REDIS_URL'],
  ] as const)('%s started without %s exits non-zero naming it', async (name, variable) => {
    const service = spawnService(name, 4330, { [variable]: undefined });
    const { code } = await service.exited;
    expect(code).toBe(78);
    expect(service.output()).toContain(`${variable} is missing`);
  });

  it('names a malformed variable and why', async () => {
    const service = spawnService('desk', 4330, { DESK_PORT: 'eighty', QUEUE_PREFIX: prefix });
    const { code } = await service.exited;
    expect(code).toBe(78);
    expect(service.output()).toMatch(/DESK_PORT is invalid/);
  });
});

describe('health', () => {
  it('answers 503 naming Redis when Redis cannot be reached', async () => {
    const service = spawnService('desk', 4331, { REDIS_URL: 'redis://127.0.0.1:1', QUEUE_PREFIX: prefix });
    try {
      let res: Response | undefined;
      for (let i = 0; i < 100 && !res; i++) {
        res = await fetch('http://127.0.0.1:4331/health').catch(() => undefined);
        if (!res) await new Promise((r) => setTimeout(r, 150));
      }
      expect(res?.status).toBe(503);
      expect(await res!.json()).toMatchObject({
        status: 'error',
        checks: { postgres: { status: 'up' }, redis: { status: 'down' } },
      });
    } finally {
      await service.stop('SIGKILL');
    }
  });
});

describe('graceful shutdown', () => {
  it('a worker given SIGTERM finishes the job in hand before it exits', async () => {
    const triage = await startHealthy('triage', 4332, { QUEUE_PREFIX: prefix });
    const queue = new Queue('triage', { connection, prefix });
    try {
      const nonce = randomUUID();
      const job = await new TypedQueue('triage', queue).enqueue('system.ping', { v: 1, nonce, holdMs: 1500 }, { key: nonce });
      while ((await job.getState()) !== 'active') await new Promise((r) => setTimeout(r, 20));
      const signalledAt = Date.now();
      const exit = await triage.stop('SIGTERM');
      const done = await queue.getJob(job.id!);
      expect(await done?.getState()).toBe('completed');
      expect(done?.returnvalue).toMatchObject({ nonce, service: 'triage' });
      expect(done!.finishedOn!).toBeGreaterThanOrEqual(signalledAt);
      expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      expect(triage.output()).toContain('SIGTERM received');
    } finally {
      await triage.stop('SIGKILL');
      await queue.close();
    }
  });

  it('a service comes back healthy after a restart', async () => {
    const first = await startHealthy('responder', 4333, { QUEUE_PREFIX: prefix });
    await first.stop('SIGTERM');
    const second = spawnService('responder', 4333, { QUEUE_PREFIX: prefix });
    try {
      await waitHealthy(second);
    } finally {
      await second.stop();
    }
  });
});
