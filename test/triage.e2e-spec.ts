import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { redisConnectionOptions } from '@desk/config';
import { dueAt } from '@desk/sla';
import { feedCommentPayload, MetaWebhookSender } from './fakes/meta-webhook.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';

const prefix = testQueuePrefix('triage');
const connection = redisConnectionOptions(TEST_REDIS_URL);
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 3 });
const redis = testRedis();
const outboundQueue = new Queue('outbound', { connection, prefix });
const triageQueue = new Queue('triage', { connection, prefix });
const meta = new MetaWebhookSender('http://127.0.0.1:4450');
const PAGE = '1234567890';
let services: RunningService[] = [];

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  await db.query(
    `UPDATE setting SET value = value || '{"press_office_email": "press@trust.example", "on_duty_email": "on-duty@trust.example"}' WHERE key = 'trust'`,
  );
  const env = { QUEUE_PREFIX: prefix, X_POLL_INTERVAL_MS: '0', MAIL_SPOOL_DIR: `/tmp/${prefix}-spool` };
  services = await Promise.all([startHealthy('ingest', 4450, env), startHealthy('triage', 4452, env)]);
}, 60_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await Promise.all([outboundQueue.close(), triageQueue.close()]);
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
});

interface Posted {
  commentId: string;
  postId: string;
}

async function comment(text: string, over: { from?: { id: string; name: string }; parentId?: string; postId?: string; createdTime?: number } = {}): Promise<Posted> {
  const postId = over.postId ?? `${PAGE}_${randomUUID().slice(0, 8)}`;
  const commentId = `${postId.split('_')[1]}_${randomUUID().slice(0, 12)}`;
  const res = await meta.send(feedCommentPayload({ postId, commentId, text, parentId: over.parentId, from: over.from, createdTime: over.createdTime, pageId: PAGE }));
  expect(res.status).toBe(200);
  return { commentId, postId };
}

