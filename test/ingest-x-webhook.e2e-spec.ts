import { Queue } from 'bullmq';
import pg from 'pg';
import { redisConnectionOptions } from '@desk/config';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';
import {
  crcCheck,
  deliverToXWebhook,
  dmDelivery,
  expectedCrcAnswer,
  freshId,
  serialise,
  signXBody,
  tweetCreateDelivery,
  v1Tweet,
  type V1User,
} from './fakes/x-webhook.js';

const prefix = testQueuePrefix('ingest-x-webhook');
const connection = redisConnectionOptions(TEST_REDIS_URL);
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
const redis = testRedis();
const triage = new Queue('triage', { connection, prefix });
const BODY_LIMIT = 64 * 1024;
/** The account the desk serves in this suite; its own tweets and DMs are not inbound. */
const US = freshId();
const ourAccount: V1User = { id: US, screen_name: 'NHSTrustComms', name: 'Example NHS Trust' };
let ingest: RunningService;
let base: string;

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  ingest = await startHealthy('ingest', 4410, {
    QUEUE_PREFIX: prefix,
    X_USER_ID: US,
    X_POLL_INTERVAL_MS: '0',
    WEBHOOK_BODY_LIMIT_BYTES: String(BODY_LIMIT),
    MAIL_SPOOL_DIR: `/tmp/${prefix}-spool`,
  });
  base = `http://127.0.0.1:${ingest.port}`;
});

afterAll(async () => {
  await ingest?.stop();
  await triage.close();
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
});

interface ItemRow {
  id: string;
  channel: string;
  external_id: string;
  thread_key: string;
  in_reply_to_external_id: string | null;
  received_at: Date;
  body: string;
  url: string | null;
  contact_id: string | null;
  raw: Record<string, unknown>;
}

async function items(channel: string, externalIds: string[]): Promise<ItemRow[]> {
  const res = await db.query<ItemRow>(`SELECT * FROM inbound_item WHERE channel = $1 AND external_id = ANY($2) ORDER BY external_id`, [channel, externalIds]);
  return res.rows;
}

/** A member of the public, fresh for each test so contacts are the test's own. */
function person(label: string): V1User {
  const id = freshId();
  return { id, screen_name: `${label}_${id.slice(-6)}`, name: `${label} ${id.slice(-4)}` };
}

/** Whole seconds: v1.1's created_at carries no milliseconds. */
function aMinuteAgo(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
}

describe('the CRC check', () => {
  it('answers GET /webhooks/x?crc_token with the HMAC of the token under the consumer secret', async () => {
    const token = `crc-${freshId()}`;
    const res = await crcCheck(base, token);
    expect(res).toEqual({ status: 200, body: expectedCrcAnswer(token) });
  });

  it('answers 400 without a token', async () => {
    const res = await fetch(`${base}/webhooks/x`);
    expect(res.status).toBe(400);
  });
});

