import { randomUUID } from 'node:crypto';
import { AUTO_CLOSED_ROUTES, COUNTERS, ROUTE_PRIORITY, type CountRow } from '@desk/domain';
import { createDataSource, InboundRepository, ReportFactsRepository, TriageRepository, type FactComputation } from '@desk/persistence';
import { TEST_DATABASE_URL } from './support/test-env.js';

const db = createDataSource({ url: TEST_DATABASE_URL, poolSize: 4 });
const inbound = new InboundRepository(db);
const triage = new TriageRepository(db);
const facts = new ReportFactsRepository(db);
beforeAll(() => db.initialize());
afterAll(() => db.destroy());

async function triagedItem(): Promise<string> {
  const { id } = await inbound.storeMessage({
    channel: 'facebook',
    externalId: `rr-${randomUUID()}`,
    author: { externalId: `p-${randomUUID()}` },
    receivedAt: new Date(Date.now() - 60_000),
    text: 'hello',
    kind: 'message',
    raw: {},
  });
  await triage.apply({
    itemId: id,
    route: 'general',
    flags: [],
    confidence: 0.9,
    reasons: [],
    dueAt: new Date(Date.now() + 3_600_000),
    priority: ROUTE_PRIORITY.general,
    closeConversation: false,
    autoRoutes: AUTO_CLOSED_ROUTES,
    windowHours: 72,
    outbound: [],
  });
  return id;
}

const mark = async (id: string): Promise<string | undefined> =>
  (await db.query(`SELECT mark::text FROM report_dirty_item WHERE item_id = $1`, [id]))[0]?.mark;
const dirty = async (id: string): Promise<boolean> => (await mark(id)) !== undefined;
const noFacts: FactComputation = { compute: () => [], delta: () => ({ counts: [], hist: [] }) };

/** A transaction of its own that re-routes the item (which marks it) and stays open until committed. */
async function reroutingWriter(itemId: string) {
  const writer = db.createQueryRunner();
  await writer.connect();
  await writer.startTransaction();
  await writer.query(`UPDATE inbound_item SET route = 'praise' WHERE id = $1`, [itemId]);
  const [{ pid }] = await writer.query(`SELECT pg_backend_pid() AS pid`);
  return { writer, pid: pid as number };
}

describe('report refresh', () => {
  it('keeps the mark of an item whose change is still uncommitted when it clears, without waiting for it', async () => {
    const [changed, untouched] = [await triagedItem(), await triagedItem()];
    expect([await dirty(changed), await dirty(untouched)]).toEqual([true, true]);
    const { writer } = await reroutingWriter(changed);
    let computed: string[] = [];
    const refreshed = facts.refresh(100_000, {
      ...noFacts,
      compute: (sources) => {
        computed = sources.map((s) => s.itemId);
        return [];
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the refresh waited for a writer')), 5_000)));
    await Promise.race([refreshed, waited]).finally(() => clearTimeout(timer));
    await writer.commitTransaction();
    await writer.release();
    // It was computed from its state before the change, so it must be computed again.
    expect(computed).toEqual(expect.arrayContaining([changed, untouched]));
    expect(await dirty(changed)).toBe(true);
    expect(await dirty(untouched)).toBe(false);
    await facts.refresh(100_000, noFacts);
    expect(await dirty(changed)).toBe(false);
  });

  it('keeps the mark of an item whose change committed after it read the marks and before it cleared them', async () => {
    const [changed, untouched] = [await triagedItem(), await triagedItem()];
    const { writer, pid } = await reroutingWriter(changed);
    // The refresh's rollup delta touches a row the writer has inserted, so the refresh waits there,
    // after reading the marks and the sources, until the writer commits; it clears the marks after.
    const key = `refresh-race-${randomUUID()}`;
    const row = { cut: 'all' as const, day: '1990-01-01', key, ...Object.fromEntries(COUNTERS.map((c) => [c, 0])) } as CountRow;
    await writer.query(`INSERT INTO report_count (cut, day, key) VALUES ('all', '1990-01-01', $1)`, [key]);
    let computed: string[] = [];
    const refreshed = facts.refresh(100_000, {
      compute: (sources) => {
        computed = sources.map((s) => s.itemId);
        return [];
      },
      delta: () => ({ counts: [row], hist: [] }),
    });
    for (let i = 0; ; i++) {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))`, [pid]);
      if (n > 0) break;
      if (i === 200) throw new Error('the refresh never waited for the writer');
      await new Promise((r) => setTimeout(r, 25));
    }
    await writer.commitTransaction();
    await writer.release();
    await refreshed;
    await db.query(`DELETE FROM report_count WHERE key = $1`, [key]);
    expect(computed).toEqual(expect.arrayContaining([changed, untouched]));
    expect(await dirty(changed)).toBe(true);
    expect(await dirty(untouched)).toBe(false);
  });

  it('marks an item again, with a new mark, on every path that marks one, even when it is already marked', async () => {
    const item = await triagedItem();
    const [{ conversation_id: conversationId }] = await db.query(`SELECT conversation_id FROM inbound_item WHERE id = $1`, [item]);
    const [{ id: actor }] = await db.query(
      `INSERT INTO "user" (email, name, initials, role, password_hash) VALUES ($1, 'Mark Again', 'MA', 'officer', 'x') RETURNING id`,
      [`mark-${randomUUID()}@example.org`],
    );
    const paths: Array<[string, string, unknown[]]> = [
      ['re-route', `UPDATE inbound_item SET route = 'complaint' WHERE id = $1`, [item]],
      ['response', `UPDATE inbound_item SET first_response_at = now(), first_response_automatic = false WHERE id = $1`, [item]],
      ['note', `INSERT INTO conversation_note (conversation_id, body) VALUES ($1, 'noted')`, [conversationId]],
      [
        'reply',
        `INSERT INTO outbound_message (idempotency_key, kind, channel, inbound_item_id, automatic, body) VALUES ($1, 'reply', 'facebook', $2, false, 'hi')`,
        [randomUUID(), item],
      ],
      [
        'press',
        `INSERT INTO outbound_message (idempotency_key, kind, channel, inbound_item_id, automatic) VALUES ($1, 'press_forward', 'email', $2, true)`,
        [randomUUID(), item],
      ],
      ['action on the item', `INSERT INTO audit_event (actor_id, action, subject_type, subject_id) VALUES ($1, 'test.viewed', 'inbound_item', $2)`, [actor, item]],
      ['action on the conversation', `INSERT INTO audit_event (actor_id, action, subject_type, subject_id) VALUES ($1, 'test.viewed', 'conversation', $2)`, [actor, conversationId]],
    ];
    for (const [path, sql, params] of paths) {
      const before = await mark(item);
      await db.query(sql, params);
      expect({ path, remarked: (await mark(item)) !== before }).toEqual({ path, remarked: true });
    }
    // A change no fact is made of marks nothing.
    const last = await mark(item);
    await db.query(`UPDATE inbound_item SET status = 'responded', body = 'edited' WHERE id = $1`, [item]);
    expect(await mark(item)).toBe(last);
  });

  it('clears the mark of an item that is gone', async () => {
    const gone = randomUUID();
    await db.query(`INSERT INTO report_dirty_item (item_id) VALUES ($1)`, [gone]);
    await facts.refresh(100_000, noFacts);
    expect(await dirty(gone)).toBe(false);
  });
});
