import { jest } from '@jest/globals';
import { Queue } from 'bullmq';
import { redisConnectionOptions } from '@desk/config';
import { jobIdFor } from '@desk/queues';
import type { ServiceName } from './support/services.js';
import { burstOf, COMMENTS, deliver, FaultPipeline, newSendLog, PAGE_ID, runId, until, type SendLog, FAST_SWEEPS } from './support/fault-pipeline.js';
import { startPostgres, type PrivatePostgres } from './support/private-servers.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';

/**
 * Issue 9: Postgres stops at once (`-m immediate`, as in a crash) during a burst and comes back a
 * few seconds later. While it is away a webhook must be answered 503, so that Meta delivers it
 * again, never 200 without the item stored; every service must stay up, say it is unhealthy, and
 * carry on when Postgres is back; nothing is lost and nothing is done twice.
 */
jest.setTimeout(60_000);
const PORTS = { desk: 4850, ingest: 4851, triage: 4852, responder: 4853, graph: 4854 };
const POSTGRES_DOWN_MS = 5_000;
const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
const prefix = testQueuePrefix('faults-postgres');
const redis = testRedis();
const burst = burstOf(runId(), 5_000);
const ids = burst.map((d) => d.commentId);
const log: SendLog = newSendLog();
let postgres: PrivatePostgres;
let pipeline: FaultPipeline;
let sending: Promise<SendLog>;
const outage = { from: 0, to: 0 };
const triageQueue = new Queue('triage', { connection: redisConnectionOptions(TEST_REDIS_URL), prefix });
/** An item whose triage job gave up while Postgres was away. */
const gaveUp = { itemId: '', commentId: `${runId()}_${runId()}3` };
interface Health {
  status: number;
  body: { checks?: { postgres?: { status: string } } };
}
const health: Partial<Record<ServiceName, Health>> = {};

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  postgres = await startPostgres(5499);
  pipeline = await FaultPipeline.start({
    ports: PORTS,
    databaseUrl: postgres.url,
    redisUrl: TEST_REDIS_URL,
    queuePrefix: prefix,
    env: FAST_SWEEPS,
  });
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
  await triageQueue.close();
  await postgres?.destroy();
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

describe('Postgres restarted during a burst of 5,000 comments', () => {
  it('webhooks are answered 503 while Postgres is away, never 200', async () => {
    sending = deliver(pipeline.url('ingest'), burst, { log, timeoutMs: 150_000 });
    sending.catch(() => undefined);
    // Well into the burst, with work at every stage, and most of it still to be delivered.
    await until('1,500 deliveries acknowledged', () => log.acked.size >= 1_500, 60_000, 50);
    // Stored just before Postgres goes (the sweeper leaves it alone for its grace of 3 s) ...
    const { rows } = await pipeline.db.query(
      `INSERT INTO inbound_item (channel, external_id, received_at, raw, kind, body, thread_key)
       VALUES ('facebook', $1, now(), $2, 'message', $3, $1) RETURNING id`,
      [gaveUp.commentId, JSON.stringify({ object: 'page', entry: { id: PAGE_ID } }), COMMENTS[0]!.text],
    );
    gaveUp.itemId = rows[0].id;
    await postgres.stop();
    outage.from = Date.now();
    let gaveUpState: string | undefined;
    try {
      // ... and its job, with a single attempt, runs out of them while Postgres is away: as every
      // job does when Postgres is away for longer than the retries (about four minutes). LIFO, so
      // the worker takes it before the burst's backlog.
      const job = await triageQueue.add(
        'triage.item',
        { v: 1, itemId: gaveUp.itemId },
        { jobId: jobIdFor('triage.item', gaveUp.itemId), attempts: 1, lifo: true },
      );
      await until('the job to give up', async () => (gaveUpState = await job.getState()) === 'failed', 20_000, 100).catch(() => undefined);
      await sleepUntil(outage.from + POSTGRES_DOWN_MS / 2);
      for (const name of ['ingest', 'triage', 'responder', 'desk'] as const) {
        const res = await fetch(`${pipeline.url(name)}/health`);
        health[name] = { status: res.status, body: (await res.json()) as Health['body'] };
      }
      await sleepUntil(outage.from + POSTGRES_DOWN_MS);
    } finally {
      // Whatever happened above, the rest of the suite needs Postgres back.
      outage.to = Date.now();
      await postgres.start();
    }
    expect(gaveUpState).toBe('failed');

    const duringOutage = log.answers.filter((a) => a.sentAt >= outage.from && a.at <= outage.to);
    expect(duringOutage.filter((a) => a.status === 503).length).toBeGreaterThan(10);
    expect(duringOutage.filter((a) => a.status !== 503)).toEqual([]);
  });

  it('every service stayed up and said Postgres was down', () => {
    pipeline.assertAllRunning();
    for (const name of ['ingest', 'triage', 'responder', 'desk'] as const) {
      expect({ name, status: health[name]?.status, postgres: health[name]?.body.checks?.postgres?.status }).toEqual({ name, status: 503, postgres: 'down' });
    }
  });

  it('an item whose triage job gave up while Postgres was away is triaged once it is back', async () => {
    // The sweeper retries the job; it then waits its turn behind the rest of the burst.
    await until('the item triaged and its reply sent', async () => {
      const { rows } = await pipeline.db.query(`SELECT triaged_at FROM inbound_item WHERE id = $1`, [gaveUp.itemId]);
      return rows[0]?.triaged_at !== null && pipeline.graph.replies.some((r) => r.parentId === gaveUp.commentId);
    }, 100_000, 250);
    expect(pipeline.graph.replies.filter((r) => r.parentId === gaveUp.commentId)).toHaveLength(1);
  }, 110_000);

  it('nothing is lost: every comment stored once and triaged once, every automatic reply posted exactly once', async () => {
    const sent = await sending;
    expect(sent.acked.size).toBe(ids.length);
    await pipeline.settled(ids, 120_000);
    const { automatic } = await pipeline.verify(burst);
    expect(automatic).toBe(3_000);
    await pipeline.reportsCaughtUp(ids);
    // Back to healthy without a restart.
    for (const name of ['ingest', 'triage', 'responder', 'desk'] as const) expect((await fetch(`${pipeline.url(name)}/health`)).status).toBe(200);
    pipeline.assertAllRunning();
  }, 180_000);
});
