import { randomUUID } from 'node:crypto';
import { AUTO_CLOSED_ROUTES, ROUTE_PRIORITY, type InboundMessage, type Route } from '@desk/domain';
import { createDataSource, InboundRepository, TriageRepository, TriageSuperseded, type TriagePlan } from '@desk/persistence';
import { TEST_DATABASE_URL } from './support/test-env.js';

const db = createDataSource({ url: TEST_DATABASE_URL, poolSize: 4 });
const inbound = new InboundRepository(db);
const triage = new TriageRepository(db);
beforeAll(() => db.initialize());
afterAll(() => db.destroy());

async function store(over: Partial<InboundMessage> = {}): Promise<string> {
  const { id } = await inbound.storeMessage({
    channel: 'facebook',
    externalId: `tr-${randomUUID()}`,
    author: { externalId: 'person-1' },
    receivedAt: new Date(Date.now() - 60_000),
    text: 'hello',
    kind: 'message',
    raw: {},
    ...over,
  });
  return id;
}

function plan(itemId: string, route: Route, over: Partial<TriagePlan> = {}): TriagePlan {
  return {
    itemId,
    route,
    flags: [],
    confidence: 0.9,
    reasons: [{ signal: 'test', evidence: [] }],
    dueAt: new Date(Date.now() + 3_600_000),
    priority: ROUTE_PRIORITY[route],
    closeConversation: AUTO_CLOSED_ROUTES.includes(route),
    autoRoutes: AUTO_CLOSED_ROUTES,
    windowHours: 72,
    outbound: [],
    ...over,
  };
}

/** A strike window that takes in everything these tests make. */
const WINDOW = new Date(Date.now() - 86_400_000);

const conversation = async (id: string) => (await db.query(`SELECT * FROM conversation WHERE id = $1`, [id]))[0];

