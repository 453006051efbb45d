// Report facts are kept in step with items by the desk: every change that alters how an item
// counts marks it dirty (database triggers), and the desk's refresh job recomputes its fact with the
// SLA calendar. Checked here against a real desk process and real Postgres.
import pg from 'pg';
import { defaultCalendar } from '@desk/sla';
import { createUser, deskEnv, seedConversation } from './support/desk.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, testQueuePrefix } from './support/test-env.js';

const prefix = testQueuePrefix('report-facts');
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 3 });
const redis = testRedis();
const calendar = defaultCalendar();
let desk: RunningService;

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  desk = await startHealthy('desk', 4740, deskEnv(prefix, { LOG_LEVEL: 'warn' }));
}, 60_000);

afterAll(async () => {
  await desk?.stop();
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
});

/** The item's fact once it is clean and satisfies `ready`. */
async function fact(itemId: string, ready: (row: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await db.query(
      `SELECT f.*, EXISTS (SELECT 1 FROM report_dirty_item d WHERE d.item_id = i.id) AS dirty
         FROM inbound_item i LEFT JOIN report_fact f ON f.item_id = i.id WHERE i.id = $1`,
      [itemId],
    );
    if (rows[0] && !rows[0].dirty && rows[0].item_id && ready(rows[0])) return rows[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no up-to-date fact for ${itemId}`);
}

describe('report facts', () => {
  it('follow an item from arrival through an automatic reply, a note and a human reply', async () => {
    // Friday 6 Mar 2026 16:00 London: due Wednesday 16:00.
    const receivedAt = new Date('2026-03-06T16:00:00Z');
    const dueAt = calendar.dueAt(receivedAt);
    const seeded = await seedConversation(db, { channel: 'facebook', items: [{ receivedAt, dueAt, route: 'general' }] });
    const itemId = seeded.itemIds[0]!;
    const first = await fact(itemId);
    expect(first).toMatchObject({ channel: 'facebook', route: 'general', hour_of_week: 4 * 24 + 16, out_of_hours: false, met: null, response_working_ms: null });
    expect(first.received_day).toEqual(new Date('2026-03-06T00:00:00'));

    // The automatic acknowledgement went on Monday 9 Mar 09:30: Friday's last hour and half an hour on Monday.
    const automaticAt = new Date('2026-03-09T09:30:00Z');
    await db.query(`UPDATE inbound_item SET first_response_at = $2, first_response_automatic = true WHERE id = $1`, [itemId, automaticAt]);
    const answered = await fact(itemId, (f) => f.response_working_ms !== null);
    expect(answered).toMatchObject({ response_working_ms: '5400000', met: true, first_response_automatic: true, human_met: null });

    // An officer's note on Monday 10:00 is the first human touch.
    const officer = await createUser(db, { role: 'officer', name: 'Fact Finder', initials: 'FF' });
    await db.query(`INSERT INTO conversation_note (conversation_id, author_id, body, created_at) VALUES ($1, $2, 'looking', '2026-03-09T10:00:00Z')`, [
      seeded.conversationId,
      officer.id,
    ]);
    const touched = await fact(itemId, (f) => f.first_human_touch_at !== null);
    expect(touched.human_touch_working_ms).toBe(String(2 * 3_600_000));

    // The officer's reply reaches the public on Thursday 12 Mar 10:00: after due (Wednesday 16:00).
    await db.query(
      `INSERT INTO outbound_message (idempotency_key, kind, channel, inbound_item_id, conversation_id, author_id, automatic, body, status, sent_at)
       VALUES ($1, 'reply', 'facebook', $2, $3, $4, false, 'Thanks', 'sent', '2026-03-12T10:00:00Z')`,
      [`fact-${itemId}`, itemId, seeded.conversationId, officer.id],
    );
    const human = await fact(itemId, (f) => f.first_human_response_at !== null);
    expect(human).toMatchObject({ first_human_responder_id: officer.id, human_met: false, met: true });
    expect(Number(human.human_response_working_ms)).toBe(calendar.workingTimeBetween(receivedAt, new Date('2026-03-12T10:00:00Z')));
  });

  it('are recomputed when an officer re-routes or hides an item, and dropped for what does not count', async () => {
    const seeded = await seedConversation(db, { channel: 'x', items: [{ route: 'clinical' }] });
    const itemId = seeded.itemIds[0]!;
    await fact(itemId, (f) => f.route === 'clinical');
    await db.query(`UPDATE inbound_item SET route = 'general', rerouted_from = 'clinical', hidden_at = now() WHERE id = $1`, [itemId]);
    expect(await fact(itemId, (f) => f.route === 'general')).toMatchObject({ rerouted_from: 'clinical', hidden: true });
    // An auto-reply is recorded, never counted.
    await db.query(
      `WITH kind AS (UPDATE inbound_item SET kind = 'auto_reply' WHERE id = $1)
       INSERT INTO report_dirty_item (item_id) VALUES ($1) ON CONFLICT (item_id) DO UPDATE SET mark = EXCLUDED.mark`,
      [itemId],
    );
    for (let i = 0; i < 100; i++) {
      const { rows } = await db.query(
        `SELECT EXISTS (SELECT 1 FROM report_dirty_item WHERE item_id = $1) AS dirty, (SELECT count(*)::int FROM report_fact WHERE item_id = $1) AS n`,
        [itemId],
      );
      if (!rows[0].dirty) {
        expect(rows[0].n).toBe(0);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the auto-reply was never refreshed');
  });
});
