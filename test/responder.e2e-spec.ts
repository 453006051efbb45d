import { Queue } from 'bullmq';
import pg from 'pg';
import { FAKE_CREDENTIALS, redisConnectionOptions } from '@desk/config';
import { FakeGraphApi } from './fakes/graph-api.js';
import { SmtpSink } from './fakes/smtp-sink.js';
import { FakeXApi } from './fakes/x-api.js';
import { addOutbound, outboundRow, queueSend, seedOutbound, settled, settleOtherSuitesRows } from './support/outbound-seed.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';

const prefix = testQueuePrefix('responder');
const connection = redisConnectionOptions(TEST_REDIS_URL);
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 3 });
const redis = testRedis();
const subscriber = testRedis();
const queue = new Queue('outbound', { connection, prefix });
const ME = FAKE_CREDENTIALS.x.userId;
const PAGE = '1234567890';
const IG = '17841400000000001';
const PORTS = { responder: 4500, x: 4501, graph: 4502, smtp: 4503 };
const FROM = 'Communications team <communications@trust.example>';
const events: Array<Record<string, unknown>> = [];
let x: FakeXApi;
let graph: FakeGraphApi;
let sink: SmtpSink;
let responder: RunningService;

const env = () => ({
  QUEUE_PREFIX: prefix,
  X_API_BASE_URL: x.url,
  X_ACCESS_TOKEN: FakeXApi.tokenFor(ME),
  META_GRAPH_URL: graph.url,
  META_PAGE_TOKENS: `${PAGE}=page-token-fb,${IG}=page-token-ig`,
  META_APP_SECRET: 'graph-app-secret',
  MAIL_DRIVER: 'live',
  MAIL_FROM: FROM,
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(PORTS.smtp),
  OUTBOUND_LOCK_MS: '2000',
  LOG_LEVEL: 'warn',
});

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  await settleOtherSuitesRows(db);
  x = await FakeXApi.start(PORTS.x);
  graph = await FakeGraphApi.start(PORTS.graph, { tokens: { [PAGE]: 'page-token-fb', [IG]: 'page-token-ig' }, appSecret: 'graph-app-secret' });
  sink = await SmtpSink.start({ port: PORTS.smtp });
  await subscriber.subscribe(`${prefix}:desk-events`);
  subscriber.on('message', (_channel, message) => events.push(JSON.parse(message)));
  responder = await startHealthy('responder', PORTS.responder, env());
}, 60_000);

afterAll(async () => {
  await responder?.stop();
  await Promise.all([x?.close(), graph?.close(), sink?.stop(), queue.close()]);
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), subscriber.quit(), db.end()]);
});

const tweetId = () => `${BigInt(Date.now()) * 4194304n + BigInt(Math.floor(Math.random() * 4194304))}`;
const item = async (id: string) => (await db.query(`SELECT * FROM inbound_item WHERE id = $1`, [id])).rows[0];
const conversation = async (id: string) => (await db.query(`SELECT * FROM conversation WHERE id = $1`, [id])).rows[0];

/** Whether one of the responder's connections is waiting for a row lock. */
async function responderWaitsForALock(): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'responder' AND wait_event_type = 'Lock'`,
  );
  return rows.length > 0;
}

async function eventFor(outboundId: string, type: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const found = events.find((e) => e.outboundId === outboundId && e.type === type);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${type} event for ${outboundId}: ${JSON.stringify(events.slice(-5))}`);
}

