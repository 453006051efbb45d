import { Queue } from 'bullmq';
import pg from 'pg';
import { redisConnectionOptions } from '@desk/config';
import { FakeXApi, snowflakeTime, type FakeUser } from './fakes/x-api.js';
import { deliverToXWebhook, freshId, tweetCreateDelivery, v1Tweet } from './fakes/x-webhook.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';

const prefix = testQueuePrefix('ingest-x-poll');
const connection = redisConnectionOptions(TEST_REDIS_URL);
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
const redis = testRedis();
const triage = new Queue('triage', { connection, prefix });
let fake: FakeXApi;
const started: RunningService[] = [];

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  fake = await FakeXApi.start(4400);
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
  fake.pageSize = 100;
});

afterAll(async () => {
  await fake?.close();
  await triage.close();
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
});

/**
 * An ingest polling the fake as `account`; each test has an account of its own, so its checkpoints,
 * the fake's timelines and the fake's request log are the test's alone.
 */
async function startIngest(port: number, account: string, env: Record<string, string> = {}): Promise<RunningService> {
  const service = await startHealthy('ingest', port, {
    QUEUE_PREFIX: prefix,
    X_USER_ID: account,
    X_ACCESS_TOKEN: FakeXApi.tokenFor(account),
    X_API_BASE_URL: fake.url,
    X_POLL_INTERVAL_MS: '60000',
    MAIL_SPOOL_DIR: `/tmp/${prefix}-spool`,
    ...env,
  });
  started.push(service);
  return service;
}

function person(label: string): FakeUser {
  const id = freshId();
  return { id, username: `${label}_${id.slice(-6)}`, name: `${label} ${id.slice(-4)}` };
}

/** A mention as the v2 timeline holds it; ids (and so times) increase with each call. */
function addMention(account: string, author: FakeUser, text: string, id = freshId()): string {
  fake.addMention(account, { id, text, edit_history_tweet_ids: [id], author_id: author.id, created_at: snowflakeTime(id), conversation_id: id }, author);
  return id;
}

async function checkpoint(key: string): Promise<Record<string, string> | undefined> {
  const res = await db.query(`SELECT value FROM checkpoint WHERE key = $1`, [key]);
  return res.rows[0]?.value;
}