describe('a signed delivery', () => {
  it('stores a mention and a DM, with the contact, thread keys and X\'s own times', async () => {
    const public1 = person('patient');
    const tweetId = freshId();
    const dmId = freshId();
    const tweeted = aMinuteAgo();
    const messaged = new Date(Date.now() - 30_000);
    const mention = v1Tweet({ id: tweetId, text: `@${ourAccount.screen_name} is the Ward 7 visiting time still 2pm?`, user: public1, createdAt: tweeted });

    const first = await deliverToXWebhook(base, tweetCreateDelivery(US, [mention]));
    expect(first).toEqual({ status: 200, body: { received: 1, stored: 1, ignored: 0 } });
    const second = await deliverToXWebhook(base, dmDelivery(US, [{ id: dmId, senderId: public1.id, recipientId: US, text: 'Following up privately', createdAt: messaged }], [public1, ourAccount]));
    expect(second).toEqual({ status: 200, body: { received: 1, stored: 1, ignored: 0 } });

    const [tweet] = await items('x', [tweetId]);
    expect(tweet).toMatchObject({
      thread_key: tweetId,
      in_reply_to_external_id: null,
      received_at: tweeted,
      body: mention.text,
      url: `https://x.com/${public1.screen_name}/status/${tweetId}`,
    });
    expect(tweet!.raw).toMatchObject({ id_str: tweetId });
    const [dm] = await items('x_dm', [dmId]);
    const [low, high] = BigInt(public1.id) < BigInt(US) ? [public1.id, US] : [US, public1.id];
    expect(dm).toMatchObject({ thread_key: `dm-${low}-${high}`, received_at: messaged, body: 'Following up privately' });

    // One X identity whether they tweet or DM: one contact, with their handle and name.
    expect(dm!.contact_id).toBe(tweet!.contact_id);
    const contact = await db.query(`SELECT platform, external_id, handle, display_name FROM contact WHERE id = $1`, [tweet!.contact_id]);
    expect(contact.rows).toEqual([{ platform: 'x', external_id: public1.id, handle: public1.screen_name, display_name: public1.name }]);
  });

  it('updates the contact when the person changes their handle', async () => {
    const public1 = person('renamer');
    const [a, b] = [freshId(), freshId()];
    await deliverToXWebhook(base, tweetCreateDelivery(US, [v1Tweet({ id: a, text: 'one', user: public1 })]));
    await deliverToXWebhook(base, tweetCreateDelivery(US, [v1Tweet({ id: b, text: 'two', user: { ...public1, screen_name: `${public1.screen_name}_new` } })]));
    const res = await db.query(`SELECT handle FROM contact WHERE platform = 'x' AND external_id = $1`, [public1.id]);
    expect(res.rows).toEqual([{ handle: `${public1.screen_name}_new` }]);
  });

  it('keeps a reply in the thread of the tweet it answers', async () => {
    const public1 = person('replier');
    const rootId = freshId();
    const replyId = freshId();
    await deliverToXWebhook(base, tweetCreateDelivery(US, [v1Tweet({ id: rootId, text: '@trust parking question', user: public1 })]));
    await deliverToXWebhook(base, tweetCreateDelivery(US, [v1Tweet({ id: replyId, text: 'and the disabled bays?', user: public1, inReplyTo: { id: rootId, user: public1 } })]));
    const [root, reply] = await items('x', [rootId, replyId]);
    expect(reply).toMatchObject({ in_reply_to_external_id: rootId, thread_key: root!.thread_key });
  });

  it('queues triage for a new item', async () => {
    const tweetId = freshId();
    await deliverToXWebhook(base, tweetCreateDelivery(US, [v1Tweet({ id: tweetId, text: '@trust thank you to the maternity team', user: person('thanks') })]));
    const [row] = await items('x', [tweetId]);
    const job = await triage.getJob(`triage-item-${row!.id}`);
    expect(job?.name).toBe('triage.item');
    expect(job?.data).toEqual({ v: 1, itemId: row!.id });
  });

  it('stores the same delivery, sent three times, once, and queues it once', async () => {
    const tweetId = freshId();
    const payload = tweetCreateDelivery(US, [v1Tweet({ id: tweetId, text: '@trust is A&E busy tonight?', user: person('retry') })]);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await deliverToXWebhook(base, payload));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => (a.body as { stored: number }).stored)).toEqual([1, 0, 0]);
    const rows = await items('x', [tweetId]);
    expect(rows).toHaveLength(1);
    const jobs = await triage.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    expect(jobs.filter((j) => j.data.itemId === rows[0]!.id)).toHaveLength(1);
  });

  it('stores nothing for our own tweets and DMs, and nothing for another account', async () => {
    const public1 = person('other');
    const [own, ownDm, elsewhere] = [freshId(), freshId(), freshId()];
    const res1 = await deliverToXWebhook(base, tweetCreateDelivery(US, [v1Tweet({ id: own, text: 'Our visiting hours are changing', user: ourAccount })]));
    const res2 = await deliverToXWebhook(base, dmDelivery(US, [{ id: ownDm, senderId: US, recipientId: public1.id, text: 'Please call us' }], [public1, ourAccount]));
    const res3 = await deliverToXWebhook(base, tweetCreateDelivery('783214', [v1Tweet({ id: elsewhere, text: '@Twitter hello', user: public1 })]));
    for (const res of [res1, res2, res3]) expect(res).toEqual({ status: 200, body: { received: 1, stored: 0, ignored: 1 } });
    expect(await items('x', [own, elsewhere])).toEqual([]);
    expect(await items('x_dm', [ownDm])).toEqual([]);
  });
});

