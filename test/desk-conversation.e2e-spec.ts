import { Queue } from 'bullmq';
import pg from 'pg';
import { redisConnectionOptions } from '@desk/config';
import type { ConversationView, OutboundView, PressEnquiry, TimelineEntry } from '@desk/domain';
import { jobIdFor } from '@desk/queues';
import { defaultCalendar, explainDue } from '@desk/sla';
import { createUser, deskEnv, DeskClient, eventually, seedConversation, seedOutboundRow, type Session, type TestUser } from './support/desk.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';

const prefix = testQueuePrefix('desk-conversation');
const connection = redisConnectionOptions(TEST_REDIS_URL);
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 3 });
const redis = testRedis();
const outboundQueue = new Queue('outbound', { connection, prefix });
const deskQueue = new Queue('desk', { connection, prefix });
const api = new DeskClient('http://127.0.0.1:4710');
const calendar = defaultCalendar();
const HOUR = 3_600_000;
let services: RunningService[] = [];
let alex: TestUser;
let bea: TestUser;
let pat: TestUser;
let a: Session;
let b: Session;
let press: Session;

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  const overrides = await db.query(`SELECT key FROM setting WHERE key IN ('sla.calendar', 'sla.bank_holidays')`);
  if (overrides.rowCount) throw new Error(`a calendar setting is stored (${overrides.rows.map((r) => r.key)}); this suite expects SLA.md's calendar`);
  services = await Promise.all([
    startHealthy('desk', 4710, deskEnv(prefix, { LOG_LEVEL: 'warn' })),
    startHealthy('triage', 4711, { QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' }),
  ]);
  alex = await createUser(db, { role: 'officer', name: 'Alex Able', initials: 'AA' });
  bea = await createUser(db, { role: 'officer', name: 'Bea Brown', initials: 'BB' });
  pat = await createUser(db, { role: 'press', name: 'Pat Press', initials: 'PP' });
  [a, b, press] = await Promise.all([api.loginAs(alex), api.loginAs(bea), api.loginAs(pat)]);
}, 60_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await Promise.all([outboundQueue.close(), deskQueue.close()]);
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
});

async function view(id: string, as: Session = a): Promise<ConversationView> {
  const res = await api.get(as, `/api/conversations/${id}`);
  if (res.status !== 200) throw new Error(`view ${id}: ${res.status} ${res.text}`);
  return res.body;
}

const conversation = async (id: string) => (await db.query(`SELECT * FROM conversation WHERE id = $1`, [id])).rows[0];
const outboundRow = async (id: string) => (await db.query(`SELECT * FROM outbound_message WHERE id = $1`, [id])).rows[0];
const reply = (as: Session, id: string, body: Record<string, unknown>) => api.post(as, `/api/conversations/${id}/replies`, { visibility: 'public', ...body });