async function rows(channel: string, ids: string[]) {
  const res = await db.query(
    `SELECT i.id, i.external_id, i.thread_key, i.received_at, i.body, i.url, i.raw, c.handle
       FROM inbound_item i LEFT JOIN contact c ON c.id = i.contact_id
      WHERE i.channel = $1 AND i.external_id = ANY($2) ORDER BY i.external_id DESC`,
    [channel, ids],
  );
  return res.rows;
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('polling the mention timeline and DM events', () => {
  it('follows pagination across pages and stores every recorded mention and DM once', async () => {
    const account = freshId();
    const seeded = fake.seedFromFixtures(account);
    fake.pageSize = 4;
    await startIngest(4411, account);
    const newest = seeded.mentions[0]!.id;
    await waitFor('the mention checkpoint', async () => (await checkpoint(`x:mentions:${account}`))?.sinceId === newest);
    await waitFor('the DM checkpoint', async () => (await checkpoint(`x:dm:${account}`))?.lastEventId === seeded.dmEvents[0]!.id);

    const requests = fake.requestsFor(account, 'mentions');
    expect(requests.map((r) => r.returnedIds.length)).toEqual([4, 4, 2]);
    expect(requests[0]!.query.pagination_token).toBeUndefined();
    // Each page asked for is the one the previous answer named; the last answer names none.
    for (let i = 1; i < requests.length; i++) expect(requests[i]!.query.pagination_token).toBe(requests[i - 1]!.nextToken);
    expect(requests[2]!.nextToken).toBeUndefined();
    expect(requests.flatMap((r) => r.returnedIds)).toEqual(seeded.mentions.map((t) => t.id));
    expect(requests.every((r) => r.status === 200)).toBe(true);

    const stored = await rows('x', seeded.mentions.map((t) => t.id));
    expect(stored.map((r) => r.external_id)).toEqual(seeded.mentions.map((t) => t.id));
    expect(stored[0]).toMatchObject({
      thread_key: seeded.mentions[0]!.id,
      received_at: new Date(snowflakeTime(newest)),
      body: seeded.mentions[0]!.text,
      handle: seeded.users.find((u) => u.id === seeded.mentions[0]!.author_id)!.username,
    });
    const dms = await rows('x_dm', seeded.dmEvents.map((e) => e.id));
    expect(dms.map((r) => r.body)).toEqual(['Testing 2', 'Testing 1']);
    expect(dms[0]!.thread_key).toBe(`dm-${seeded.dmEvents[0]!.dm_conversation_id}`);
  });

  it('resumes from its checkpoints (mentions since_id, last DM event) after a restart of ingest', async () => {
    const account = freshId();
    const author = person('restart');
    const dm = (text: string) => {
      const id = freshId();
      fake.addDmEvent(account, { id, event_type: 'MessageCreate', text, sender_id: author.id, dm_conversation_id: `${author.id}-${account}`, created_at: snowflakeTime(id) }, author);
      return id;
    };
    const first = [addMention(account, author, 'first'), addMention(account, author, 'second')];
    const firstDms = [dm('dm one'), dm('dm two')];
    fake.pageSize = 1;
    const before = await startIngest(4412, account);
    await waitFor('the first walks', async () => (await checkpoint(`x:mentions:${account}`))?.sinceId === first[1] && (await checkpoint(`x:dm:${account}`))?.lastEventId === firstDms[1]);
    await before.stop();
    started.splice(started.indexOf(before), 1);
    expect(await checkpoint(`x:mentions:${account}`)).toEqual({ sinceId: first[1] });

    const later = addMention(account, author, 'third, while ingest was down');
    const laterDm = dm('dm three, while ingest was down');
    const restartedAt = Date.now();
    await startIngest(4412, account);
    await waitFor('the second walks', async () => (await checkpoint(`x:mentions:${account}`))?.sinceId === later && (await checkpoint(`x:dm:${account}`))?.lastEventId === laterDm);

    const mentionsAfter = fake.requestsFor(account, 'mentions').filter((r) => r.at >= restartedAt);
    expect(mentionsAfter[0]!.query.since_id).toBe(first[1]);
    expect(mentionsAfter[0]!.returnedIds).toEqual([later]);
    // DM events take no since_id: the walk stops at the page holding the last event read before.
    const dmsAfter = fake.requestsFor(account, 'dm_events').filter((r) => r.at >= restartedAt);
    expect(dmsAfter.map((r) => r.returnedIds)).toEqual([[laterDm], [firstDms[1]]]);
    expect((await rows('x', [...first, later])).map((r) => r.body)).toEqual(['third, while ingest was down', 'second', 'first']);
    expect((await rows('x_dm', [...firstDms, laterDm])).map((r) => r.body)).toEqual(['dm three, while ingest was down', 'dm two', 'dm one']);
  });

  it('after a 429, makes no request before the reset, then asks for the same page again', async () => {
    const account = freshId();
    const author = person('limited');
    const ids = [addMention(account, author, 'one'), addMention(account, author, 'two'), addMention(account, author, 'three')];
    fake.pageSize = 2;
    // The first page is answered; the second gets a 429 with its reset three seconds away.
    fake.limitNext(account, 'mentions', { after: 1, resetInSeconds: 3 });
    fake.addDmEvent(account, { id: freshId(), event_type: 'MessageCreate', text: 'meanwhile', sender_id: author.id, dm_conversation_id: `${author.id}-${account}`, created_at: new Date().toISOString() }, author);
    await startIngest(4413, account);
    await waitFor('the walk past the 429', async () => (await checkpoint(`x:mentions:${account}`))?.sinceId === ids[2], 30_000);

    const requests = fake.requestsFor(account, 'mentions');
    expect(requests.map((r) => r.status)).toEqual([200, 429, 200]);
    const limited = requests[1]!;
    expect(requests[2]!.at).toBeGreaterThanOrEqual(limited.rateLimitReset! * 1000);
    expect(requests[2]!.query.pagination_token).toBe(limited.query.pagination_token);
    expect(await rows('x', ids)).toHaveLength(3);
    // The DM loop has its own limit and was not held up by the mentions' wait.
    const dmFirst = fake.requestsFor(account, 'dm_events')[0]!;
    expect(dmFirst.at).toBeLessThan(limited.rateLimitReset! * 1000);
  });

  it('stores a tweet seen by webhook and by polling once, in either order', async () => {
    const account = freshId();
    const author = person('overlap');
    const ingest = await startIngest(4414, account, { X_POLL_INTERVAL_MS: '500' });
    const base = `http://127.0.0.1:${ingest.port}`;
    const tweet = (id: string, text: string) => v1Tweet({ id, text, user: { id: author.id, screen_name: author.username, name: author.name } });

    // Webhook first, then the poll brings the same tweet.
    const viaWebhook = freshId();
    expect((await deliverToXWebhook(base, tweetCreateDelivery(account, [tweet(viaWebhook, 'webhook first')]))).body).toMatchObject({ stored: 1 });
    addMention(account, author, 'webhook first', viaWebhook);
    await waitFor('the poll of it', async () => (await checkpoint(`x:mentions:${account}`))?.sinceId === viaWebhook);
    expect(fake.requestsFor(account, 'mentions').some((r) => r.returnedIds.includes(viaWebhook))).toBe(true);

    // Poll first, then the webhook brings the same tweet.
    const viaPoll = addMention(account, author, 'poll first');
    await waitFor('the poll of it', async () => (await checkpoint(`x:mentions:${account}`))?.sinceId === viaPoll);
    expect((await deliverToXWebhook(base, tweetCreateDelivery(account, [tweet(viaPoll, 'poll first')])))).toEqual({ status: 200, body: { received: 1, stored: 0, ignored: 0 } });

    const stored = await rows('x', [viaWebhook, viaPoll]);
    expect(stored.map((r) => r.external_id)).toEqual([viaPoll, viaWebhook]);
    // Each kept as it first arrived: the webhook's v1.1 tweet, the poll's v2 one.
    expect(stored[1]!.raw).toMatchObject({ id_str: viaWebhook });
    expect(stored[0]!.raw).toMatchObject({ data: { id: viaPoll } });
  });

  it('queues triage for a polled item', async () => {
    const account = freshId();
    const id = addMention(account, person('triaged'), '@trust where do I park for outpatients?');
    await startIngest(4415, account);
    await waitFor('the walk', async () => (await checkpoint(`x:mentions:${account}`))?.sinceId === id);
    const [row] = await rows('x', [id]);
    const job = await triage.getJob(`triage-item-${row!.id}`);
    expect(job?.data).toEqual({ v: 1, itemId: row!.id });
  });
});

describe('when X refuses', () => {
  it('keeps running when X refuses our credentials, and says so once', async () => {
    const account = freshId();
    addMention(account, person('nobody'), 'never fetched');
    const ingest = await startIngest(4416, account, { X_ACCESS_SECRET: 'wrong-secret', X_POLL_INTERVAL_MS: '300' });
    const refused = () => fake.requestsFor(account, 'mentions').filter((r) => r.status === 401);
    await waitFor('three refused polls', () => refused().length >= 3);
    expect(fake.requestsFor(account, 'mentions').every((r) => r.status === 401)).toBe(true);
    // Backing off, not hammering: the pauses double (300 ms, 600 ms, ...).
    const [a, b, c] = refused().map((r) => r.at);
    expect(b! - a!).toBeGreaterThanOrEqual(300);
    expect(c! - b!).toBeGreaterThanOrEqual(1.5 * (b! - a!));
    const health = await fetch(`http://127.0.0.1:${ingest.port}/health`);
    expect(health.status).toBe(200);
    const warnings = ingest.output().split('\n').filter((l) => l.includes('X mentions: poll failed'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('X answered 401');
    expect(ingest.output()).not.toContain('wrong-secret');
    expect(await checkpoint(`x:mentions:${account}`)).toBeUndefined();
  });

  it('shuts down promptly while waiting out a long rate limit', async () => {
    const account = freshId();
    addMention(account, person('patient'), 'waits');
    fake.limitNext(account, 'mentions', { resetInSeconds: 600 });
    const ingest = await startIngest(4417, account);
    await waitFor('the 429', () => fake.requestsFor(account, 'mentions').some((r) => r.status === 429));
    const stopping = Date.now();
    const exit = await ingest.stop();
    // Nest re-raises the signal once it has closed everything: that is a clean exit.
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(ingest.output()).not.toMatch(/shutdown took longer|"level":"(error|fatal)"/);
    expect(fake.requestsFor(account, 'mentions')).toHaveLength(1);
  });
});
