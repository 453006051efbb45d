import { Queue } from 'bullmq';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { FAKE_CREDENTIALS, redisConnectionOptions } from '@desk/config';
import {
  feedCommentPayload,
  instagramCommentPayload,
  metaFixtureNames,
  metaSignature,
  MetaWebhookSender,
  type FeedCommentSpec,
} from './fakes/meta-webhook.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';

const PORT = 4420;
const BODY_LIMIT = 64 * 1024;
const PAGE_ID = FAKE_CREDENTIALS.meta.pageIds[0];
const prefix = testQueuePrefix('ingest-meta');
const redis = testRedis();
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 4 });
const triage = new Queue('triage', { connection: redisConnectionOptions(TEST_REDIS_URL), prefix });
const sender = new MetaWebhookSender(`http://127.0.0.1:${PORT}`);
const spoolDir = mkdtempSync(join(tmpdir(), 'desk-meta-spool-'));
let ingest: RunningService;

/** Ids of this run only: the database is shared with other suites in CI. */
const run = String(Date.now() % 1e9);
let serial = 0;
function ids() {
  serial += 1;
  const post = `${run}${serial}0`;
  return { postId: `${PAGE_ID}_${post}`, commentId: `${post}_${run}${serial}1`, post };
}

interface ItemRow {
  id: string;
  body: string;
  history: Array<{ text: string; until: string }>;
  edited_at: Date | null;
  removed_at: Date | null;
  hidden_at: Date | null;
  thread_key: string | null;
  in_reply_to_external_id: string | null;
  url: string | null;
  received_at: Date;
  contact_external_id: string | null;
  contact_handle: string | null;
  contact_display_name: string | null;
  contact_platform: string | null;
}

async function items(channel: string, externalId: string): Promise<ItemRow[]> {
  const { rows } = await db.query<ItemRow>(
    `SELECT i.id, i.body, i.history, i.edited_at, i.removed_at, i.hidden_at, i.thread_key, i.in_reply_to_external_id, i.url,
            i.received_at, c.external_id AS contact_external_id, c.handle AS contact_handle,
            c.display_name AS contact_display_name, c.platform AS contact_platform
       FROM inbound_item i LEFT JOIN contact c ON c.id = i.contact_id
      WHERE i.channel = $1 AND i.external_id = $2`,
    [channel, externalId],
  );
  return rows;
}

async function item(channel: string, externalId: string): Promise<ItemRow> {
  const rows = await items(channel, externalId);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function post(payload: unknown): Promise<unknown> {
  const res = await sender.send(payload);
  expect(res.status).toBe(200);
  return res.json();
}

function comment(spec: Partial<FeedCommentSpec> & Pick<FeedCommentSpec, 'commentId' | 'postId'>) {
  return feedCommentPayload({ text: 'When is visiting time on ward 7?', ...spec });
}

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  ingest = await startHealthy('ingest', PORT, {
    QUEUE_PREFIX: prefix,
    X_POLL_INTERVAL_MS: '0',
    WEBHOOK_BODY_LIMIT_BYTES: String(BODY_LIMIT),
    // A spool of our own, so the fake mail driver never reads another suite's messages.
    MAIL_SPOOL_DIR: spoolDir,
  });
}, 60_000);

afterAll(async () => {
  await ingest?.stop();
  await triage.close();
  await cleanPrefix(redis, prefix);
  await redis.quit();
  await db.end();
  rmSync(spoolDir, { recursive: true, force: true });
});

