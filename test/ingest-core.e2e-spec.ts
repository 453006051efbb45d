import { Queue, QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { redisConnectionOptions } from '@desk/config';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';

const prefix = testQueuePrefix('ingest-core');
const connection = redisConnectionOptions(TEST_REDIS_URL);
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
const redis = testRedis();
let ingest: RunningService;
const ingestQueue = new Queue('ingest', { connection, prefix });
const triageQueue = new Queue('triage', { connection, prefix });
const events = new QueueEvents('ingest', { connection, prefix });

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  ingest = await startHealthy('ingest', 4440, { QUEUE_PREFIX: prefix, X_POLL_INTERVAL_MS: '0', MAIL_SPOOL_DIR: `/tmp/${prefix}-spool` });
  await events.waitUntilReady();
});

afterAll(async () => {
  await ingest?.stop();
  await Promise.all([ingestQueue.close(), triageQueue.close(), events.close()]);
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
});

async function storedItem(kind: string, minutesAgo: number, removed = false): Promise<string> {
  const res = await db.query(
    `INSERT INTO inbound_item (channel, external_id, received_at, ingested_at, raw, kind, removed_at)
     VALUES ('x', $1, now() - make_interval(mins => $2 + 1), now() - make_interval(mins => $2), '{}', $3, $4) RETURNING id`,
    [`sweep-${randomUUID()}`, minutesAgo, kind, removed ? new Date() : null],
  );
  return res.rows[0].id;
}

describe('the sweeper', () => {
  it('is scheduled by ingest', async () => {
    const schedulers = await ingestQueue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain('ingest-sweep');
  });

  it('queues stored messages that never reached triage, and only those', async () => {
    const missed = await storedItem('message', 5);
    const recent = await storedItem('message', 0);
    const bounce = await storedItem('bounce', 5);
    const removed = await storedItem('message', 5, true);
    const job = await ingestQueue.add('ingest.sweep', { v: 1 }, { jobId: `sweep-test-${randomUUID()}` });
    const result = (await job.waitUntilFinished(events, 15_000)) as { queued: number };
    expect(result.queued).toBeGreaterThanOrEqual(1);
    expect(await triageQueue.getJob(`triage-item-${missed}`)).toBeDefined();
    for (const id of [recent, bounce, removed]) expect(await triageQueue.getJob(`triage-item-${id}`)).toBeUndefined();
  });

  it('does not queue an item twice', async () => {
    const missed = await storedItem('message', 5);
    for (let i = 0; i < 2; i++) {
      const job = await ingestQueue.add('ingest.sweep', { v: 1 }, { jobId: `sweep-twice-${randomUUID()}` });
      await job.waitUntilFinished(events, 15_000);
    }
    const jobs = await triageQueue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    expect(jobs.filter((j) => j.data.itemId === missed)).toHaveLength(1);
  });
});
