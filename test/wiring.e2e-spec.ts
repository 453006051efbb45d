import { Queue, QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { redisConnectionOptions } from '@desk/config';
import { QUEUE_NAMES, QUEUE_OWNER, TypedQueue, type QueueName } from '@desk/queues';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService, type ServiceName } from './support/services.js';
import { TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';

const prefix = testQueuePrefix('wiring');
const connection = redisConnectionOptions(TEST_REDIS_URL);
const PORTS: Record<ServiceName, number> = { desk: 4310, ingest: 4311, triage: 4312, responder: 4313 };
const redis = testRedis();
const services = new Map<ServiceName, RunningService>();
const queues = new Map<QueueName, { queue: Queue; events: QueueEvents }>();

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  const started = await Promise.all(
    (Object.keys(PORTS) as ServiceName[]).map((name) => startHealthy(name, PORTS[name], { QUEUE_PREFIX: prefix })),
  );
  for (const service of started) services.set(service.name, service);
  for (const name of QUEUE_NAMES) {
    const events = new QueueEvents(name, { connection, prefix });
    await events.waitUntilReady();
    queues.set(name, { queue: new Queue(name, { connection, prefix }), events });
  }
}, 60_000);

afterAll(async () => {
  for (const { queue, events } of queues.values()) await Promise.all([queue.close(), events.close()]);
  await Promise.all([...services.values()].map((s) => s.stop()));
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

describe('every service, started from the build', () => {
  it('reports Postgres and Redis up on /health', async () => {
    for (const service of services.values()) {
      const res = await fetch(`http://127.0.0.1:${service.port}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: 'ok',
        service: service.name,
        checks: { postgres: { status: 'up' }, redis: { status: 'up' } },
      });
    }
  });

  it('writes JSON log lines naming the service', () => {
    for (const service of services.values()) {
      const lines = service.output().trim().split('\n');
      const records = lines.map((line) => JSON.parse(line) as { service: string; level: string; message: string });
      expect(records.every((r) => r.service === service.name)).toBe(true);
      expect(records.some((r) => r.message.includes(`${service.name} ready on`))).toBe(true);
    }
  });
});

describe('queues', () => {
  it.each(QUEUE_NAMES)('a job added to "%s" is consumed by the service that owns it', async (name) => {
    const { queue, events } = queues.get(name)!;
    const nonce = randomUUID();
    const job = await new TypedQueue(name, queue).enqueue('system.ping', { v: 1, nonce }, { key: nonce });
    const owner = services.get(QUEUE_OWNER[name])!;
    await expect(job.waitUntilFinished(events, 10_000)).resolves.toEqual({
      service: owner.name,
      pid: owner.process.pid,
      nonce,
    });
  });

  it('enqueuing the same work twice makes one job', async () => {
    const { queue } = queues.get('triage')!;
    const typed = new TypedQueue('triage', queue);
    const nonce = randomUUID();
    const first = await typed.enqueue('system.ping', { v: 1, nonce, holdMs: 200 }, { key: `dup-${nonce}` });
    const second = await typed.enqueue('system.ping', { v: 1, nonce, holdMs: 200 }, { key: `dup-${nonce}` });
    expect(second.id).toBe(first.id);
    const all = await queue.getJobs(['waiting', 'active', 'completed', 'delayed']);
    expect(all.filter((job) => job.data.nonce === nonce)).toHaveLength(1);
  });

  it('fails a job no handler knows at once, with the reason, and keeps it', async () => {
    const { queue, events } = queues.get('outbound')!;
    const job = await queue.add('made.up', { v: 1 }, { jobId: `unknown-${randomUUID()}` });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(
      'responder has no handler for job "made.up" on queue "outbound"',
    );
    const failed = await queue.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(await failed?.getState()).toBe('failed');
  });

  it('fails a payload of a version the service does not read, without retrying', async () => {
    const { queue, events } = queues.get('ingest')!;
    const job = await queue.add('system.ping', { v: 2, nonce: 'x' }, { jobId: `v2-${randomUUID()}` });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/payload version 2; ingest reads version 1/);
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
  });
});
