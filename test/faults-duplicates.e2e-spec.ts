import { Queue } from 'bullmq';
import { FAKE_CREDENTIALS, redisConnectionOptions } from '@desk/config';
import { FakeXApi } from './fakes/x-api.js';
import { deliverToXWebhook, freshId, tweetCreateDelivery, v1Tweet } from './fakes/x-webhook.js';
import { metaSignature } from './fakes/meta-webhook.js';
import { burstOf, COMMENTS, FaultPipeline, PAGE_ID, runId } from './support/fault-pipeline.js';
import { startPostgres, type PrivatePostgres } from './support/private-servers.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';

/**
 * Issue 9: a provider that retries before our first answer reaches it delivers the same webhook
 * several times at once. Ten concurrent deliveries of one comment (or one tweet) are one item,
 * triaged once, with one automatic reply.
 */
const PORTS = { ingest: 4855, triage: 4856, responder: 4857, graph: 4858, x: 4859 };
const ME = FAKE_CREDENTIALS.x.userId;
const prefix = testQueuePrefix('faults-duplicates');
const redis = testRedis();
let postgres: PrivatePostgres;
let pipeline: FaultPipeline;
let x: FakeXApi;

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  [postgres, x] = await Promise.all([startPostgres(5499), FakeXApi.start(PORTS.x)]);
  pipeline = await FaultPipeline.start({
    ports: PORTS,
    databaseUrl: postgres.url,
    redisUrl: TEST_REDIS_URL,
    queuePrefix: prefix,
    env: { X_API_BASE_URL: x.url, X_ACCESS_TOKEN: FakeXApi.tokenFor(ME) },
  });
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
  await x?.close();
  await postgres?.destroy();
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

async function tenAtOnce(send: () => Promise<{ status: number; body: unknown }>): Promise<Array<{ status: number; body: unknown }>> {
  return Promise.all(Array.from({ length: 10 }, send));
}

describe('the same webhook delivered 10 times at once', () => {
  it('Meta: 25 comments, each delivered 10 times concurrently, are 25 items, each triaged and answered once', async () => {
    const comments = burstOf(runId(), 25);
    const answers = (
      await Promise.all(
        comments.map((c) =>
          tenAtOnce(async () => {
            const res = await fetch(`${pipeline.url('ingest')}/webhooks/meta`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(c.body) },
              body: c.body,
            });
            return { status: res.status, body: await res.json() };
          }),
        ),
      )
    ).flat();
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    // Each comment was "new" in exactly one of its ten answers.
    expect(answers.reduce((n, a) => n + (a.body as { stored: number }).stored, 0)).toBe(comments.length);
    const ids = comments.map((c) => c.commentId);
    await pipeline.settled(ids, 30_000);
    const { automatic } = await pipeline.verify(comments);
    expect(automatic).toBe(17);
  }, 45_000);

  it('X: a tweet delivered 10 times concurrently is one item, with one reply at X', async () => {
    const tweetId = freshId();
    const body = tweetCreateDelivery(ME, [
      v1Tweet({ id: tweetId, text: `@NorthvaleNHS ${COMMENTS[0]!.text}`, user: { id: '7700112233', screen_name: 'sam_public', name: 'Sam Public' } }),
    ]);
    const answers = await tenAtOnce(() => deliverToXWebhook(pipeline.url('ingest'), body));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.reduce((n, a) => n + (a.body as { stored: number }).stored, 0)).toBe(1);

    const deadline = Date.now() + 20_000;
    let state: { items: number; triaged: number; sent: number } = { items: 0, triaged: 0, sent: 0 };
    while (Date.now() < deadline) {
      const { rows } = await pipeline.db.query(
        `SELECT count(*)::int AS items, count(i.triaged_at)::int AS triaged,
                (SELECT count(*)::int FROM outbound_message o JOIN inbound_item j ON j.id = o.inbound_item_id
                  WHERE j.channel = 'x' AND j.external_id = $1 AND o.status = 'sent') AS sent
           FROM inbound_item i WHERE i.channel = 'x' AND i.external_id = $1`,
        [tweetId],
      );
      state = rows[0];
      if (state.triaged === 1 && state.sent === 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(state).toEqual({ items: 1, triaged: 1, sent: 1 });
    const { rows: decisions } = await pipeline.db.query(
      `SELECT count(*)::int AS n FROM audit_event a JOIN inbound_item i ON a.subject_id = i.id::text
        WHERE a.action = 'item.triaged' AND i.channel = 'x' AND i.external_id = $1`,
      [tweetId],
    );
    expect(decisions[0].n).toBe(1);
    expect(x.posts.filter((p) => p.in_reply_to_tweet_id === tweetId)).toHaveLength(1);
  }, 30_000);

  it('triage: one item in ten triage jobs at once is decided once, with one reply', async () => {
    // Two runs of one item overlap when a stalled job is re-run while its first worker still
    // holds it (its lock lapsed: a Redis blip, a stalled event loop), or beside an edit's job.
    const commentId = `${runId()}_${runId()}1`;
    const { rows } = await pipeline.db.query(
      `INSERT INTO inbound_item (channel, external_id, received_at, raw, kind, body, thread_key)
       VALUES ('facebook', $1, now(), $2, 'message', $3, $1) RETURNING id`,
      [commentId, JSON.stringify({ object: 'page', entry: { id: PAGE_ID } }), COMMENTS[0]!.text],
    );
    const itemId: string = rows[0].id;
    const triage = new Queue('triage', { connection: redisConnectionOptions(TEST_REDIS_URL), prefix });
    try {
      await Promise.all(Array.from({ length: 10 }, (_, n) => triage.add('triage.item', { v: 1, itemId }, { jobId: `overlap-${itemId}-${n}` })));
      await pipeline.settled([commentId], 20_000);
      const { rows: decisions } = await pipeline.db.query(
        `SELECT count(*)::int AS n FROM audit_event WHERE action = 'item.triaged' AND subject_id = $1`,
        [itemId],
      );
      expect(decisions[0].n).toBe(1);
      expect(pipeline.graph.replies.filter((r) => r.parentId === commentId)).toHaveLength(1);
    } finally {
      await triage.close();
    }
  });
});