describe('the conversation view', () => {
  it('shows the thread: items, outbound rows with a failure explained, notes and audit events, in time order', async () => {
    const received = new Date(Date.now() - 3 * HOUR);
    const seeded = await seedConversation(db, {
      channel: 'x',
      contact: { handle: 'anxious_parent', displayName: 'Sam Parent' },
      dueAt: calendar.dueAt(received),
      items: [
        { body: 'Why has my son waited 6 hours?', receivedAt: received, dueAt: calendar.dueAt(received) },
        { body: 'Still waiting.', receivedAt: new Date(Date.now() - HOUR), dueAt: calendar.dueAt(Date.now() - HOUR) },
      ],
    });
    const sent = await seedOutboundRow(db, {
      kind: 'reply',
      channel: 'x',
      itemId: seeded.itemIds[0]!,
      conversationId: seeded.conversationId,
      status: 'sent',
      body: 'Sorry to hear this.',
      createdAt: new Date(Date.now() - 2 * HOUR),
    });
    const failed = await seedOutboundRow(db, {
      kind: 'direct_message',
      channel: 'x_dm',
      itemId: seeded.itemIds[1]!,
      conversationId: seeded.conversationId,
      status: 'failed',
      body: 'Please DM us',
      error: { kind: 'permanent', provider: 'x', message: 'You cannot send messages to this user', status: 403, code: 349, attempt: 1, at: new Date().toISOString() },
      createdAt: new Date(Date.now() - 30 * 60_000),
    });
    expect((await api.post(a, `/api/conversations/${seeded.conversationId}/notes`, { text: 'Called the ward: on his way up.' })).status).toBe(201);
    expect((await api.post(a, `/api/conversations/${seeded.conversationId}/claim`)).status).toBe(204);

    const v = await view(seeded.conversationId, b);
    expect(v).toMatchObject({
      id: seeded.conversationId,
      channel: 'x',
      status: 'open',
      assignee: { id: alex.id, name: 'Alex Able', initials: 'AA' },
      author: { contactId: seeded.contactId, handle: 'anxious_parent', displayName: 'Sam Parent', strikes: 0 },
    });
    const shape = (e: TimelineEntry) =>
      e.type === 'inbound' ? `inbound:${e.body}` : e.type === 'outbound' ? `outbound:${e.kind}:${e.status}` : e.type === 'note' ? `note:${e.body}` : `event:${e.action}`;
    expect(v.timeline.map(shape)).toEqual([
      'inbound:Why has my son waited 6 hours?',
      'outbound:reply:sent',
      'inbound:Still waiting.',
      'outbound:direct_message:failed',
      'note:Called the ward: on his way up.',
      'event:note.added',
      'event:conversation.claimed',
    ]);
    const outbound = v.timeline.filter((e): e is OutboundView => e.type === 'outbound');
    expect(outbound.find((o) => o.id === sent)).toMatchObject({ failure: null, body: 'Sorry to hear this.', automatic: true });
    expect(outbound.find((o) => o.id === failed)).toMatchObject({
      status: 'failed',
      failure: 'x: You cannot send messages to this user (HTTP 403, code 349)',
    });
    expect(v.timeline.find((e) => e.type === 'note')).toMatchObject({ author: { id: alex.id, initials: 'AA' } });
    const times = v.timeline.map((e) => e.at);
    expect(times).toEqual([...times].sort());
  });

  it('explains the SLA of the earliest waiting item with the working calendar', async () => {
    const first = new Date(Date.now() - 5 * HOUR);
    const second = new Date(Date.now() - 2 * HOUR);
    const seeded = await seedConversation(db, {
      channel: 'email',
      dueAt: calendar.dueAt(first),
      items: [
        { body: 'First', receivedAt: first, dueAt: calendar.dueAt(first) },
        { body: 'Second', receivedAt: second, dueAt: calendar.dueAt(second) },
      ],
    });
    const v = await view(seeded.conversationId);
    const due = calendar.dueAt(first);
    expect(v.sla).toMatchObject({ dueAt: due.toISOString(), text: explainDue(first, calendar).text });
    expect(v.sla!.text).toMatch(/^received .* → due /);
    expect(Math.abs(v.sla!.workingMsLeft - calendar.workingTimeRemaining(due, Date.now()))).toBeLessThan(10_000);
    expect(v.reply.itemId).toBe(seeded.itemIds[0]);
  });

  it('offers the replies each channel allows', async () => {
    const options = async (channel: 'x' | 'email' | 'facebook' | 'instagram' | 'x_dm') => (await view((await seedConversation(db, { channel })).conversationId)).reply;
    expect(await options('x')).toMatchObject({ public: true, private: true, maxLength: 280 });
    expect(await options('email')).toMatchObject({ public: false, private: true, maxLength: null });
    expect(await options('facebook')).toMatchObject({ public: true, private: false, maxLength: null });
    expect(await options('instagram')).toMatchObject({ public: true, private: false });
    expect(await options('x_dm')).toMatchObject({ public: false, private: true });
  });

  it('is 404 for a conversation that does not exist, and 400 for an id that is not one', async () => {
    expect((await api.get(a, '/api/conversations/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await api.get(a, '/api/conversations/nope')).status).toBe(400);
  });
});

describe('working together', () => {
  it('claim: the second officer is told who has it', async () => {
    const { conversationId } = await seedConversation(db, { channel: 'facebook' });
    expect((await api.post(a, `/api/conversations/${conversationId}/claim`)).status).toBe(204);
    const taken = await api.post(b, `/api/conversations/${conversationId}/claim`);
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ error: 'conflict', by: { id: alex.id, name: 'Alex Able', initials: 'AA' } });
    expect(taken.body.message).toContain('Alex Able');
    expect((await conversation(conversationId)).assignee_id).toBe(alex.id);
    // Claiming again is harmless; an explicit assignment can still hand it over.
    expect((await api.post(a, `/api/conversations/${conversationId}/claim`)).status).toBe(204);
    expect((await api.post(a, `/api/conversations/${conversationId}/assign`, { userId: bea.id })).status).toBe(204);
    expect((await conversation(conversationId)).assignee_id).toBe(bea.id);
    expect((await api.post(a, `/api/conversations/${conversationId}/assign`, { userId: '00000000-0000-4000-8000-000000000000' })).status).toBe(400);
  });

  it('presence: each officer sees who else has the conversation open', async () => {
    const { conversationId } = await seedConversation(db, { channel: 'facebook' });
    const first = await api.post(a, `/api/conversations/${conversationId}/viewing`);
    expect(first.status).toBe(200);
    expect(first.body.viewers).toEqual([]);
    const second = await api.post(b, `/api/conversations/${conversationId}/viewing`);
    expect(second.body.viewers).toEqual([{ id: alex.id, name: 'Alex Able', initials: 'AA' }]);
    expect((await view(conversationId, a)).viewers).toEqual([{ id: bea.id, name: 'Bea Brown', initials: 'BB' }]);
    expect((await api.request(b, 'DELETE', `/api/conversations/${conversationId}/viewing`)).status).toBe(204);
    expect((await api.post(a, `/api/conversations/${conversationId}/viewing`)).body.viewers).toEqual([]);
  });

  it('reply collision: the second sender is told who replied and what, and may send anyway', async () => {
    const { conversationId } = await seedConversation(db, { channel: 'facebook' });
    const [seenByA, seenByB] = [await view(conversationId, a), await view(conversationId, b)];
    expect(seenByA.version).toBe(seenByB.version);

    const sentByA = await reply(a, conversationId, { text: 'We are looking into it.', basedOn: seenByA.version });
    expect(sentByA.status).toBe(202);
    const clash = await reply(b, conversationId, { text: 'Please DM us.', basedOn: seenByB.version });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({
      error: 'conflict',
      conflict: 'replied_since',
      by: { id: alex.id, name: 'Alex Able', initials: 'AA' },
      text: 'We are looking into it.\n– AA',
      at: expect.any(String),
    });
    expect(clash.body.message).toContain('Alex Able');
    expect((await db.query(`SELECT count(*)::int AS n FROM outbound_message WHERE conversation_id = $1`, [conversationId])).rows[0].n).toBe(1);

    const forced = await reply(b, conversationId, { text: 'Please DM us.', basedOn: seenByB.version, force: true });
    expect(forced.status).toBe(202);
    expect((await outboundRow(forced.body.outboundId)).body).toBe('Please DM us.\n– BB');
  });

  it('an officer who has seen the latest reply is not warned about it', async () => {
    const { conversationId, itemIds } = await seedConversation(db, { channel: 'facebook' });
    // As triage leaves an automatic reply: its time has Postgres's microseconds.
    await seedOutboundRow(db, { kind: 'reply', channel: 'facebook', itemId: itemIds[0]!, conversationId, createdAt: '2026-01-05T10:00:00.123456Z' });
    const seen = await view(conversationId, a);
    expect(seen.version).toBe('2026-01-05T10:00:00.123Z');
    expect((await reply(a, conversationId, { text: 'Following up.', basedOn: seen.version })).status).toBe(202);
    // And Bea, having reloaded after Alex's reply, sends hers without a warning too.
    const after = await view(conversationId, b);
    expect((await reply(b, conversationId, { text: 'And from me.', basedOn: after.version })).status).toBe(202);
  });

  it('a reply to a conversation assigned to someone else is held until forced', async () => {
    const { conversationId } = await seedConversation(db, { channel: 'facebook', assigneeId: null });
    expect((await api.post(a, `/api/conversations/${conversationId}/claim`)).status).toBe(204);
    const seen = await view(conversationId, b);
    const held = await reply(b, conversationId, { text: 'Hello', basedOn: seen.version });
    expect(held.status).toBe(409);
    expect(held.body).toMatchObject({ error: 'conflict', conflict: 'assigned_to_other', by: { id: alex.id, name: 'Alex Able', initials: 'AA' }, text: null });
    expect((await reply(b, conversationId, { text: 'Hello', basedOn: seen.version, force: true })).status).toBe(202);
    // The assignee is not held up by their own assignment.
    expect((await reply(a, conversationId, { text: 'Hi', basedOn: (await view(conversationId, a)).version })).status).toBe(202);
  });
});

describe('replies', () => {
  it('are signed with the officer’s initials on social channels, not on email', async () => {
    const social = await seedConversation(db, { channel: 'instagram' });
    const mail = await seedConversation(db, { channel: 'email' });
    const ig = await reply(a, social.conversationId, { text: '  Thanks for your message.  ', basedOn: new Date(0).toISOString() });
    expect(ig.status).toBe(202);
    expect(await outboundRow(ig.body.outboundId)).toMatchObject({
      kind: 'reply',
      channel: 'instagram',
      body: 'Thanks for your message.\n– AA',
      author_id: alex.id,
      automatic: false,
      status: 'pending',
      inbound_item_id: social.itemIds[0],
    });
    const email = await reply(a, mail.conversationId, { text: 'Dear Sam, thank you.', visibility: 'private', basedOn: new Date(0).toISOString() });
    expect(email.status).toBe(202);
    expect(await outboundRow(email.body.outboundId)).toMatchObject({ kind: 'email', channel: 'email', body: 'Dear Sam, thank you.' });
    expect((await outboundQueue.getJob(jobIdFor('outbound.send', email.body.outboundId)))?.data).toEqual({ v: 1, outboundId: email.body.outboundId });
  });

  it('refuse what the channel cannot carry', async () => {
    const fb = await seedConversation(db, { channel: 'facebook' });
    const mail = await seedConversation(db, { channel: 'email' });
    const basedOn = new Date(0).toISOString();
    expect((await reply(a, fb.conversationId, { text: 'Hi', visibility: 'private', basedOn })).body).toMatchObject({ error: 'invalid' });
    expect((await reply(a, mail.conversationId, { text: 'Hi', visibility: 'public', basedOn })).status).toBe(400);
  });

  it('on X: 280 weighted characters with the signature, publicly; a DM may be longer', async () => {
    const { conversationId } = await seedConversation(db, { channel: 'x' });
    const basedOn = new Date(0).toISOString();
    // "\n– AA" is five characters of weight one.
    const tooLong = await reply(a, conversationId, { text: 'a'.repeat(276), basedOn, force: true });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ error: 'invalid' });
    expect(tooLong.body.message).toContain('281');
    // A CJK character weighs two.
    const wide = await reply(a, conversationId, { text: `${'a'.repeat(274)}字`, basedOn, force: true });
    expect(wide.status).toBe(400);
    const fits = await reply(a, conversationId, { text: 'a'.repeat(275), basedOn, force: true });
    expect(fits.status).toBe(202);
    const dm = await reply(a, conversationId, { text: 'b'.repeat(600), visibility: 'private', basedOn, force: true });
    expect(dm.status).toBe(202);
    expect(await outboundRow(dm.body.outboundId)).toMatchObject({ kind: 'direct_message', channel: 'x_dm' });
  });
});

