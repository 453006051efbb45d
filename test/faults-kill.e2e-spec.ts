import { jest } from '@jest/globals';
import { burstOf, deliver, FaultPipeline, newSendLog, runId, until, type SendLog, FAST_SWEEPS } from './support/fault-pipeline.js';
import { startPostgres, type PrivatePostgres } from './support/private-servers.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';

/**
 * Issue 9: each service is killed with SIGKILL in turn, each while it has work in hand, during one
 * burst of 5,000 Facebook comments through the whole pipeline; a new process is started at once,
 * as a supervisor would. Afterwards every comment is stored once and triaged once, and every
 * automatic reply is at the fake Graph API exactly once.
 *
 * A private Postgres keeps the burst out of the shared test database (other suites count rows).
 */
jest.setTimeout(60_000);
const PORTS = { desk: 4840, ingest: 4841, triage: 4842, responder: 4843, graph: 4844 };
const prefix = testQueuePrefix('faults-kill');
const redis = testRedis();
const burst = burstOf(runId(), 5_000);
const ids = burst.map((d) => d.commentId);
const log: SendLog = newSendLog();
let postgres: PrivatePostgres;
let pipeline: FaultPipeline;
let sending: Promise<SendLog>;

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
  sending = deliver(pipeline.url('ingest'), burst, { log, timeoutMs: 150_000 });
  // Awaited by the last test; a failure before then must not be an unhandled rejection.
  sending.catch(() => undefined);
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
  await postgres?.destroy();
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

const progress = () => pipeline.progress(ids);

describe('SIGKILL each service in turn during a burst of 5,000 comments', () => {
  it('ingest, while webhooks arrive: the sender retries and the new ingest takes over', async () => {
    await until('1,000 deliveries acknowledged', () => log.acked.size >= 1_000);
    const before = log.answers.length;
    await pipeline.kill('ingest');
    const acked = log.acked.size;
    await until('deliveries acknowledged by the new ingest', () => log.acked.size >= acked + 200);
    // The kill cut deliveries in flight (they were retried), and none was refused.
    expect(log.answers.slice(before).some((a) => a.status === 'network')).toBe(true);
  });

  it('triage, with jobs in hand', async () => {
    await until('triage well into the burst', async () => {
      const p = await progress();
      return p.triaged >= 1_500 && p.triaged <= ids.length - 1_000;
    }, 60_000, 250);
    await pipeline.kill('triage');
    const triaged = (await progress()).triaged;
    await until('items triaged by the new triage', async () => (await progress()).triaged >= triaged + 200, 60_000, 250);
  });

  it('responder, the moment Graph has posted a reply and before the answer reaches it', async () => {
    await until('replies being sent', async () => (await progress()).sent >= 1_000, 60_000, 250);
    const accepted = new Promise<string>((resolve) => {
      pipeline.graph.onAccepted = (reply) => {
        pipeline.graph.onAccepted = undefined;
        // This very answer is held back, so the responder dies not knowing the reply was posted.
        pipeline.graph.holdResponses = true;
        resolve(reply.parentId);
      };
    });
    const commentId = await accepted;
    await pipeline.kill('responder');
    pipeline.graph.holdResponses = false;
    pipeline.graph.releaseResponses();
    // The new responder takes the row over, finds the reply at Graph and records it.
    await until('the cut-off reply recorded', async () => {
      const { rows } = await pipeline.db.query(
        `SELECT o.status, o.provider_response FROM outbound_message o JOIN inbound_item i ON i.id = o.inbound_item_id
          WHERE i.channel = 'facebook' AND i.external_id = $1 AND o.kind = 'reply'`,
        [commentId],
      );
      return rows[0]?.status === 'sent' && rows[0].provider_response?.reconciled === true;
    }, 30_000, 250);
  });

  it('desk, while the burst is processed: it comes back and its timed work resumes', async () => {
    await pipeline.kill('desk');
    // The desk's report refresh (every 2 s) picks up every item triage and the responder changed.
    await until('report facts of the burst computed', async () => {
      const { rows } = await pipeline.db.query(`SELECT count(*)::int AS n FROM inbound_item i JOIN report_dirty_item d ON d.item_id = i.id WHERE i.external_id = ANY($1)`, [ids]);
      const p = await progress();
      return p.triaged === ids.length && p.unfinished === 0 && rows[0].n === 0;
    }, 150_000, 1_000);
  }, 160_000);

  it('every comment is stored once and triaged once, and every automatic reply posted exactly once', async () => {
    const sent = await sending;
    expect(sent.acked.size).toBe(ids.length);
    await pipeline.settled(ids, 60_000);
    const { automatic } = await pipeline.verify(burst);
    expect(automatic).toBe(3_000);
    pipeline.assertAllRunning();
  });
});