describe('X', () => {
  it('replies to the tweet once, records the post and the first response, and tells the desk', async () => {
    const target = tweetId();
    const seeded = await seedOutbound(db, { channel: 'x', externalId: target }, { kind: 'reply', template: 'clinical', body: "We can't give medical advice here. Please call NHS 111." });
    await queueSend(queue, seeded.outboundId);
    const row = await settled(db, seeded.outboundId);
    const posts = x.posts.filter((p) => p.in_reply_to_tweet_id === target);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ author_id: ME, text: "We can't give medical advice here. Please call NHS 111." });
    expect(row).toMatchObject({ status: 'sent', provider_id: posts[0]!.id, attempts: 1 });
    expect(row.sent_at).toBeInstanceOf(Date);
    const answered = await item(seeded.itemId);
    expect(answered).toMatchObject({ first_response_automatic: true, status: 'deflected' });
    expect(answered.first_response_at.getTime()).toBe(row.sent_at.getTime());
    expect(await eventFor(seeded.outboundId, 'outbound.sent')).toMatchObject({ itemId: seeded.itemId, kind: 'reply', reconciled: false });

    // The same job again (a duplicate from the sweeper or the desk) posts nothing more.
    await queue.add('outbound.send', { v: 1, outboundId: seeded.outboundId }, { jobId: `again-${seeded.outboundId}` });
    await new Promise((r) => setTimeout(r, 500));
    expect(x.posts.filter((p) => p.in_reply_to_tweet_id === target)).toHaveLength(1);
    expect((await outboundRow(db, seeded.outboundId)).attempts).toBe(1);
  });

  it('refuses a reply over 280 characters before calling X, and gives the item back to a person', async () => {
    const target = tweetId();
    const long = `${'Please call NHS 111 for advice. '.repeat(9)}Thank you.`;
    const seeded = await seedOutbound(db, { channel: 'x', externalId: target }, { kind: 'reply', body: long, automatic: false });
    await queueSend(queue, seeded.outboundId);
    const row = await settled(db, seeded.outboundId);
    expect(row.status).toBe('failed');
    expect(row.error.kind).toBe('permanent');
    expect(row.error.message).toMatch(/280/);
    expect(x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets' && JSON.stringify(r.body ?? '').includes(target))).toHaveLength(0);
    expect(await conversation(seeded.conversationId)).toMatchObject({ status: 'open' });
    expect((await conversation(seeded.conversationId)).due_at).toEqual((await item(seeded.itemId)).due_at);
    expect(await eventFor(seeded.outboundId, 'outbound.failed')).toMatchObject({ reason: row.error.message });
  });

  it('a deleted tweet fails with X’s reason kept, and is not retried', async () => {
    const target = tweetId();
    x.deleteTweet(target);
    const seeded = await seedOutbound(db, { channel: 'x', externalId: target }, { kind: 'reply' });
    await queueSend(queue, seeded.outboundId);
    const row = await settled(db, seeded.outboundId);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.error).toMatchObject({ kind: 'permanent', provider: 'x', status: 403 });
    expect(JSON.stringify(row.error.body)).toMatch(/deleted|not visible|not found/i);
  });

  it('sends a DM to the person who wrote, and hides an abusive reply', async () => {
    const sender = '750362064426721281';
    const dm = await seedOutbound(db, { channel: 'x_dm', contactId: sender }, { kind: 'direct_message', body: 'Please call NHS 111, or 999 in an emergency.' });
    const target = tweetId();
    const hide = await seedOutbound(db, { channel: 'x', externalId: target, route: 'abuse' }, { kind: 'hide', body: null });
    await Promise.all([queueSend(queue, dm.outboundId), queueSend(queue, hide.outboundId)]);
    const [dmRow, hideRow] = await Promise.all([settled(db, dm.outboundId), settled(db, hide.outboundId)]);
    const sent = x.dmsSent.filter((d) => d.participant_id === sender);
    expect(sent.map((d) => d.text)).toEqual(['Please call NHS 111, or 999 in an emergency.']);
    expect(dmRow).toMatchObject({ status: 'sent', provider_id: sent[0]!.id });
    expect(hideRow).toMatchObject({ status: 'sent', provider_id: target });
    expect(x.hidden.get(target)).toBe(true);
    expect((await item(hide.itemId)).hidden_at).toBeInstanceOf(Date);
    // Hiding is not an answer to the person: the SLA clock still runs.
    expect((await item(hide.itemId)).first_response_at).toBeNull();
  });

  it('waits out a 429 until x-rate-limit-reset, then posts once; nothing is dropped', async () => {
    const target = tweetId();
    x.limitNext(ME, 'tweets_create', { times: 1, resetInSeconds: 2 });
    const seeded = await seedOutbound(db, { channel: 'x', externalId: target }, { kind: 'reply', body: 'Rate limited, then sent.' });
    const queuedAt = Date.now();
    await queueSend(queue, seeded.outboundId);
    const row = await settled(db, seeded.outboundId, 20_000);
    expect(row.status).toBe('sent');
    const creates = x.requestsFor(ME, 'tweets_create').filter((r) => r.at >= queuedAt);
    const limited = creates.find((r) => r.status === 429)!;
    const accepted = creates.filter((r) => r.status === 201);
    expect(limited).toBeDefined();
    expect(accepted).toHaveLength(1);
    // Not before X said it could: the reset is whole epoch seconds.
    expect(accepted[0]!.at).toBeGreaterThanOrEqual(limited.rateLimitReset! * 1000);
    expect(x.posts.filter((p) => p.in_reply_to_tweet_id === target)).toHaveLength(1);
    // Two runs, but the wait was not counted as a failed attempt: only the completion was.
    const job = await queue.getJob(`outbound-send-${seeded.outboundId}`);
    expect(job?.attemptsStarted).toBe(2);
    expect(job?.attemptsMade).toBe(1);
  });
});