describe('TriageRepository.apply', () => {
  it('puts replies in their thread’s conversation, and a contact’s new thread in their recent one', async () => {
    const author = { externalId: `p-${randomUUID()}` };
    const root = await store({ author, threadKey: `post-${randomUUID()}` });
    const first = await triage.apply(plan(root, 'complaint'));
    const rootRow = (await db.query(`SELECT thread_key FROM inbound_item WHERE id = $1`, [root]))[0];
    const reply = await store({ author, threadKey: rootRow.thread_key });
    const other = await store({ author, threadKey: `post-${randomUUID()}` });
    const stranger = await store({ author: { externalId: `p-${randomUUID()}` }, threadKey: `post-${randomUUID()}` });
    expect((await triage.apply(plan(reply, 'general'))).conversationId).toBe(first.conversationId);
    expect((await triage.apply(plan(other, 'general'))).conversationId).toBe(first.conversationId);
    expect((await triage.apply(plan(stranger, 'general'))).conversationId).not.toBe(first.conversationId);
    const c = await conversation(first.conversationId);
    expect(c).toMatchObject({ status: 'open', route: 'complaint', priority: ROUTE_PRIORITY.complaint });
  });

  it('closes a conversation answered automatically, but not while a person still has something in it', async () => {
    const thread = `post-${randomUUID()}`;
    const clinical = await store({ threadKey: thread, author: { externalId: `p-${randomUUID()}` } });
    const { conversationId } = await triage.apply(plan(clinical, 'clinical'));
    expect((await conversation(conversationId)).status).toBe('closed');
    const complaint = await store({ threadKey: thread, author: { externalId: `p-${randomUUID()}` } });
    await triage.apply(plan(complaint, 'complaint'));
    expect((await conversation(conversationId)).status).toBe('open');
    const appointment = await store({ threadKey: thread, author: { externalId: `p-${randomUUID()}` } });
    await triage.apply(plan(appointment, 'appointment'));
    expect((await conversation(conversationId)).status).toBe('open');
  });

  it('keeps the most urgent route and the earliest due time of the waiting items', async () => {
    const thread = `post-${randomUUID()}`;
    const soon = new Date(Date.now() + 1_000_000);
    const urgent = await store({ threadKey: thread });
    const { conversationId } = await triage.apply(plan(urgent, 'urgent_safety', { dueAt: soon }));
    const later = await store({ threadKey: thread });
    await triage.apply(plan(later, 'praise', { dueAt: new Date(Date.now() + 9_000_000) }));
    expect(await conversation(conversationId)).toMatchObject({ route: 'urgent_safety', priority: 0, due_at: soon });
  });

  /**
   * The responder recording a reply to one item holds the conversation while triage decides
   * another item of it (`second`); returns the conversation's due time once both committed.
   */
  async function decidedWhileAReplyHoldsTheConversation(decide: (first: string, second: string) => Promise<unknown>): Promise<Date | null> {
    const thread = `post-${randomUUID()}`;
    const author = { externalId: `p-${randomUUID()}` };
    const first = await store({ threadKey: thread, author });
    const { conversationId } = await triage.apply(plan(first, 'complaint', { dueAt: new Date(Date.now() + 1_000_000) }));
    const second = await store({ threadKey: thread, author });
    await triage.apply(plan(second, 'general', { dueAt: new Date(Date.now() + 3_000_000) }));
    const holder = db.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query(`SELECT id FROM conversation WHERE id = $1 FOR NO KEY UPDATE`, [conversationId]);
      await holder.query(`UPDATE inbound_item SET first_response_at = now(), status = 'responded' WHERE id = $1`, [first]);
      await holder.query(`UPDATE conversation SET due_at = NULL WHERE id = $1`, [conversationId]);
      const deciding = decide(first, second);
      const waiting = async () =>
        (await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).length > 0;
      for (let i = 0; i < 200 && !(await waiting()); i++) await new Promise((r) => setTimeout(r, 25));
      expect(await waiting()).toBe(true);
      await holder.commitTransaction();
      await deciding;
      return (await conversation(conversationId)).due_at;
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  }

  it('waits for a conversation a reply holds, and reckons the due time with the answer committed meanwhile', async () => {
    const third = { id: '', due: new Date(Date.now() + 2_000_000) };
    const due = await decidedWhileAReplyHoldsTheConversation(async (first) => {
      const thread = (await db.query(`SELECT thread_key FROM inbound_item WHERE id = $1`, [first]))[0].thread_key;
      third.id = await store({ threadKey: thread });
      const [outcome] = await triage.applyMany([plan(third.id, 'complaint', { dueAt: third.due })]);
      expect(outcome).not.toBeInstanceOf(Error);
    });
    expect(due).toEqual(third.due);
  });

  it('re-routes with the same care: the due time counts a reply committed while it waited', async () => {
    const rerouted = new Date(Date.now() + 2_000_000);
    const due = await decidedWhileAReplyHoldsTheConversation((_first, second) => triage.apply(plan(second, 'complaint', { dueAt: rerouted, reroute: true })));
    expect(due).toEqual(rerouted);
  });

  it('records each outbound action once however often the plan is applied', async () => {
    const item = await store();
    const outbound = [
      { idempotencyKey: `${item}:reply-clinical`, kind: 'reply' as const, channel: 'facebook' as const, template: 'clinical' as const, body: 'Call 111' },
    ];
    const first = await triage.apply(plan(item, 'clinical', { outbound }));
    const second = await triage.apply(plan(item, 'clinical', { outbound }));
    expect(first.pendingOutbound).toHaveLength(1);
    expect(second.pendingOutbound).toEqual(first.pendingOutbound);
  });

  it('flags an author for blocking at the third strike in the window, once', async () => {
    const author = { externalId: `troll-${randomUUID()}` };
    const strike = { reason: 'abuse: test', windowDays: 90, toFlag: 3 };
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await triage.apply(plan(await store({ author }), 'abuse', { strike }))).flaggedForBlock);
    expect(results).toEqual([false, false, true, false]);
    const item = await store({ author });
    await triage.apply(plan(item, 'abuse', { strike }));
    await triage.apply(plan(item, 'abuse', { strike }));
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM strike WHERE inbound_item_id = $1`, [item]);
    expect(n).toBe(1);
  });

  it('gives an email with no readable sender a conversation of its own', async () => {
    const item = await store({ channel: 'email', author: null, threadKey: undefined });
    const { conversationId } = await triage.apply(plan(item, 'general'));
    expect((await conversation(conversationId)).contact_id).toBeNull();
  });

  it('applies a plan only to the item as its run read it: not after another decision, nor after an edit', async () => {
    const item = await store();
    const read = (await triage.loadSubject(item, WINDOW))!;
    const seen = { triagedAt: read.triagedAt, editedAt: read.editedAt };
    // Two runs that read the item before either decided: the first decides, the second stands back.
    await triage.apply(plan(item, 'clinical', { seen }));
    await expect(triage.apply(plan(item, 'complaint', { seen }))).rejects.toMatchObject({ reason: 'decided' });
    const again = (await triage.loadSubject(item, WINDOW))!;
    // An edit after a run read the item: that run's decision is on the old text.
    await db.query(`UPDATE inbound_item SET body = 'edited', edited_at = now() WHERE id = $1`, [item]);
    const stale = triage.apply(plan(item, 'general', { seen: { triagedAt: again.triagedAt, editedAt: again.editedAt } }));
    await expect(stale).rejects.toBeInstanceOf(TriageSuperseded);
    await expect(stale).rejects.toMatchObject({ reason: 'changed' });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'item.triaged' AND subject_id = $1`, [item]);
    expect(n).toBe(1);
    expect((await triage.loadSubject(item, WINDOW))!.triagedAt).toEqual(again.triagedAt);
  });
});