describe('a delivery that is refused', () => {
  it('answers 401 to a wrong signature, stores nothing, and logs a warning naming the source address', async () => {
    const tweetId = freshId();
    const payload = tweetCreateDelivery(US, [v1Tweet({ id: tweetId, text: 'forged', user: person('forger') })]);
    const before = ingest.output().length;
    const res = await deliverToXWebhook(base, payload, { consumerSecret: 'not-the-consumer-secret' });
    expect(res.status).toBe(401);
    expect(await items('x', [tweetId])).toEqual([]);
    await waitFor(() => ingest.output().slice(before).includes('X webhook refused from'));
    const lines = ingest.output().slice(before).trim().split('\n').map((line) => JSON.parse(line) as { level: string; message: string });
    const warning = lines.find((l) => l.message.includes('X webhook refused from'));
    expect(warning).toMatchObject({ level: 'warn', message: expect.stringMatching(/refused from (::ffff:)?127\.0\.0\.1: signature does not match the body/) });
    // The log names the address and the reason, never the payload or the secret.
    expect(ingest.output()).not.toContain('forged');
    expect(ingest.output()).not.toContain('fake-x-consumer-secret');
  });

  it('answers 401 to a missing signature, and to one of another length', async () => {
    const tweetId = freshId();
    const payload = tweetCreateDelivery(US, [v1Tweet({ id: tweetId, text: 'unsigned', user: person('unsigned') })]);
    expect((await deliverToXWebhook(base, payload, { signature: null })).status).toBe(401);
    expect((await deliverToXWebhook(base, payload, { signature: signXBody(serialise(payload)).slice(0, -2) })).status).toBe(401);
    expect(await items('x', [tweetId])).toEqual([]);
  });

  it('checks the signature before reading the body: unsigned junk is 401, not 400', async () => {
    expect((await deliverToXWebhook(base, '{not json', { signature: null })).status).toBe(401);
  });

  it('answers 400 to a signed body that is not JSON, or not an Account Activity object', async () => {
    expect((await deliverToXWebhook(base, '{"for_user_id": "1", "tweet_create_events": [')).status).toBe(400);
    expect((await deliverToXWebhook(base, '')).status).toBe(400);
    expect((await deliverToXWebhook(base, '[1, 2, 3]')).status).toBe(400);
    expect((await deliverToXWebhook(base, { for_user_id: US, tweet_create_events: 'lots' })).status).toBe(400);
  });

  it('answers 413 to a body over the cap', async () => {
    const tweetId = freshId();
    const payload = tweetCreateDelivery(US, [v1Tweet({ id: tweetId, text: 'x'.repeat(BODY_LIMIT), user: person('big') })]);
    const res = await deliverToXWebhook(base, payload);
    expect(res.status).toBe(413);
    expect(await items('x', [tweetId])).toEqual([]);
  });

  it('answers 503 when the item cannot be stored, so X delivers again, and the redelivery is stored', async () => {
    const tweetId = freshId();
    // A storage failure for this one item only, whatever else shares the database.
    await db.query(`CREATE OR REPLACE FUNCTION x_e2e_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.external_id = '${tweetId}' THEN RAISE EXCEPTION 'storage unavailable (test)'; END IF; RETURN NEW; END $$`);
    await db.query(`CREATE TRIGGER x_e2e_refuse BEFORE INSERT ON inbound_item FOR EACH ROW EXECUTE FUNCTION x_e2e_refuse()`);
    const payload = tweetCreateDelivery(US, [v1Tweet({ id: tweetId, text: '@trust hello', user: person('unlucky') })]);
    try {
      expect((await deliverToXWebhook(base, payload)).status).toBe(503);
      expect(await items('x', [tweetId])).toEqual([]);
    } finally {
      await db.query(`DROP TRIGGER x_e2e_refuse ON inbound_item; DROP FUNCTION x_e2e_refuse()`);
    }
    expect((await deliverToXWebhook(base, payload)).status).toBe(200);
    expect(await items('x', [tweetId])).toHaveLength(1);
    expect(ingest.process.exitCode).toBeNull();
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