describe('what a sent row changes', () => {
  const HOUR = 3_600_000;

  /** Another message in the conversation, as triage leaves it. */
  async function addItem(conversationId: string, route: string, dueAt: Date): Promise<string> {
    const [row] = (
      await db.query(
        `INSERT INTO inbound_item (channel, external_id, conversation_id, contact_id, received_at, body, raw, status, route, due_at, triaged_at)
         SELECT 'x', $2, $1, contact_id, now() - interval '1 minute', 'Another question', '{}', 'triaged', $3, $4, now() FROM conversation WHERE id = $1
         RETURNING id`,
        [conversationId, tweetId(), route, dueAt],
      )
    ).rows;
    return row.id;
  }

  /** A conversation whose earliest item a person must answer is the one being replied to. */
  async function conversationOfThree() {
    const due = new Date(Date.now() + 2 * HOUR);
    const seeded = await seedOutbound(db, { channel: 'x', externalId: tweetId(), route: 'general', dueAt: due }, { kind: 'reply', automatic: false, body: 'Thanks, we are looking into it.' });
    const later = new Date(due.getTime() + HOUR);
    await addItem(seeded.conversationId, 'general', later);
    // Answered automatically and closed: never what the conversation is due for, however early.
    const clinical = await addItem(seeded.conversationId, 'clinical', new Date(due.getTime() - HOUR));
    await db.query(`UPDATE conversation SET status = 'open', due_at = $2 WHERE id = $1`, [seeded.conversationId, due]);
    return { ...seeded, due, later, clinical };
  }

  it('a reply makes the conversation due when its next item for a person is, and is audited', async () => {
    const c = await conversationOfThree();
    await queueSend(queue, c.outboundId);
    const row = await settled(db, c.outboundId);
    expect(row.status).toBe('sent');
    expect(await item(c.itemId)).toMatchObject({ status: 'responded', first_response_automatic: false });
    expect((await conversation(c.conversationId)).due_at).toEqual(c.later);
    const audit = await db.query(`SELECT details FROM audit_event WHERE action = 'outbound.sent' AND subject_id = $1`, [c.outboundId]);
    expect(audit.rows.map((r) => r.details)).toEqual([{ providerId: row.provider_id, reconciled: false, kind: 'reply', itemId: c.itemId }]);

    // A deflection of the clinical item answers it and leaves the conversation's due time alone.
    const deflection = await addOutbound(db, { itemId: c.clinical, conversationId: c.conversationId, channel: 'x' }, { kind: 'reply', template: 'clinical' });
    await queueSend(queue, deflection);
    expect((await settled(db, deflection)).status).toBe('sent');
    expect(await item(c.clinical)).toMatchObject({ status: 'deflected', first_response_automatic: true });
    expect((await conversation(c.conversationId)).due_at).toEqual(c.later);
  });

  it('waits for an item another transaction holds, and reckons the due time with what was committed meanwhile', async () => {
    const c = await conversationOfThree();
    const holder = await db.connect();
    try {
      // The desk's report refresh holds the items it recomputes, just-triaged ones among them.
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM inbound_item WHERE id = $1 FOR UPDATE`, [c.itemId]);
      await queueSend(queue, c.outboundId);
      for (let i = 0; i < 200 && !(await responderWaitsForALock()); i++) await new Promise((r) => setTimeout(r, 25));
      expect(await responderWaitsForALock()).toBe(true);
      // Meanwhile triage links an earlier-due message to the conversation.
      const urgent = new Date(c.due.getTime() - 30 * 60_000);
      await addItem(c.conversationId, 'complaint', urgent);
      await db.query(`UPDATE conversation SET due_at = $2 WHERE id = $1`, [c.conversationId, urgent]);
      await holder.query('COMMIT');
      expect((await settled(db, c.outboundId)).status).toBe('sent');
      expect((await item(c.itemId)).first_response_at).toBeInstanceOf(Date);
      expect((await conversation(c.conversationId)).due_at).toEqual(urgent);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
  });

  it('waits for a conversation triage holds, and reckons the due time with the item triage added to it', async () => {
    const c = await conversationOfThree();
    const holder = await db.connect();
    try {
      // Triage, mid-batch: it has linked an earlier-due message and holds the conversation.
      const urgent = new Date(c.due.getTime() - 30 * 60_000);
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM conversation WHERE id = $1 FOR NO KEY UPDATE`, [c.conversationId]);
      await holder.query(
        `INSERT INTO inbound_item (channel, external_id, conversation_id, contact_id, received_at, body, raw, status, route, due_at, triaged_at)
         SELECT 'x', $2, $1, contact_id, now(), 'Urgent question', '{}', 'triaged', 'complaint', $3, now() FROM conversation WHERE id = $1`,
        [c.conversationId, tweetId(), urgent],
      );
      await holder.query(`UPDATE conversation SET due_at = $2 WHERE id = $1`, [c.conversationId, urgent]);
      await queueSend(queue, c.outboundId);
      for (let i = 0; i < 200 && !(await responderWaitsForALock()); i++) await new Promise((r) => setTimeout(r, 25));
      expect(await responderWaitsForALock()).toBe(true);
      await holder.query('COMMIT');
      expect((await settled(db, c.outboundId)).status).toBe('sent');
      expect((await item(c.itemId)).first_response_at).toBeInstanceOf(Date);
      expect((await conversation(c.conversationId)).due_at).toEqual(urgent);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
  });

  it('hiding keeps the time the item was first hidden; unhiding clears it', async () => {
    const target = tweetId();
    const hiddenAt = new Date(Date.now() - HOUR);
    const hide = await seedOutbound(db, { channel: 'x', externalId: target, route: 'abuse' }, { kind: 'hide', body: null });
    await db.query(`UPDATE inbound_item SET hidden_at = $2 WHERE id = $1`, [hide.itemId, hiddenAt]);
    await queueSend(queue, hide.outboundId);
    expect((await settled(db, hide.outboundId)).status).toBe('sent');
    expect((await item(hide.itemId)).hidden_at).toEqual(hiddenAt);
    const unhide = await addOutbound(db, { ...hide, channel: 'x' }, { kind: 'unhide', body: null });
    await queueSend(queue, unhide);
    expect((await settled(db, unhide)).status).toBe('sent');
    expect(x.hidden.get(target)).toBe(false);
    expect((await item(hide.itemId)).hidden_at).toBeNull();
  });
});