async function triaged(commentId: string) {
  for (let i = 0; i < 100; i++) {
    const { rows } = await db.query(`SELECT * FROM inbound_item WHERE channel = 'facebook' AND external_id = $1 AND triaged_at IS NOT NULL`, [commentId]);
    if (rows[0]) return rows[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`comment ${commentId} was not triaged`);
}

async function outbound(itemId: string) {
  const { rows } = await db.query(`SELECT * FROM outbound_message WHERE inbound_item_id = $1 ORDER BY idempotency_key`, [itemId]);
  return rows;
}

const person = () => ({ id: `${Date.now()}${Math.floor(Math.random() * 1e6)}`, name: 'A Member Of The Public' });

describe('items posted to ingest come out of triage routed, due and acted on', () => {
  it('an emergency: signposting reply and an alert to the on-duty officer, top of the queue', async () => {
    const { commentId } = await comment("I can't go on any more. I'm going to kill myself tonight, I've got the pills ready.", { from: person() });
    const item = await triaged(commentId);
    expect(item.route).toBe('urgent_safety');
    expect(item.due_at.toISOString()).toBe(dueAt(item.received_at).toISOString());
    const conversation = (await db.query(`SELECT * FROM conversation WHERE id = $1`, [item.conversation_id])).rows[0];
    expect(conversation).toMatchObject({ status: 'open', priority: 0, route: 'urgent_safety' });
    const sent = await outbound(item.id);
    expect(sent.map((o) => [o.kind, o.channel, o.status, o.recipient])).toEqual([
      ['alert', 'email', 'pending', 'on-duty@trust.example'],
      ['reply', 'facebook', 'pending', null],
    ]);
    expect(sent[1].body).toContain('116 123');
    for (const o of sent) expect((await outboundQueue.getJob(`outbound-send-${o.id}`))?.data).toEqual({ v: 1, outboundId: o.id });
    const audit = await db.query(`SELECT details FROM audit_event WHERE action = 'item.triaged' AND subject_id = $1`, [item.id]);
    expect(audit.rows[0].details).toMatchObject({ route: 'urgent_safety', conversationId: item.conversation_id });
    expect(item.reasons.length).toBeGreaterThan(0);
  });

  it('a clinical question: the deflection template, and the conversation closes', async () => {
    const { commentId } = await comment('Is it safe to take ibuprofen together with my blood pressure tablets? What dose should I take?', { from: person() });
    const item = await triaged(commentId);
    expect(item.route).toBe('clinical');
    expect((await outbound(item.id)).map((o) => [o.kind, o.template])).toEqual([['reply', 'clinical']]);
    expect((await db.query(`SELECT status FROM conversation WHERE id = $1`, [item.conversation_id])).rows[0].status).toBe('closed');
  });

  it('a journalist: forwarded to the press office and acknowledged', async () => {
    const { commentId } = await comment(
      "I'm a reporter at the Evening Chronicle writing a story about ambulance handover delays. Could the trust give us a statement by 4pm today?",
      { from: person() },
    );
    const item = await triaged(commentId);
    expect(item.route).toBe('media');
    expect((await outbound(item.id)).map((o) => [o.kind, o.template, o.recipient])).toEqual([
      ['press_forward', null, 'press@trust.example'],
      ['reply', 'press_ack', null],
    ]);
  });

  it('abuse: hidden, a strike each time, and the author flagged for blocking at the third', async () => {
    const troll = person();
    const ids: string[] = [];
    for (const text of ['You useless f*cking idiots, the lot of you', 'Shut up you pathetic morons', 'Your nurses are stupid b*tches']) {
      const { commentId } = await comment(text, { from: troll });
      const item = await triaged(commentId);
      expect(item.route).toBe('abuse');
      expect((await outbound(item.id)).map((o) => o.kind)).toEqual(['hide']);
      ids.push(item.id);
    }
    const second = (await db.query(`SELECT flags FROM inbound_item WHERE id = $1`, [ids[1]])).rows[0];
    expect(second.flags).toContain('repeat_offender');
    const contact = (await db.query(`SELECT c.flagged_for_block_at, (SELECT count(*)::int FROM strike s WHERE s.contact_id = c.id) AS strikes
                                       FROM contact c JOIN inbound_item i ON i.contact_id = c.id WHERE i.id = $1`, [ids[2]])).rows[0];
    expect(contact.strikes).toBe(3);
    expect(contact.flagged_for_block_at).toBeInstanceOf(Date);
  });

  it('abuse arriving together: every item after the author’s first counts as a repeat, decided in one batch or overlapping ones', async () => {
    const troll = person();
    const texts = ['You useless f*cking idiots', 'Shut up you pathetic morons', 'Your nurses are stupid b*tches', 'Useless idiots the lot of you'];
    const base = Math.floor(Date.now() / 1000) - 60;
    const posted = await Promise.all(texts.map((text, i) => comment(text, { from: troll, createdTime: base + i })));
    const items = await Promise.all(posted.map((p) => triaged(p.commentId)));
    expect(items.map((i) => i.route)).toEqual(['abuse', 'abuse', 'abuse', 'abuse']);
    // Read before any of their strikes was committed, they would all have looked like first offences.
    expect(items.filter((i) => i.flags.includes('repeat_offender'))).toHaveLength(3);
  });

  it('a reply joins its thread’s conversation; the conversation is due at its earliest waiting item', async () => {
    const from = person();
    const first = await comment('Why has my husband been waiting 9 hours in A&E with no update? This is a disgrace and I want to complain.', { from });
    const firstItem = await triaged(first.commentId);
    expect(firstItem.route).toBe('complaint');
    const reply = await comment('Still nobody has come to see him.', { from, postId: first.postId, parentId: first.commentId });
    const replyItem = await triaged(reply.commentId);
    expect(replyItem.conversation_id).toBe(firstItem.conversation_id);
    const conversation = (await db.query(`SELECT * FROM conversation WHERE id = $1`, [firstItem.conversation_id])).rows[0];
    expect(conversation.due_at.toISOString()).toBe(firstItem.due_at.toISOString());
    expect(conversation.status).toBe('open');
  });

  it('flags an item that arrived out of hours, and starts its clock at the next opening', async () => {
    const saturday = Date.UTC(2026, 10, 21, 11, 0, 0) / 1000; // Sat 21 Nov 2026 11:00
    const { commentId } = await comment('What time does the hospital shop open on Sundays?', { from: person(), createdTime: saturday });
    const item = await triaged(commentId);
    expect(item.flags).toContain('out_of_hours');
    expect(item.due_at.toISOString()).toBe('2026-11-25T17:00:00.000Z');
  });

  it('running the job again changes nothing more', async () => {
    const { commentId } = await comment("I'm going to hurt myself, I can't cope with this pain any more", { from: person() });
    const item = await triaged(commentId);
    const before = await outbound(item.id);
    const again = await triageQueue.add('triage.item', { v: 1, itemId: item.id }, { jobId: `again-${randomUUID()}` });
    for (let i = 0; i < 100 && !(await again.isCompleted()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await again.isCompleted()).toBe(true);
    expect((await triageQueue.getJob(again.id!))?.returnvalue).toEqual({ skipped: 'already triaged' });
    expect(await outbound(item.id)).toEqual(before);
    const audits = await db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'item.triaged' AND subject_id = $1`, [item.id]);
    expect(audits.rows[0].n).toBe(1);
  });
});