describe('TriageRepository batches', () => {
  it('reads many items at once, with each author’s strikes since a time', async () => {
    const author = { externalId: `p-${randomUUID()}` };
    const [a, b] = [await store({ author, text: 'first' }), await store({ author: { externalId: `p-${randomUUID()}` }, text: 'second' })];
    await triage.apply(plan(a, 'abuse', { strike: { reason: 'abuse: test', windowDays: 90, toFlag: 3 } }));
    const subjects = await triage.loadSubjects([a, b, randomUUID()], new Date(Date.now() - 60_000));
    expect([...subjects.keys()].sort()).toEqual([a, b].sort());
    expect(subjects.get(a)).toMatchObject({ body: 'first', strikes: 1 });
    expect(subjects.get(b)).toMatchObject({ body: 'second', strikes: 0 });
    // Strikes before the window's start are not counted.
    expect((await triage.loadSubjects([a], new Date(Date.now() + 60_000))).get(a)!.strikes).toBe(0);
  });

  it('applies a batch in order: items of one new thread share the conversation the first created', async () => {
    const threadKey = `post-${randomUUID()}`;
    const someone = () => ({ externalId: `p-${randomUUID()}` });
    const items = [await store({ threadKey, author: someone() }), await store({ threadKey, author: someone() }), await store({ author: someone() })];
    const outcomes = await triage.applyMany(items.map((id, i) => plan(id, i === 0 ? 'complaint' : 'general')));
    expect(outcomes.every((o) => !(o instanceof Error))).toBe(true);
    const [first, second, third] = outcomes as Array<{ conversationId: string }>;
    expect(second!.conversationId).toBe(first!.conversationId);
    expect(third!.conversationId).not.toBe(first!.conversationId);
    expect(await conversation(first!.conversationId)).toMatchObject({ route: 'complaint', status: 'open' });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM conversation WHERE thread_key = $1`, [threadKey]);
    expect(n).toBe(1);
  });

  it('gives a superseded plan its own TriageSuperseded and applies the rest of the batch', async () => {
    const [decided, fresh] = [await store(), await store()];
    const read = (await triage.loadSubject(decided, WINDOW))!;
    await triage.apply(plan(decided, 'praise'));
    const outcomes = await triage.applyMany([
      plan(decided, 'complaint', { seen: { triagedAt: read.triagedAt, editedAt: read.editedAt } }),
      plan(fresh, 'story', { seen: { triagedAt: null, editedAt: null } }),
    ]);
    expect(outcomes[0]).toBeInstanceOf(TriageSuperseded);
    expect(outcomes[0]).toMatchObject({ reason: 'decided' });
    expect(outcomes[1]).toMatchObject({ conversationId: expect.any(String), pendingOutbound: [] });
    const routes = await db.query(`SELECT id, route FROM inbound_item WHERE id = ANY($1::uuid[])`, [[decided, fresh]]);
    expect(Object.fromEntries(routes.map((r: { id: string; route: string }) => [r.id, r.route]))).toEqual({ [decided]: 'praise', [fresh]: 'story' });
  });

  it('keeps one bad plan’s error to itself: the others are applied one by one', async () => {
    const [good, missing, alsoGood] = [await store(), randomUUID(), await store()];
    const outcomes = await triage.applyMany([
      plan(good, 'general', { outbound: [{ idempotencyKey: `${good}:reply`, kind: 'reply', channel: 'facebook', template: 'clinical', body: 'Thanks' }] }),
      plan(missing, 'general'),
      // A route the schema refuses: the whole statement fails, then each plan is tried alone.
      plan(alsoGood, 'general', { route: 'not-a-route' as Route }),
    ]);
    expect(outcomes[0]).toMatchObject({ pendingOutbound: [expect.any(String)] });
    expect(outcomes[1]).toBeInstanceOf(Error);
    expect((outcomes[1] as Error).message).toMatch(/not found/);
    expect(outcomes[2]).toBeInstanceOf(Error);
    const rows = await db.query(`SELECT id, route FROM inbound_item WHERE id = ANY($1::uuid[])`, [[good, alsoGood]]);
    expect(Object.fromEntries(rows.map((r: { id: string; route: string | null }) => [r.id, r.route]))).toEqual({ [good]: 'general', [alsoGood]: null });
    const pending = await triage.pendingOutboundOf([good, alsoGood]);
    expect(pending.get(good)).toEqual(outcomes[0] && (outcomes[0] as { pendingOutbound: string[] }).pendingOutbound);
    expect(pending.get(alsoGood)).toEqual([]);
  });
});