describe('Facebook and Instagram', () => {
  beforeEach(async () => {
    graph.reset();
    await redis.del(`${prefix}:pace:graph`);
  });

  it('replies on the right edge with the right Page token, and hides on both networks', async () => {
    const fbComment = `${PAGE.slice(0, 4)}98765_${Date.now()}`;
    const igComment = `1785889${Date.now()}`;
    graph.addComment('facebook', { id: fbComment, accountId: PAGE, message: 'What dose should I take?', fromId: '5550001' });
    graph.addComment('instagram', { id: igComment, accountId: IG, message: 'Can you move my appointment?', fromId: '5550002' });
    const fb = await seedOutbound(db, { channel: 'facebook', externalId: fbComment, raw: { object: 'page', entry: { id: PAGE } } }, { kind: 'reply', body: 'Please call NHS 111.' });
    const ig = await seedOutbound(db, { channel: 'instagram', externalId: igComment, raw: { object: 'instagram', entry: { id: IG } } }, { kind: 'reply', body: 'Please call the appointments team.' });
    const fbHide = await addOutbound(db, { ...fb, channel: 'facebook' }, { kind: 'hide', body: null });
    const igHide = await addOutbound(db, { ...ig, channel: 'instagram' }, { kind: 'hide', body: null });
    const ids = [fb.outboundId, ig.outboundId, fbHide, igHide];
    for (const id of ids) await queueSend(queue, id);
    const rows = await Promise.all(ids.map((id) => settled(db, id)));
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(graph.replies.map((r) => [r.network, r.parentId, r.message, r.fromId]).sort()).toEqual(
      [
        ['facebook', fbComment, 'Please call NHS 111.', PAGE],
        ['instagram', igComment, 'Please call the appointments team.', IG],
      ].sort(),
    );
    expect(rows[0].provider_id).toBe(graph.replies.find((r) => r.network === 'facebook')!.id);
    const posts = graph.requests.filter((r) => r.method === 'POST');
    expect(posts.find((r) => r.path === `/${fbComment}/comments`)?.token).toBe('page-token-fb');
    expect(posts.find((r) => r.path === `/${igComment}/replies`)?.token).toBe('page-token-ig');
    expect(graph.hidden.get(fbComment)).toBe(true);
    expect(graph.hidden.get(igComment)).toBe(true);
  });

  it('keeps Graph’s error (code, subcode, fbtrace_id) for the desk when the token is bad', async () => {
    graph.tokens[PAGE] = 'a-newer-token';
    try {
      const comment = `${Date.now()}_1`;
      graph.addComment('facebook', { id: comment, accountId: PAGE, message: 'Hello', fromId: '5550003' });
      const seeded = await seedOutbound(db, { channel: 'facebook', externalId: comment, raw: { entry: { id: PAGE } } }, { kind: 'reply' });
      await queueSend(queue, seeded.outboundId);
      const row = await settled(db, seeded.outboundId);
      expect(row.status).toBe('failed');
      expect(row.error).toMatchObject({ kind: 'permanent', provider: 'graph', code: 190 });
      expect(row.error.traceId).toMatch(/\S+/);
      expect(row.error.body.error.fbtrace_id).toBe(row.error.traceId);
      expect(graph.replies).toHaveLength(0);
    } finally {
      graph.tokens[PAGE] = 'page-token-fb';
    }
  });

  it('slows every responder down when Graph reports high usage', async () => {
    graph.usage = { app: { call_count: 85, total_cputime: 10, total_time: 10 } };
    const comment = `${Date.now()}_2`;
    graph.addComment('facebook', { id: comment, accountId: PAGE, message: 'Hello', fromId: '5550004' });
    const seeded = await seedOutbound(db, { channel: 'facebook', externalId: comment, raw: { entry: { id: PAGE } } }, { kind: 'reply' });
    await queueSend(queue, seeded.outboundId);
    expect((await settled(db, seeded.outboundId)).status).toBe('sent');
    // 85% is past the 75% threshold: no Graph call for a while, shared through Redis.
    const ttl = await redis.pttl(`${prefix}:pace:graph`);
    expect(ttl).toBeGreaterThan(5_000);
    expect(ttl).toBeLessThan(61_000);
  });

  it('waits out a Graph rate-limit code instead of failing the reply', async () => {
    graph.limitNext({ times: 1, code: 4, regainMinutes: 1 });
    const comment = `${Date.now()}_3`;
    graph.addComment('facebook', { id: comment, accountId: PAGE, message: 'Hello', fromId: '5550005' });
    const seeded = await seedOutbound(db, { channel: 'facebook', externalId: comment, raw: { entry: { id: PAGE } } }, { kind: 'reply' });
    await queueSend(queue, seeded.outboundId);
    const job = `outbound-send-${seeded.outboundId}`;
    for (let i = 0; i < 100 && (await queue.getJob(job).then((j) => j?.getState())) !== 'delayed'; i++) await new Promise((r) => setTimeout(r, 50));
    const delayed = await queue.getJob(job);
    expect(await delayed!.getState()).toBe('delayed');
    // About a minute, as the regain estimate said; the row waits, unfailed, for the next attempt.
    // BullMQ keeps a delayed job's due time in its score, shifted left 12 bits.
    const dueAt = Math.floor(Number(await redis.zscore(`${prefix}:outbound:delayed`, job)) / 4096);
    expect(dueAt - Date.now()).toBeGreaterThan(45_000);
    expect(await outboundRow(db, seeded.outboundId)).toMatchObject({ status: 'pending' });
    expect((await outboundRow(db, seeded.outboundId)).error).toMatchObject({ kind: 'rate_limited', provider: 'graph', code: 4 });
    expect(graph.requests.filter((r) => r.path === `/${comment}/comments`).map((r) => r.status)).toEqual([400]);
  });
});