describe('moderation', () => {
  it('hide: refused on email, queued once on Facebook', async () => {
    const mail = await seedConversation(db, { channel: 'email' });
    const refused = await api.post(a, `/api/items/${mail.itemIds[0]}/hide`);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid' });
    expect((await db.query(`SELECT 1 FROM outbound_message WHERE inbound_item_id = $1`, [mail.itemIds[0]])).rowCount).toBe(0);

    const fb = await seedConversation(db, { channel: 'facebook' });
    const hidden = await api.post(a, `/api/items/${fb.itemIds[0]}/hide`);
    expect(hidden.status).toBe(202);
    const id = hidden.body.outboundId;
    expect(await outboundRow(id)).toMatchObject({ kind: 'hide', channel: 'facebook', status: 'pending', inbound_item_id: fb.itemIds[0], author_id: alex.id });
    const job = await outboundQueue.getJob(jobIdFor('outbound.send', id));
    expect(job?.name).toBe('outbound.send');
    expect(job?.data).toEqual({ v: 1, outboundId: id });

    const again = await api.post(b, `/api/items/${fb.itemIds[0]}/hide`);
    expect(again.status).toBe(202);
    expect(again.body.outboundId).toBe(id);
    expect((await db.query(`SELECT count(*)::int AS n FROM outbound_message WHERE inbound_item_id = $1 AND kind = 'hide'`, [fb.itemIds[0]])).rows[0].n).toBe(1);
  });

  it('strikes count per author in the window; the third flags the author for blocking', async () => {
    const seeded = await seedConversation(db, { channel: 'facebook', items: [{ body: 'one' }, { body: 'two' }, { body: 'three' }] });
    // An old strike, outside the 90-day window, does not count.
    await db.query(`INSERT INTO strike (contact_id, reason, created_at) VALUES ($1, 'long ago', now() - interval '120 days')`, [seeded.contactId]);
    const strike = (itemId: string) => api.post(a, `/api/items/${itemId}/strike`, { reason: 'abusive language' });
    expect((await strike(seeded.itemIds[0]!)).body).toEqual({ strikes: 1, flaggedForBlocking: false, duplicate: false });
    expect((await strike(seeded.itemIds[0]!)).body).toEqual({ strikes: 1, flaggedForBlocking: false, duplicate: true });
    expect((await strike(seeded.itemIds[1]!)).body).toEqual({ strikes: 2, flaggedForBlocking: false, duplicate: false });
    expect((await db.query(`SELECT flagged_for_block_at FROM contact WHERE id = $1`, [seeded.contactId])).rows[0].flagged_for_block_at).toBeNull();
    const third = await strike(seeded.itemIds[2]!);
    expect(third.status).toBe(201);
    expect(third.body).toEqual({ strikes: 3, flaggedForBlocking: true, duplicate: false });
    expect((await db.query(`SELECT flagged_for_block_at FROM contact WHERE id = $1`, [seeded.contactId])).rows[0].flagged_for_block_at).toBeInstanceOf(Date);
    const flagged = await db.query(`SELECT actor_id FROM audit_event WHERE action = 'contact.flagged_for_blocking' AND subject_id = $1`, [seeded.contactId]);
    expect(flagged.rows).toEqual([{ actor_id: alex.id }]);
    const v = await view(seeded.conversationId);
    expect(v.author.flaggedForBlockAt).toEqual(expect.any(String));
    expect(v.strikes.filter((s) => s.by?.id === alex.id)).toHaveLength(3);
  });

  it('offences.csv: the hidden items only, quoted so a spreadsheet shows them and runs nothing', async () => {
    const hiddenAt = new Date(Date.now() - 10 * 60_000);
    const seeded = await seedConversation(db, {
      channel: 'facebook',
      contact: { handle: 'troll.account', displayName: 'Smith, "Trolly"' },
      items: [
        { body: 'He said "you lot", then, left', hiddenAt, url: 'https://facebook.com/1_2', receivedAt: new Date(Date.now() - 50 * 60_000) },
        { body: 'line one\nline two', hiddenAt, receivedAt: new Date(Date.now() - 40 * 60_000) },
        { body: '=HYPERLINK("http://evil.example","click")', hiddenAt, receivedAt: new Date(Date.now() - 30 * 60_000) },
        { body: '@SUM(1+1)', hiddenAt, receivedAt: new Date(Date.now() - 25 * 60_000) },
        { body: 'A perfectly fine comment', receivedAt: new Date(Date.now() - 20 * 60_000) },
      ],
    });
    await api.post(a, `/api/items/${seeded.itemIds[0]}/strike`, { reason: 'abuse, repeated' });
    const res = await fetch(`${api.base}/api/contacts/${seeded.contactId}/offences.csv`, { headers: { cookie: `desk_session=${encodeURIComponent(a.token)}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="repeat-offender-facebook-troll_account.csv"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('"platform","handle","name","posted_at_utc","hidden_at_utc","channel","route","strike_reason","link","text"');
    const rows = parseCsv(text);
    expect(rows).toHaveLength(5);
    expect(rows.slice(1).map((r) => r[9])).toEqual(['He said "you lot", then, left', 'line one\nline two', `'=HYPERLINK("http://evil.example","click")`, `'@SUM(1+1)`]);
    expect(rows[1]).toEqual([
      'facebook',
      'troll.account',
      'Smith, "Trolly"',
      expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      hiddenAt.toISOString(),
      'facebook',
      'general',
      'abuse, repeated',
      'https://facebook.com/1_2',
      'He said "you lot", then, left',
    ]);
    const exported = await db.query(`SELECT details FROM audit_event WHERE action = 'contact.offences_exported' AND subject_id = $1`, [seeded.contactId]);
    expect(exported.rows).toEqual([{ details: { rows: 4 } }]);
  });
});

describe('retry', () => {
  it('puts a failed row back to pending under a new job id; a sent row cannot be retried', async () => {
    const seeded = await seedConversation(db, { channel: 'facebook' });
    const failed = await seedOutboundRow(db, {
      kind: 'reply',
      channel: 'facebook',
      itemId: seeded.itemIds[0]!,
      conversationId: seeded.conversationId,
      status: 'failed',
      error: { kind: 'permanent', provider: 'facebook', message: 'Object does not exist', attempt: 8, at: new Date().toISOString() },
    });
    // The original send's job is still known to the queue (BullMQ keeps finished jobs), so its id can't be reused.
    await outboundQueue.add('outbound.send', { v: 1, outboundId: failed }, { jobId: jobIdFor('outbound.send', failed), delay: 3_600_000 });
    const res = await api.post(a, `/api/outbound/${failed}/retry`);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ outboundId: failed });
    expect((await outboundRow(failed)).status).toBe('pending');
    const jobs = (await outboundQueue.getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.data?.outboundId === failed);
    const fresh = jobs.filter((j) => j.id !== jobIdFor('outbound.send', failed));
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.name).toBe('outbound.send');
    expect(await fresh[0]!.isWaiting()).toBe(true);
    const audit = await db.query(`SELECT details FROM audit_event WHERE action = 'outbound.retried' AND subject_id = $1`, [seeded.conversationId]);
    expect(audit.rows[0].details).toMatchObject({ outboundId: failed, previousError: { message: 'Object does not exist' } });
    // Pending now: a second click is refused.
    expect((await api.post(a, `/api/outbound/${failed}/retry`)).status).toBe(409);

    const sent = await seedOutboundRow(db, { kind: 'reply', channel: 'facebook', itemId: seeded.itemIds[0]!, conversationId: seeded.conversationId, status: 'sent' });
    const refused = await api.post(a, `/api/outbound/${sent}/retry`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'conflict' });
    expect((await outboundRow(sent)).status).toBe('sent');
  });
});

describe('status', () => {
  it('snooze parks the conversation and schedules its wake-up; the wake-up reopens it', async () => {
    const { conversationId } = await seedConversation(db, { channel: 'x' });
    const until = new Date(Date.now() + 2 * HOUR);
    expect((await api.post(a, `/api/conversations/${conversationId}/snooze`, { until: until.toISOString() })).status).toBe(204);
    const parked = await conversation(conversationId);
    expect(parked.status).toBe('snoozed');
    expect(parked.snoozed_until.toISOString()).toBe(until.toISOString());
    const job = await deskQueue.getJob(jobIdFor('desk.wake', `${conversationId}-${until.getTime()}`));
    expect(job?.data).toEqual({ v: 1, conversationId });
    expect(await job!.isDelayed()).toBe(true);
    expect(Math.abs(job!.opts.delay! - 2 * HOUR)).toBeLessThan(10_000);
    expect((await api.post(a, `/api/conversations/${conversationId}/snooze`, { until: new Date(Date.now() + 5_000).toISOString() })).status).toBe(400);

    // Time passes: the wake-up comes due.
    await db.query(`UPDATE conversation SET snoozed_until = now() - interval '1 minute' WHERE id = $1`, [conversationId]);
    const wake = await deskQueue.add('desk.wake', { v: 1, conversationId }, { jobId: `test-wake-${conversationId}` });
    await eventually(async () => (await conversation(conversationId)).status === 'open', 'the conversation to reopen');
    expect((await conversation(conversationId)).snoozed_until).toBeNull();
    await eventually(() => wake.isCompleted(), 'the wake-up job to finish');
    const events = await db.query(`SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY id`, [conversationId]);
    expect(events.rows.map((r) => r.action)).toEqual(['conversation.snoozed', 'conversation.woken']);
  });

  it('a wake-up for a conversation snoozed again for later leaves it asleep', async () => {
    const { conversationId } = await seedConversation(db, { channel: 'x', status: 'snoozed', snoozedUntil: new Date(Date.now() + 5 * HOUR) });
    const wake = await deskQueue.add('desk.wake', { v: 1, conversationId }, { jobId: `test-early-wake-${conversationId}` });
    await eventually(() => wake.isCompleted(), 'the wake-up job to finish');
    expect((await deskQueue.getJob(wake.id!))?.returnvalue).toEqual({ woken: false });
    expect((await conversation(conversationId)).status).toBe('snoozed');
  });

  it('close and reopen, each recorded', async () => {
    const { conversationId } = await seedConversation(db, { channel: 'facebook', status: 'snoozed', snoozedUntil: new Date(Date.now() + HOUR) });
    expect((await api.post(a, `/api/conversations/${conversationId}/close`)).status).toBe(204);
    expect(await conversation(conversationId)).toMatchObject({ status: 'closed', snoozed_until: null });
    expect((await api.post(b, `/api/conversations/${conversationId}/reopen`)).status).toBe(204);
    expect((await conversation(conversationId)).status).toBe('open');
    const events = (await view(conversationId)).timeline.filter((e) => e.type === 'event');
    expect(events.map((e) => [e.action, e.actor?.id, e.details])).toEqual([
      ['conversation.closed', alex.id, { from: 'snoozed' }],
      ['conversation.reopened', bea.id, { from: 'closed' }],
    ]);
    expect((await api.post(a, '/api/conversations/00000000-0000-4000-8000-000000000000/close')).status).toBe(404);
  });

  it('notes appear in the view with their author', async () => {
    const { conversationId } = await seedConversation(db, { channel: 'email' });
    const res = await api.post(b, `/api/conversations/${conversationId}/notes`, { text: 'PALS are aware.' });
    expect(res.status).toBe(201);
    const note = (await view(conversationId, a)).timeline.find((e) => e.type === 'note');
    expect(note).toEqual({ type: 'note', id: res.body.id, at: expect.any(String), author: { id: bea.id, name: 'Bea Brown', initials: 'BB' }, body: 'PALS are aware.' });
    expect((await api.post(b, `/api/conversations/${conversationId}/notes`, { text: '   ' })).status).toBe(400);
  });
});

describe('re-routing, with triage running', () => {
  it('an officer re-routes an item to clinical: triage applies the route and its automatic reply', async () => {
    const seeded = await seedConversation(db, { channel: 'x', route: 'general', items: [{ body: 'Can I take ibuprofen with my blood pressure tablets?' }] });
    const itemId = seeded.itemIds[0]!;
    const res = await api.post(a, `/api/items/${itemId}/reroute`, { route: 'clinical', reason: 'Asks for medication advice' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ from: 'general', to: 'clinical' });
    const item = await eventually(async () => {
      const row = (await db.query(`SELECT * FROM inbound_item WHERE id = $1`, [itemId])).rows[0];
      return row.route === 'clinical' ? row : undefined;
    }, 'triage to apply the new route');
    expect(item).toMatchObject({ rerouted_from: 'general', rerouted_by: alex.id, conversation_id: seeded.conversationId });
    expect(item.reasons).toEqual([{ signal: 're-routed by an officer', evidence: ['Asks for medication advice'] }]);
    const replyRow = await eventually(
      async () => (await db.query(`SELECT * FROM outbound_message WHERE inbound_item_id = $1 AND idempotency_key = $2`, [itemId, `${itemId}:reply-clinical`])).rows[0],
      'the clinical reply row',
    );
    expect(replyRow).toMatchObject({ kind: 'reply', channel: 'x', template: 'clinical', automatic: true, status: 'pending' });
    expect(replyRow.body).toContain('NHS 111');
    await eventually(() => outboundQueue.getJob(jobIdFor('outbound.send', replyRow.id)), 'the clinical reply to be queued');
    const audit = await db.query(`SELECT actor_id, details FROM audit_event WHERE action = 'item.rerouted' AND subject_id = $1`, [itemId]);
    expect(audit.rows).toEqual([{ actor_id: alex.id, details: { from: 'general', to: 'clinical', reason: 'Asks for medication advice' } }]);
  });

  it('a step down (urgent → general) keeps the item in its conversation and takes the conversation down with it', async () => {
    const seeded = await seedConversation(db, { channel: 'x', route: 'urgent_safety', priority: 0, items: [{ body: 'This queue is killing me, 4 hours already' }] });
    const itemId = seeded.itemIds[0]!;
    expect((await api.post(a, `/api/items/${itemId}/reroute`, { route: 'complaint', reason: 'A figure of speech about waiting, not a risk' })).status).toBe(202);
    const conversation = await eventually(async () => {
      const row = (await db.query(`SELECT route, priority FROM conversation WHERE id = $1`, [seeded.conversationId])).rows[0];
      return row.route === 'complaint' ? row : undefined;
    }, 'the conversation to take the new route');
    expect(conversation.priority).toBe(10);
    expect((await db.query(`SELECT conversation_id FROM inbound_item WHERE id = $1`, [itemId])).rows[0].conversation_id).toBe(seeded.conversationId);
  });

  it('a re-route keeps the repeat-offender flag of an author with strikes', async () => {
    const seeded = await seedConversation(db, { channel: 'x', route: 'general', items: [{ body: 'You lot are useless, answer me' }] });
    const itemId = seeded.itemIds[0]!;
    const { contact_id: contactId } = (await db.query(`SELECT contact_id FROM inbound_item WHERE id = $1`, [itemId])).rows[0];
    expect(contactId).toBeTruthy();
    await db.query(`INSERT INTO strike (contact_id, reason) VALUES ($1, 'abuse: an earlier post')`, [contactId]);
    expect((await api.post(a, `/api/items/${itemId}/reroute`, { route: 'complaint', reason: 'A complaint about waiting times' })).status).toBe(202);
    const item = await eventually(async () => {
      const row = (await db.query(`SELECT route, flags FROM inbound_item WHERE id = $1`, [itemId])).rows[0];
      return row.route === 'complaint' ? row : undefined;
    }, 'triage to apply the new route');
    expect(item.flags).toContain('repeat_offender');
  });

  it('refuses a route that does not exist and a reason too short to mean anything', async () => {
    const { itemIds } = await seedConversation(db, { channel: 'x' });
    expect((await api.post(a, `/api/items/${itemIds[0]}/reroute`, { route: 'gossip', reason: 'because' })).status).toBe(400);
    expect((await api.post(a, `/api/items/${itemIds[0]}/reroute`, { route: 'praise', reason: '' })).status).toBe(400);
    expect((await db.query(`SELECT rerouted_at FROM inbound_item WHERE id = $1`, [itemIds[0]])).rows[0].rerouted_at).toBeNull();
  });
});

/** A media enquiry from a BBC journalist, forwarded to the press office three days ago. */
async function seedEnquiry() {
  const seeded = await seedConversation(db, {
    channel: 'email',
    route: 'media',
    contact: { handle: 'jo.bloggs@bbc.co.uk', displayName: 'Jo Bloggs' },
    items: [{ subject: 'Request for comment: A&E waits', body: 'Hello,\nWe are running a story on A&E waits. Could the trust give us a statement by 4pm today?\nJo' }],
  });
  const sentAt = new Date(Date.now() - 3 * 86_400_000);
  const id = await seedOutboundRow(db, {
    kind: 'press_forward',
    channel: 'email',
    itemId: seeded.itemIds[0]!,
    conversationId: seeded.conversationId,
    status: 'sent',
    sentAt,
    recipient: 'press@trust.example',
    body: null,
  });
  return { id, sentAt };
}

describe('the press office', () => {
  const enquiry = async (id: string): Promise<PressEnquiry> => ((await api.get(press, '/api/press')).body as PressEnquiry[]).find((e) => e.id === id)!;

  it('lists a forwarded enquiry as new, with its reference, outlet and stated deadline; claim and answer it', async () => {
    const { id, sentAt } = await seedEnquiry();
    const fresh = await enquiry(id);
    expect(fresh).toMatchObject({
      status: 'new',
      reference: expect.stringMatching(/^MED-\d{4}-\d{4,}$/),
      forwardStatus: 'sent',
      forwardedAt: sentAt.toISOString(),
      channel: 'email',
      journalist: 'Jo Bloggs',
      outlet: 'BBC',
      deadline: 'by 4pm today',
      preview: 'Request for comment: A&E waits — Hello,',
      handler: null,
      answeredAt: null,
      pressResponseWorkingMs: null,
    });
    expect(fresh.reference).toBe((await outboundRow(id)).reference);

    expect((await api.post(press, `/api/press/${id}/claim`)).status).toBe(204);
    expect(await enquiry(id)).toMatchObject({ status: 'in_progress', handler: { id: pat.id, name: 'Pat Press', initials: 'PP' } });

    const answered = await api.post(press, `/api/press/${id}/answered`, { note: 'Statement sent to Jo.' });
    expect(answered.status).toBe(204);
    const done = await enquiry(id);
    expect(done).toMatchObject({ status: 'answered', answeredAt: expect.any(String), handler: { id: pat.id } });
    expect(done.pressResponseWorkingMs).toBeGreaterThanOrEqual(0);
    expect(done.pressResponseWorkingMs).toBe(calendar.workingTimeBetween(sentAt, new Date(done.answeredAt!)));

    const again = await api.post(press, `/api/press/${id}/answered`, {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'conflict' });
    expect((await enquiry(id)).answeredAt).toBe(done.answeredAt);
    expect((await api.post(press, `/api/press/${id}/claim`)).status).toBe(409);
    const note = await db.query(`SELECT press_note FROM outbound_message WHERE id = $1`, [id]);
    expect(note.rows[0].press_note).toBe('Statement sent to Jo.');
  });

  it('a second press officer is told who already has an enquiry', async () => {
    const { id } = await seedEnquiry();
    const sam = await createUser(db, { role: 'press', name: 'Sam Second', initials: 'SS' });
    const second = await api.loginAs(sam);
    expect((await api.post(press, `/api/press/${id}/claim`)).status).toBe(204);
    const refused = await api.post(second, `/api/press/${id}/claim`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'conflict', message: expect.stringContaining('Pat Press') });
    expect((await enquiry(id)).handler).toMatchObject({ id: pat.id });
  });

  it('only press forwards are enquiries', async () => {
    const seeded = await seedConversation(db, { channel: 'email' });
    const replyId = await seedOutboundRow(db, { kind: 'email', channel: 'email', itemId: seeded.itemIds[0]!, conversationId: seeded.conversationId });
    expect((await api.post(press, `/api/press/${replyId}/claim`)).status).toBe(409);
    expect((await api.get(press, '/api/press')).body.map((e: PressEnquiry) => e.id)).not.toContain(replyId);
  });
});

describe('live events', () => {
  it('an officer’s stream hears of changes to the queue', async () => {
    const { conversationId } = await seedConversation(db, { channel: 'facebook' });
    const stream = await api.events(b);
    try {
      expect(stream.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      await new Promise((r) => setTimeout(r, 200));
      expect((await api.post(a, `/api/conversations/${conversationId}/notes`, { text: 'Heard?' })).status).toBe(201);
      const note = await stream.waitFor((e) => e.event === 'queue.changed' && e.data.conversationId === conversationId);
      expect(note.data).toEqual({ type: 'queue.changed', conversationId, reason: 'note' });
      expect((await api.post(a, `/api/conversations/${conversationId}/claim`)).status).toBe(204);
      await stream.waitFor((e) => e.event === 'queue.changed' && e.data.conversationId === conversationId && e.data.reason === 'claimed');
    } finally {
      await stream.close();
    }
  });

  it('a stream ends when its session does', async () => {
    const carl = await createUser(db, { role: 'officer', name: 'Carl Closed', initials: 'CC' });
    const session = await api.loginAs(carl);
    const stream = await api.events(session);
    expect(stream.status).toBe(200);
    expect((await api.post(session, '/api/auth/logout')).status).toBe(204);
    const { conversationId } = await seedConversation(db, { channel: 'facebook' });
    // The session is re-checked every few seconds; events keep coming until then, and then the stream ends.
    const ended = (async () => {
      for (let i = 0; i < 20; i++) {
        await api.post(a, `/api/conversations/${conversationId}/notes`, { text: `ping ${i}` });
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    await eventually(async () => (stream as unknown as { done: Promise<void> }).done.then(() => true), 'the stream to end', 12_000);
    await ended;
    const before = stream.received.length;
    await new Promise((r) => setTimeout(r, 700));
    expect(stream.received.length).toBe(before);
    await stream.close();
  }, 20_000);

  it('the press office’s stream hears of press changes and nothing of the queue', async () => {
    const { conversationId } = await seedConversation(db, { channel: 'facebook' });
    const { id } = await seedEnquiry();
    const stream = await api.events(press);
    try {
      expect(stream.status).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
      expect((await api.post(a, `/api/conversations/${conversationId}/notes`, { text: 'Not for the press office' })).status).toBe(201);
      expect((await api.post(press, `/api/press/${id}/claim`)).status).toBe(204);
      const heard = await stream.waitFor((e) => e.event === 'press.changed' && e.data.outboundId === id);
      expect(heard.data).toEqual({ type: 'press.changed', outboundId: id });
      // Events arrive in order: the note's came first, and was not passed on.
      expect(stream.received.filter((e) => e.event !== 'press.changed')).toEqual([]);
    } finally {
      await stream.close();
    }
  });
});

/** RFC 4180, enough for the offences export: quoted fields with doubled quotes, CRLF between records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '"') throw new Error(`unquoted field at ${i}: ${JSON.stringify(text.slice(i, i + 20))}`);
    let value = '';
    i++;
    for (;;) {
      const quote = text.indexOf('"', i);
      if (quote < 0) throw new Error('unterminated field');
      value += text.slice(i, quote);
      if (text[quote + 1] === '"') {
        value += '"';
        i = quote + 2;
      } else {
        i = quote + 1;
        break;
      }
    }
    row.push(value);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  if (row.length) rows.push(row);
  return rows;
}
