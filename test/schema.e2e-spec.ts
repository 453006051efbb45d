import pg from 'pg';
import { revertLastMigration, runMigrations } from '@desk/persistence';
import { TEST_DATABASE_URL } from './support/test-env.js';

const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
afterAll(() => db.end());

async function errorOf(sql: string, params: unknown[] = []): Promise<{ code?: string; constraint?: string }> {
  try {
    await db.query(sql, params);
  } catch (error) {
    return error as { code?: string; constraint?: string };
  }
  throw new Error(`expected to fail: ${sql}`);
}

async function plan(sql: string): Promise<string> {
  const client = await db.connect();
  try {
    // Tables are tiny here, so make the planner show whether an index can serve the query at all.
    await client.query('SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off');
    const rows = await client.query(`EXPLAIN ${sql}`);
    return rows.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.query('RESET ALL');
    client.release();
  }
}

async function insertItem(externalId: string, channel = 'x'): Promise<string> {
  const res = await db.query(
    `INSERT INTO inbound_item (channel, external_id, received_at, raw) VALUES ($1, $2, now() - interval '1 minute', '{}') RETURNING id`,
    [channel, externalId],
  );
  return res.rows[0].id;
}

describe('schema', () => {
  it('has every table the design names', async () => {
    const res = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
    const tables = res.rows.map((r) => r.table_name);
    for (const table of ['contact', 'conversation', 'inbound_item', 'outbound_message', 'user', 'audit_event', 'strike', 'checkpoint', 'setting']) {
      expect(tables).toContain(table);
    }
  });

  it('stores every time as timestamptz', async () => {
    const res = await db.query(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = 'public' AND data_type LIKE 'timestamp%'`,
    );
    expect(res.rows.length).toBeGreaterThan(20);
    expect(res.rows.filter((r) => r.data_type !== 'timestamp with time zone')).toEqual([]);
  });

  it('stores an inbound item once per channel and external id', async () => {
    await insertItem('tweet-1');
    await insertItem('tweet-1', 'facebook');
    expect(await errorOf(`INSERT INTO inbound_item (channel, external_id, received_at, raw) VALUES ('x', 'tweet-1', now(), '{}')`)).toMatchObject({
      code: '23505',
      constraint: 'inbound_item_channel_external_unique',
    });
  });

  it('refuses an item received in the future', async () => {
    expect(
      await errorOf(`INSERT INTO inbound_item (channel, external_id, received_at, raw) VALUES ('x', 'future', now() + interval '1 hour', '{}')`),
    ).toMatchObject({ code: '23514', constraint: 'inbound_item_received_not_future' });
  });

  it('refuses an unknown channel or route', async () => {
    expect(await errorOf(`INSERT INTO inbound_item (channel, external_id, received_at, raw) VALUES ('myspace', 'a', now(), '{}')`)).toMatchObject({ code: '23514' });
    expect(await errorOf(`INSERT INTO inbound_item (channel, external_id, received_at, raw, route) VALUES ('x', 'r', now(), '{}', 'gossip')`)).toMatchObject({ code: '23514' });
  });

  it('keeps one outbound message per idempotency key', async () => {
    const sql = `INSERT INTO outbound_message (idempotency_key, kind, channel, automatic) VALUES ('reply-item-1', 'reply', 'x', true)`;
    await db.query(sql);
    expect(await errorOf(sql)).toMatchObject({ code: '23505', constraint: 'outbound_message_idempotency_unique' });
  });

  it('keeps one contact per platform identity, and touches updated_at on change', async () => {
    const inserted = await db.query(
      `INSERT INTO contact (platform, external_id, handle, updated_at) VALUES ('x', '42', 'old', now() - interval '1 day') RETURNING updated_at`,
    );
    expect(await errorOf(`INSERT INTO contact (platform, external_id) VALUES ('x', '42')`)).toMatchObject({ code: '23505' });
    const updated = await db.query(`UPDATE contact SET handle = 'new' WHERE external_id = '42' RETURNING updated_at`);
    expect(updated.rows[0].updated_at.getTime()).toBeGreaterThan(inserted.rows[0].updated_at.getTime());
  });

  it('serves the desk queue from an index', async () => {
    expect(await plan(`SELECT id FROM conversation WHERE status = 'open' ORDER BY priority, due_at LIMIT 50`)).toContain(
      'conversation_open_queue',
    );
  });

  it("reckons a conversation's due time from that conversation's items alone, before and after ANALYZE", async () => {
    // 1,500 unanswered items, one per conversation, due a minute apart. An index on due_at alone let
    // the planner walk the whole queue in due order, filtering by conversation (min → LIMIT 1).
    await db.query(`
      WITH c AS (INSERT INTO conversation (channel) SELECT 'facebook' FROM generate_series(1, 1500) RETURNING id),
           n AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM c)
      INSERT INTO inbound_item (channel, external_id, conversation_id, received_at, raw, route, due_at)
      SELECT 'facebook', 'due-plan-' || n, id, now() - interval '1 hour', '{}', 'general', now() + n * interval '1 minute' FROM n`);
    const { rows } = await db.query(`SELECT conversation_id AS id FROM inbound_item WHERE external_id = 'due-plan-1400'`);
    const dueOf = `SELECT min(due_at) FROM inbound_item
      WHERE conversation_id = '${rows[0].id}' AND first_response_at IS NULL AND removed_at IS NULL
        AND route IS NOT NULL AND NOT (route = ANY ('{spam,praise}'))`;
    for (const analyse of [false, true]) {
      if (analyse) await db.query('ANALYZE inbound_item');
      const explained = await db.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${dueOf}`);
      const text = explained.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
      expect({ analyse, text }).toEqual({ analyse, text: expect.stringContaining('Index Cond: (conversation_id = ') });
      const removed = Number(/Rows Removed by Filter: (\d+)/.exec(text)?.[1] ?? 0);
      expect({ analyse, removed }).toEqual({ analyse, removed: 0 });
    }
    // The plan above is a close call the planner got wrong on the bench's data (never analysed:
    // 7,210 rows removed per call), so no index may offer due order across conversations at all.
    const led = await db.query(
      `SELECT indexrelid::regclass::text AS name FROM pg_index
        WHERE indrelid = 'inbound_item'::regclass AND indkey[0] = (SELECT attnum FROM pg_attribute WHERE attrelid = 'inbound_item'::regclass AND attname = 'due_at')`,
    );
    expect(led.rows).toEqual([]);
  });
});