describe('GET /webhooks/meta: the subscription handshake', () => {
  it('answers the challenge as plain text when the verify token matches', async () => {
    const res = await sender.verify(FAKE_CREDENTIALS.meta.verifyToken, '1158201444');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('1158201444');
  });

  it('refuses a wrong token, or a mode other than subscribe, with 403 and no echo', async () => {
    const wrong = await sender.verify('not-the-token', '1158201444');
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain('1158201444');
    expect((await sender.verify(FAKE_CREDENTIALS.meta.verifyToken, '1158201444', 'unsubscribe')).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${PORT}/webhooks/meta`)).status).toBe(403);
  });
});

describe('POST /webhooks/meta: replaying the published fixtures', () => {
  const deliveries = metaFixtureNames(/^(webhooks__(feed|messaging)-|instagram__(wh-comments|messaging-)).*\.json$/);

  beforeAll(async () => {
    for (const name of deliveries) {
      const res = await sender.replay(name);
      if (res.status !== 200) throw new Error(`${name} answered ${res.status}: ${await res.text()}`);
    }
  }, 60_000);

  it('replays every Page feed, messaging and Instagram webhook fixture with 200', () => {
    expect(deliveries.length).toBeGreaterThanOrEqual(25);
  });

  it('stores the Facebook comment once (four deliveries of it), with its author as a contact', async () => {
    const row = await item('facebook', '901097836652708_903438993085259');
    expect(row).toMatchObject({
      body: 'and the next one',
      // A top-level comment is a thread of its own (not the whole post's).
      thread_key: '901097836652708_903438993085259',
      in_reply_to_external_id: null,
      url: 'https://www.facebook.com/1234567890321/posts/901097836652708?comment_id=903438993085259',
      contact_platform: 'facebook',
      contact_external_id: '1234567890321',
      contact_display_name: 'Tester',
    });
    expect(row.received_at.toISOString()).toBe('2015-12-03T09:30:03.000Z');
  });

  it('stores a comment first seen through its edit', async () => {
    const row = await item('facebook', '900728623356296_900744590021366');
    expect(row.body).toBe("Let's see the Webhooks in action :D");
    expect(row.contact_external_id).toBe('1234567890321');
  });

  it('records the hide, then the unhide, of that comment', async () => {
    expect((await sender.replay('webhooks__feed-comment-hide.json')).status).toBe(200);
    expect((await item('facebook', '900728623356296_900744590021366')).hidden_at?.toISOString()).toBe('2016-07-07T12:29:22.000Z');
    expect((await sender.replay('webhooks__feed-comment-unhide.json')).status).toBe(200);
    expect((await item('facebook', '900728623356296_900744590021366')).hidden_at).toBeNull();
  });

  it('records the removal of a comment it never saw', async () => {
    expect((await item('facebook', '905578656204626_905579239537901')).removed_at).toBeInstanceOf(Date);
  });

  it('stores the Instagram reply with its author, in the thread of the comment it answers', async () => {
    expect(await item('instagram', '123456789')).toMatchObject({
      body: 'This is an example.',
      thread_key: '987654321',
      in_reply_to_external_id: '987654321',
      contact_platform: 'instagram',
      contact_external_id: '1234536447',
      contact_handle: 'testuser',
    });
  });

  it('stores nothing for posts and messaging events', async () => {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM inbound_item WHERE external_id = ANY($1)`, [
      ['1234567890321_7293787835232', '1234567890321_901097836652708', 'mid.1457764197618:41d102a3e1ae206a38'],
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('refuses a Graph error object (not a webhook) with 400', async () => {
    expect((await sender.replay('instagram__ig_login_exception.json')).status).toBe(400);
  });
});

describe('POST /webhooks/meta: what happens to a comment', () => {
  it('queues a new comment for triage (job triage-item-<itemId>)', async () => {
    const { postId, commentId } = ids();
    expect(await post(comment({ postId, commentId }))).toEqual({ received: 1, stored: 1, ignored: 0 });
    const row = await item('facebook', commentId);
    expect(row).toMatchObject({ body: 'When is visiting time on ward 7?', contact_external_id: '100000000000001', contact_display_name: 'A Member Of The Public' });
    const job = await triage.getJob(`triage-item-${row.id}`);
    expect(job?.name).toBe('triage.item');
    expect(job?.data).toEqual({ v: 1, itemId: row.id });
  });

  it('applies an edit: one item with the new text, the old text in history, edited_at set', async () => {
    const { postId, commentId } = ids();
    const createdTime = Math.floor(Date.now() / 1000) - 120;
    await post(comment({ postId, commentId, text: 'first words', createdTime }));
    const edit = comment({ postId, commentId, verb: 'edited', text: 'second thoughts', createdTime, entryTime: createdTime + 60 });
    await post(edit);
    await post(edit);
    const row = await item('facebook', commentId);
    expect(row.body).toBe('second thoughts');
    expect(row.history).toHaveLength(1);
    expect(row.history[0]!.text).toBe('first words');
    expect(row.edited_at?.getTime()).toBe((createdTime + 60) * 1000);
  });

  it('marks a removed comment removed', async () => {
    const { postId, commentId } = ids();
    await post(comment({ postId, commentId }));
    expect((await item('facebook', commentId)).removed_at).toBeNull();
    await post(comment({ postId, commentId, verb: 'remove', text: undefined }));
    expect((await item('facebook', commentId)).removed_at).toBeInstanceOf(Date);
  });

  it('sets hidden_at on hide and clears it on unhide', async () => {
    const { postId, commentId } = ids();
    await post(comment({ postId, commentId }));
    await post(comment({ postId, commentId, verb: 'hide' }));
    expect((await item('facebook', commentId)).hidden_at).toBeInstanceOf(Date);
    await post(comment({ postId, commentId, verb: 'unhide' }));
    expect((await item('facebook', commentId)).hidden_at).toBeNull();
  });

  it("does not store the Page's own comment", async () => {
    const { postId, commentId } = ids();
    expect(await post(comment({ postId, commentId, from: { id: PAGE_ID, name: 'Our Trust' } }))).toEqual({ received: 1, stored: 0, ignored: 1 });
    expect(await items('facebook', commentId)).toHaveLength(0);
  });

  it('threads a reply to a comment under that comment; another comment on the post is a thread of its own', async () => {
    const parent = ids();
    const replyId = `${parent.post}_${run}99`;
    const otherId = `${parent.post}_${run}98`;
    await post(comment({ postId: parent.postId, commentId: parent.commentId }));
    await post(comment({ postId: parent.postId, commentId: replyId, parentId: parent.commentId, text: 'Same question here' }));
    await post(comment({ postId: parent.postId, commentId: otherId, text: 'A different question' }));
    expect(await item('facebook', parent.commentId)).toMatchObject({ thread_key: parent.commentId });
    expect(await item('facebook', replyId)).toMatchObject({ in_reply_to_external_id: parent.commentId, thread_key: parent.commentId });
    expect(await item('facebook', otherId)).toMatchObject({ thread_key: otherId });
  });

  it('stores an Instagram comment and threads a reply to it', async () => {
    const id = `${run}71`;
    const mediaId = `${run}70`;
    await post(instagramCommentPayload({ id, mediaId, text: 'Is the car park open?' }));
    await post(instagramCommentPayload({ id: `${run}72`, mediaId, parentId: id, text: 'Asking too', from: { id: '178414000000002', username: 'second.person' } }));
    expect(await item('instagram', id)).toMatchObject({ thread_key: id, contact_handle: 'a.member.of.the.public' });
    expect(await item('instagram', `${run}72`)).toMatchObject({ thread_key: id, in_reply_to_external_id: id, contact_handle: 'second.person' });
  });

  it('stores a delivery made three times, in turn and at once, as one item', async () => {
    const inTurn = ids();
    const payload = comment(inTurn);
    for (let i = 0; i < 3; i += 1) await post(payload);
    expect(await items('facebook', inTurn.commentId)).toHaveLength(1);

    const atOnce = ids();
    const body = JSON.stringify(comment(atOnce));
    const answers = await Promise.all([1, 2, 3].map(() => sender.send(body)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const created = await Promise.all(answers.map(async (r) => ((await r.json()) as { stored: number }).stored));
    expect(created.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await items('facebook', atOnce.commentId)).toHaveLength(1);
  });
});

describe('POST /webhooks/meta: bad input', () => {
  it('refuses a bad signature with 401, stores nothing, and logs a warning naming the source address', async () => {
    const { postId, commentId } = ids();
    const payload = comment({ postId, commentId });
    const before = ingest.output().length;
    const answers = await Promise.all([
      sender.send(payload, { appSecret: 'not-the-app-secret' }),
      sender.send(payload, { signature: null }),
      sender.send(payload, { signature: 'sha256=not-hex' }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(await items('facebook', commentId)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 200));
    const warnings = ingest
      .output()
      .slice(before)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; message: string })
      .filter((r) => r.level === 'warn' && r.message.startsWith('meta webhook refused from'));
    expect(warnings).toHaveLength(3);
    for (const w of warnings) expect(w.message).toMatch(/from (::ffff:)?127\.0\.0\.1: /);
    expect(ingest.output()).not.toContain(FAKE_CREDENTIALS.meta.appSecret);
  });

  it('checks the signature before reading the body: unsigned garbage is 401, signed garbage 400', async () => {
    expect((await sender.send('{not json', { signature: null })).status).toBe(401);
    const res = await sender.send('{not json');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'malformed' });
  });

  it('refuses a signed body of entirely the wrong shape, or an empty one, with 400', async () => {
    expect((await sender.send([{ object: 'page' }])).status).toBe(400);
    expect((await sender.send({ object: 'page', entry: 'nope' })).status).toBe(400);
    expect((await sender.send('')).status).toBe(400);
  });

  it('refuses a body over the cap with 413 and stores nothing', async () => {
    const { postId, commentId } = ids();
    const payload = comment({ postId, commentId, text: 'x'.repeat(BODY_LIMIT) });
    const body = JSON.stringify(payload);
    const res = await sender.send(body, { signature: metaSignature(body) });
    expect(res.status).toBe(413);
    expect(await items('facebook', commentId)).toHaveLength(0);
  });

  it('is still healthy after all of it', async () => {
    expect((await fetch(`http://127.0.0.1:${PORT}/health`)).status).toBe(200);
    expect(ingest.process.exitCode).toBeNull();
  });
});
