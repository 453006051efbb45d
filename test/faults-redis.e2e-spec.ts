import { jest } from '@jest/globals';
import { Queue } from 'bullmq';
import { redisConnectionOptions } from '@desk/config';
import { burstOf, deliver, FaultPipeline, newSendLog, runId, until, type SendLog, FAST_SWEEPS } from './support/fault-pipeline.js';
import { startPostgres, startRedis, type PrivatePostgres, type PrivateRedis } from './support/private-servers.js';
import { testQueuePrefix } from './support/test-env.js';

/**
 * Issue 9: Redis is killed during a burst and comes back empty (no persistence: the worst case):
 * every queued job and every job scheduler is gone. Ingest keeps answering 200 because the items
 * are in Postgres; the sweepers, scheduled again, queue what Redis lost; nothing is lost.
 */
jest.setTimeout(60_000);
const PORTS = { desk: 4845, ingest: 4846, triage: 4847, responder: 4848, graph: 4849 };
const REDIS_DOWN_MS = 3_000;
const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
const prefix = testQueuePrefix('faults-redis');
const burst = burstOf(runId(), 5_000);
const ids = burst.map((d) => d.commentId);
const log: SendLog = newSendLog();
let postgres: PrivatePostgres;
let redis: PrivateRedis;
let pipeline: FaultPipeline;
let sending: Promise<SendLog>;
let queues: Queue[] = [];
const outage = { from: 0, to: 0 };
const health: Array<{ name: string; status: number; redis?: string }> = [];

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(5499), startRedis(6398)]);
  pipeline = await FaultPipeline.start({
    ports: PORTS,
    databaseUrl: postgres.url,
    redisUrl: redis.url,
    queuePrefix: prefix,
    env: FAST_SWEEPS,
  });
  const connection = redisConnectionOptions(redis.url);
  queues = ['ingest', 'outbound', 'desk'].map((name) => new Queue(name, { connection, prefix }));
  for (const queue of queues) queue.on('error', () => undefined);
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
  await Promise.all(queues.map((q) => q.close()));
  await Promise.all([postgres?.destroy(), redis?.destroy()]);
});

async function schedulers(): Promise<string[]> {
  const all = await Promise.all(queues.map((q) => q.getJobSchedulers()));
  return all.flat().map((s) => s.key).sort();
}

const EVERY_SCHEDULER = ['desk-sweep', 'ingest-sweep', 'outbound-sweep', 'report-refresh'];

describe('Redis restarted empty during a burst of 5,000 comments', () => {
  it('every service has its job schedulers to begin with', async () => {
    expect(await schedulers()).toEqual(EVERY_SCHEDULER);
  });

  it('ingest keeps answering 200 while Redis is away, the items being safe in Postgres', async () => {
    sending = deliver(pipeline.url('ingest'), burst, { log, timeoutMs: 150_000 });
    sending.catch(() => undefined);
    // Well into the burst, with work at every stage, and most of it still to be delivered.
    await until('1,500 deliveries acknowledged', () => log.acked.size >= 1_500, 60_000, 50);
    outage.from = Date.now();
    await redis.stop();
    try {
      await sleepUntil(outage.from + REDIS_DOWN_MS / 2);
      for (const name of ['ingest', 'triage', 'responder', 'desk'] as const) {
        const res = await fetch(`${pipeline.url(name)}/health`);
        const body = (await res.json()) as { checks?: { redis?: { status: string } } };
        health.push({ name, status: res.status, redis: body.checks?.redis?.status });
      }
      await sleepUntil(outage.from + REDIS_DOWN_MS);
    } finally {
      // Whatever happened above, the rest of the suite needs Redis back (empty).
      outage.to = Date.now();
      await redis.start();
    }
    const duringOutage = log.answers.filter((a) => a.sentAt >= outage.from && a.at <= outage.to);
    expect(duringOutage.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(5);
    expect(duringOutage.filter((a) => a.status !== 200)).toEqual([]);
  });

  it('every service stayed up and said Redis was down', () => {
    pipeline.assertAllRunning();
    expect(health).toEqual(['ingest', 'triage', 'responder', 'desk'].map((name) => ({ name, status: 503, redis: 'down' })));
  });

  it('the job schedulers Redis lost are created again', async () => {
    await until('every job scheduler back', async () => (await schedulers()).join() === EVERY_SCHEDULER.join(), 30_000, 250);
  });

  it('nothing is lost: every comment stored once and triaged once, every automatic reply posted exactly once', async () => {
    const sent = await sending;
    expect(sent.acked.size).toBe(ids.length);
    // Every delivery was acknowledged at the first attempt: Redis being away never refused one.
    expect(sent.byStatus()).toEqual({ 200: ids.length });
    await pipeline.settled(ids, 120_000);
    const { automatic } = await pipeline.verify(burst);
    expect(automatic).toBe(3_000);
    // The desk's report refresh, scheduled again, catches up with the burst.
    await pipeline.reportsCaughtUp(ids);
    pipeline.assertAllRunning();
  }, 180_000);

  it("each service's log is still one JSON object per line, and says in a few lines that Redis was away", () => {
    for (const name of ['ingest', 'triage', 'responder', 'desk'] as const) {
      const lines = pipeline.service(name).output().split('\n').filter(Boolean);
      const notJson = lines.filter((line) => {
        try {
          return typeof JSON.parse(line) !== 'object';
        } catch {
          return true;
        }
      });
      expect({ name, notJson: notJson.slice(0, 5) }).toEqual({ name, notJson: [] });
      const redisLines = lines.map((line) => JSON.parse(line) as { level?: string; message?: string }).filter((l) => /ECONNREFUSED|ECONNRESET|Connection is closed|Missing key/.test(l.message ?? ''));
      expect(redisLines.length).toBeGreaterThan(0);
      expect(redisLines.every((l) => l.level === 'warn')).toBe(true);
      // One line per source per 10 s, plus what the services themselves say: not one per error.
      expect(redisLines.length).toBeLessThan(40);
    }
  });
});