describe('migrations', () => {
  it('revert cleanly and apply again, with rows only the newer schema allows', async () => {
    const conversation = await db.query(`INSERT INTO conversation (channel, contact_id) VALUES ('email', NULL) RETURNING id`);
    await db.query(
      `INSERT INTO inbound_item (channel, external_id, received_at, raw, conversation_id) VALUES ('email', 'revert-test', now() - interval '1 minute', '{}', $1)`,
      [conversation.rows[0].id],
    );
    await db.query(`INSERT INTO outbound_message (idempotency_key, kind, channel, automatic) VALUES ('revert-test-alert', 'alert', 'email', true)`);
    const press = await db.query(
      `INSERT INTO outbound_message (idempotency_key, kind, channel, automatic, status) VALUES ('revert-test-press', 'press_forward', 'email', true, 'sending') RETURNING reference`,
    );
    // Every press forward gets a reference when it is created.
    expect(press.rows[0].reference).toMatch(/^MED-\d{4}-\d{4,}$/);
    // Past 9,999 the number keeps all its digits (it used to be cut to 4 and collide).
    await db.query(`SELECT setval('press_reference_seq', 9999)`);
    const wide = await db.query(
      `INSERT INTO outbound_message (idempotency_key, kind, channel, automatic) VALUES ('wide-1', 'press_forward', 'email', true), ('wide-2', 'press_forward', 'email', true)
       RETURNING reference`,
    );
    expect(wide.rows.map((r) => r.reference.replace(/^MED-\d{4}-/, ''))).toEqual(['10000', '10001']);
    const all = [
      'InitialSchema1763700000000',
      'Ingest1763800000000',
      'Triage1763900000000',
      'Responder1764000000000',
      'Desk1764100000000',
      'Reports1764200000000',
      'ReportRollups1764300000000',
      'PressReferenceWidth1764400000000',
      'ReportHistPeriods1764500000000',
      'TriageApplyFunction1764600000000',
      'InboundStoreFunction1764700000000',
      'TriageLocksConversation1764750000000',
      'ReportDirtyTable1764800000000',
      'InboundItemUnusedIndexes1764900000000',
    ];
    for (let i = 0; i < all.length; i++) expect(await revertLastMigration(TEST_DATABASE_URL)).toBe(true);
    const after = await db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'inbound_item'`);
    expect(after.rows[0].n).toBe(0);
    expect(await runMigrations(TEST_DATABASE_URL)).toEqual(all);
    expect(await runMigrations(TEST_DATABASE_URL)).toEqual([]);
  });
});