describe('email and the press office', () => {
  beforeAll(async () => {
    await db.query(`UPDATE setting SET value = value || '{"trust_name": "Northfield NHS Foundation Trust"}' WHERE key = 'trust'`);
  });

  it('an officer’s reply is threaded under the original, signed with their name and initials', async () => {
    const [officer] = (
      await db.query(`INSERT INTO "user" (email, name, initials, role, password_hash) VALUES ($1, 'Alice Brown', 'AB', 'officer', 'x') RETURNING id`, [
        `alice.${Date.now()}@trust.example`,
      ])
    ).rows;
    const seeded = await seedOutbound(
      db,
      {
        channel: 'email',
        externalId: '<parking-7@mail.example.org>',
        contactId: 'jo.bloggs@example.org',
        contactName: 'Jo Bloggs',
        subject: 'Parking at the <b>north</b> site',
        body: 'Why is parking <script>alert(1)</script> so expensive?',
        raw: { headers: { references: '<earlier-1@mail.example.org>', 'reply-to': 'Jo <jo.replies@example.org>' } },
      },
      { kind: 'email', automatic: false, authorId: officer.id, body: 'Thank you for getting in touch.\n\nParking charges are set by the estates team.' },
    );
    await queueSend(queue, seeded.outboundId);
    const row = await settled(db, seeded.outboundId);
    expect(row.status).toBe('sent');
    const mail = sink.messages.find((m) => m.inReplyTo === '<parking-7@mail.example.org>')!;
    expect(mail).toBeDefined();
    expect(mail.messageId).toBe(row.provider_id);
    expect(mail.to).toEqual(['jo.replies@example.org']);
    expect(mail.from).toContain('communications@trust.example');
    expect(mail.subject).toBe('Re: Parking at the <b>north</b> site');
    expect(mail.references).toEqual(['<earlier-1@mail.example.org>', '<parking-7@mail.example.org>']);
    expect(mail.text).toContain('Parking charges are set by the estates team.');
    expect(mail.text).toMatch(/Alice Brown – AB\s+Communications team, Northfield NHS Foundation Trust/);
    // The original is quoted, and public text is escaped in the HTML part.
    expect(mail.text).toContain('> Why is parking <script>alert(1)</script> so expensive?');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(await item(seeded.itemId)).toMatchObject({ first_response_automatic: false, status: 'responded' });
  });

  it('a media enquiry goes to the press office with a reference and what they need; the journalist gets the acknowledgement', async () => {
    const seeded = await seedOutbound(
      db,
      {
        channel: 'x',
        externalId: tweetId(),
        contactHandle: 'jsmith_news',
        contactName: 'Jane Smith',
        route: 'media',
        url: 'https://x.com/jsmith_news/status/1',
        body: "I'm a reporter at BBC Radio Sheffield doing a piece on A&E waits. Could we get a statement by 4pm today?",
        dueAt: new Date('2026-11-23T16:30:00Z'),
      },
      { kind: 'press_forward', channel: 'email', body: null, recipient: 'press@trust.example' },
    );
    const ack = await addOutbound(db, { ...seeded, channel: 'x' }, { kind: 'reply', template: 'press_ack', body: 'Thanks: our press office has your message.' });
    await queueSend(queue, seeded.outboundId);
    await queueSend(queue, ack);
    const [forward, ackRow] = await Promise.all([settled(db, seeded.outboundId), settled(db, ack)]);
    expect(forward.reference).toMatch(/^MED-\d{4}-\d{4,}$/);
    expect([forward.status, ackRow.status]).toEqual(['sent', 'sent']);
    const mail = sink.messages.find((m) => m.messageId === forward.provider_id)!;
    expect(mail.to).toEqual(['press@trust.example']);
    expect(mail.subject).toContain(`[${forward.reference}]`);
    expect(mail.headers.get('x-desk-reference')).toBe(forward.reference);
    for (const fact of ['Jane Smith', 'jsmith_news', 'BBC Radio Sheffield', 'X', 'A&E waits', 'https://x.com/jsmith_news/status/1', 'by 4pm today', 'Mon 23 Nov']) {
      expect(mail.text).toContain(fact);
    }
    expect(x.posts.filter((p) => p.text === 'Thanks: our press office has your message.')).toHaveLength(1);
  });

  it('with no press-office address set, the forward fails with the setting to fix, for a person to see', async () => {
    const seeded = await seedOutbound(db, { channel: 'facebook', route: 'media', raw: { entry: { id: PAGE } } }, { kind: 'press_forward', channel: 'email', body: null, recipient: null });
    await queueSend(queue, seeded.outboundId);
    const row = await settled(db, seeded.outboundId);
    expect(row.status).toBe('failed');
    expect(row.error.message).toContain('press_office_email');
    expect(await conversation(seeded.conversationId)).toMatchObject({ status: 'open' });
  });
});
