// The manager reports against a hand-worked set of items: every expected figure below was worked
// out by hand from SLA.md (Mon–Fri 09:00–17:00 London, England and Wales bank holidays, 24
// working hours), not by calling libs/sla. The items cross the Christmas 2024 bank holidays, a
// weekend and the March 2025 clock change. A real desk process computes facts and rollups from
// its own database (so no other suite's items can change a figure) and serves the reports.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { ComplianceFigures, ComplianceGroup, DeflectionReport, ModerationReport, PressReport, SlaReport, VolumeReport, BreachPage } from '@desk/domain';
import { ensureDatabase, runMigrations } from '@desk/persistence';
import { createUser, deskEnv, DeskClient, mintSession, seedConversation, type Session, type TestUser } from './support/desk.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, testQueuePrefix } from './support/test-env.js';

const DATABASE_URL = TEST_DATABASE_URL.replace(/\/[^/]+$/, '/desk_test_reports');
const PORT = 4750;
const prefix = testQueuePrefix('reports');
const redis = testRedis();
const db = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
const api = new DeskClient(`http://127.0.0.1:${PORT}`);
const RANGE = 'from=2024-12-23&to=2025-04-06';
const H = 3_600_000;
const M = 60_000;

let desk: RunningService;
let manager: Session;
let officer: Session;
const people: Record<'alice' | 'ben', TestUser> = {} as never;
const items: Record<string, string> = {};

const at = (iso: string) => new Date(iso);

async function item(
  name: string,
  seed: { channel: 'x' | 'x_dm' | 'facebook' | 'instagram' | 'email'; route: string; receivedAt: string; dueAt: string; assignee?: string; hiddenAt?: string },
): Promise<{ itemId: string; conversationId: string; contactId: string }> {
  const s = await seedConversation(db, {
    channel: seed.channel,
    route: seed.route as never,
    assigneeId: seed.assignee,
    items: [{ receivedAt: at(seed.receivedAt), dueAt: at(seed.dueAt), route: seed.route as never, hiddenAt: seed.hiddenAt ? at(seed.hiddenAt) : undefined, body: `item ${name}` }],
  });
  items[name] = s.itemIds[0]!;
  return { itemId: s.itemIds[0]!, conversationId: s.conversationId, contactId: s.contactId };
}

/** What the responder records when a reply reaches the public. */
async function answer(seeded: { itemId: string; conversationId: string }, sentAt: string, by: TestUser | null, channel = 'x'): Promise<void> {
  await db.query(
    `INSERT INTO outbound_message (idempotency_key, kind, channel, inbound_item_id, conversation_id, author_id, automatic, body, status, sent_at)
     VALUES ($1, 'reply', $2, $3, $4, $5, $6, 'reply', 'sent', $7)`,
    [randomUUID(), channel, seeded.itemId, seeded.conversationId, by?.id ?? null, by === null, at(sentAt)],
  );
  await db.query(`UPDATE inbound_item SET first_response_at = $2, first_response_automatic = $3 WHERE id = $1`, [seeded.itemId, at(sentAt), by === null]);
}

async function settled(): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM report_dirty_item`);
    if (rows[0].n === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('report facts never caught up');
}

async function get<T>(path: string, session = manager): Promise<T> {
  const res = await api.request(session, 'GET', path);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

beforeAll(async () => {
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL);
  await db.query(`TRUNCATE inbound_item, conversation, contact, outbound_message, strike, conversation_note, audit_event, report_fact, report_count, report_hist, report_hist_period, desk_session, "user" CASCADE`);
  await cleanPrefix(redis, prefix);
  people.alice = await createUser(db, { role: 'officer', name: 'Alice Brown', initials: 'AB' });
  people.ben = await createUser(db, { role: 'officer', name: 'Ben Carter', initials: 'BC' });
  await db.query(`UPDATE "user" SET team = 'Digital' WHERE id = ANY ($1::uuid[])`, [[people.alice.id, people.ben.id]]);
  manager = await mintSession(db, await createUser(db, { role: 'manager' }));
  officer = await mintSession(db, people.alice);

  // A: X, Mon 23 Dec 10:00 → due Mon 30 Dec 10:00 (Mon 7 h, Tue 8, Fri 8, Mon 1; 25–26 Dec are bank holidays).
  // Alice answers Fri 27 Dec 11:50: 7 h + 8 h + 2 h 50 = 17 h 50 m, met.
  const A = await item('A', { channel: 'x', route: 'general', receivedAt: '2024-12-23T10:00:00Z', dueAt: '2024-12-30T10:00:00Z' });
  await answer(A, '2024-12-27T11:50:00Z', people.alice);
  // B: Facebook, Tue 24 Dec 16:30 → due Tue 31 Dec 16:30 (0.5 + 8 + 8 + 7.5). Ben answers Thu 2 Jan 09:30 (1 Jan a bank
  // holiday): 0.5 + 8 + 8 + 8 + 0.5 = 25 h, late by 1 working hour.
  const B = await item('B', { channel: 'facebook', route: 'complaint', receivedAt: '2024-12-24T16:30:00Z', dueAt: '2024-12-31T16:30:00Z' });
  await answer(B, '2025-01-02T09:30:00Z', people.ben, 'facebook');
  // C: email, Sat 28 Dec 11:00 (out of hours) → clock starts Mon 30 Dec 09:00 → due Thu 2 Jan 17:00. Never answered: overdue.
  // Assigned to Alice, so she had it.
  await item('C', { channel: 'email', route: 'general', receivedAt: '2024-12-28T11:00:00Z', dueAt: '2025-01-02T17:00:00Z', assignee: people.alice.id });
  // D: X clinical, Sun 29 Dec 20:00 (out of hours) → due Thu 2 Jan 17:00. Deflected automatically at 20:01 (0 working time),
  // then re-routed by an officer to complaint: a deflection error.
  const D = await item('D', { channel: 'x', route: 'clinical', receivedAt: '2024-12-29T20:00:00Z', dueAt: '2025-01-02T17:00:00Z' });
  await answer(D, '2024-12-29T20:01:00Z', null);
  await db.query(`UPDATE inbound_item SET route = 'complaint', rerouted_from = 'clinical', rerouted_at = '2025-01-02T10:00:00Z' WHERE id = $1`, [D.itemId]);
  // E: Instagram appointment, Mon 30 Dec 13:00 → due Fri 3 Jan 13:00. Deflected after 30 s.
  const E = await item('E', { channel: 'instagram', route: 'appointment', receivedAt: '2024-12-30T13:00:00Z', dueAt: '2025-01-03T13:00:00Z' });
  await answer(E, '2024-12-30T13:00:30Z', null, 'instagram');
  // F: X urgent safety, Tue 31 Dec 22:00 → due Mon 6 Jan 17:00. Signposted automatically; Alice's note 40 minutes later.
  const F = await item('F', { channel: 'x', route: 'urgent_safety', receivedAt: '2024-12-31T22:00:00Z', dueAt: '2025-01-06T17:00:00Z' });
  await answer(F, '2024-12-31T22:00:10Z', null);
  await db.query(`INSERT INTO conversation_note (conversation_id, author_id, body, created_at) VALUES ($1, $2, 'called on-duty', '2024-12-31T22:40:00Z')`, [
    F.conversationId,
    people.alice.id,
  ]);
  // G: email media, Thu 2 Jan 10:00 → due Tue 7 Jan 10:00. Acknowledged at 10:01 (1 working minute) and forwarded;
  // the press office answers Fri 3 Jan 14:51: 6 h 59 m + 5 h 51 m = 12 h 50 m after the forward.
  const G = await item('G', { channel: 'email', route: 'media', receivedAt: '2025-01-02T10:00:00Z', dueAt: '2025-01-07T10:00:00Z' });
  await answer(G, '2025-01-02T10:01:00Z', null, 'email');
  await db.query(
    `INSERT INTO outbound_message (idempotency_key, kind, channel, inbound_item_id, conversation_id, automatic, body, status, sent_at, created_at, press_answered_at)
     VALUES ($1, 'press_forward', 'email', $2, $3, true, 'forward', 'sent', '2025-01-02T10:01:00Z', '2025-01-02T10:01:00Z', '2025-01-03T14:51:00Z')`,
    [randomUUID(), G.itemId, G.conversationId],
  );
  // H: X, Fri 28 Mar 2025 16:00 GMT → due Wed 2 Apr 16:00 BST = 15:00Z (1 + 8 + 8 + 7, across the clock change).
  // Ben answers 15:20 BST: 1 + 8 + 8 + 6 h 20 = 23 h 20 m, met.
  const Hi = await item('H', { channel: 'x', route: 'general', receivedAt: '2025-03-28T16:00:00Z', dueAt: '2025-04-02T15:00:00Z' });
  await answer(Hi, '2025-04-02T14:20:00Z', people.ben);
  // I: Facebook, Sat 29 Mar 12:00 GMT → due Wed 2 Apr 17:00 BST = 16:00Z. Alice answers Thu 3 Apr 09:40 BST: 24 h 40 m, late by 40 m.
  const I = await item('I', { channel: 'facebook', route: 'general', receivedAt: '2025-03-29T12:00:00Z', dueAt: '2025-04-02T16:00:00Z' });
  await answer(I, '2025-04-03T08:40:00Z', people.alice, 'facebook');
  // L: X DM, Mon 31 Mar 08:30Z = 09:30 BST: inside opening hours only because London is on BST. Due Thu 3 Apr 09:30 BST.
  // Ben answers 10:20 BST: 50 working minutes.
  const L = await item('L', { channel: 'x_dm', route: 'general', receivedAt: '2025-03-31T08:30:00Z', dueAt: '2025-04-03T08:30:00Z' });
  await answer(L, '2025-03-31T09:20:00Z', people.ben, 'x_dm');
  // J: spam, K: abuse — hidden, owed no response. K's author gets a strike and is flagged for blocking.
  await item('J', { channel: 'x', route: 'spam', receivedAt: '2024-12-23T12:00:00Z', dueAt: '2024-12-27T12:00:00Z', hiddenAt: '2024-12-23T12:00:05Z' });
  const K = await item('K', { channel: 'x', route: 'abuse', receivedAt: '2024-12-27T14:00:00Z', dueAt: '2025-01-02T14:00:00Z', hiddenAt: '2024-12-27T14:00:05Z' });
  await db.query(`INSERT INTO strike (contact_id, inbound_item_id, reason, created_at) VALUES ($1, $2, 'abuse', '2024-12-27T14:00:05Z')`, [K.contactId, K.itemId]);
  await db.query(`UPDATE contact SET flagged_for_block_at = '2024-12-27T14:00:06Z' WHERE id = $1`, [K.contactId]);

  desk = await startHealthy('desk', PORT, deskEnv(prefix, { LOG_LEVEL: 'warn', DATABASE_URL }));
  await settled();
}, 90_000);

afterAll(async () => {
  await desk?.stop();
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
});

function expectFigures(f: ComplianceFigures, want: { met: number; late: number; overdue: number; pending?: number; compliance: number | null }) {
  expect({ met: f.met, late: f.late, overdue: f.overdue, pending: f.pending }).toEqual({ met: want.met, late: want.late, overdue: want.overdue, pending: want.pending ?? 0 });
  if (want.compliance === null) expect(f.compliance).toBeNull();
  else expect(f.compliance).toBeCloseTo(want.compliance, 10);
}

const group = (groups: ComplianceGroup[], key: string) => groups.find((g) => g.key === key)!;

describe('SLA compliance and response times', () => {
  it('counts the whole team over the range by hand', async () => {
    const r = await get<SlaReport>(`/api/reports/sla?${RANGE}&period=week&by=channel`);
    // Owed a response: A B C D E F G H I L (J spam, K abuse owe none). Met: A D E F G H L; late B I; overdue C.
    expect(r.total.items).toBe(10);
    expectFigures(r.total, { met: 7, late: 2, overdue: 1, compliance: 7 / 10 });
    expect(r.total.automatic).toEqual({ answered: 4, met: 4, compliance: 1 });
    // Automatic replies excluded: A H L met, B I late, C overdue.
    expect(r.total.human).toEqual({ met: 3, late: 2, overdue: 1, compliance: 3 / 6 });
    // Steps: 4 × under 5 min, 50 m → 55 m, 17 h 50 → 18 h, 23 h 20 → 23 h 30, 24 h 40 → 25 h, 25 h → 25 h 30.
    expect(r.total.response).toEqual({ count: 9, medianMs: 55 * M, p90Ms: 25.5 * H });
    expect(r.total.automaticResponse).toEqual({ count: 4, medianMs: 5 * M, p90Ms: 5 * M });
    expect(r.total.humanResponse).toEqual({ count: 5, medianMs: 23.5 * H, p90Ms: 25.5 * H });
    expect(r.closedDays).toEqual([
      { date: '2024-12-25', title: 'Christmas Day' },
      { date: '2024-12-26', title: 'Boxing Day' },
      { date: '2025-01-01', title: 'New Year’s Day' },
    ]);
  });

  it('cuts by channel, and per week with the bank holidays in their weeks', async () => {
    const r = await get<SlaReport>(`/api/reports/sla?${RANGE}&period=week&by=channel`);
    expectFigures(group(r.groups, 'x'), { met: 4, late: 0, overdue: 0, compliance: 1 }); // A D F H
    expectFigures(group(r.groups, 'facebook'), { met: 0, late: 2, overdue: 0, compliance: 0 }); // B I
    expectFigures(group(r.groups, 'email'), { met: 1, late: 0, overdue: 1, compliance: 0.5 }); // G, C
    expectFigures(group(r.groups, 'instagram'), { met: 1, late: 0, overdue: 0, compliance: 1 }); // E
    expectFigures(group(r.groups, 'x_dm'), { met: 1, late: 0, overdue: 0, compliance: 1 }); // L
    expect(r.series.map((p) => p.period)).toHaveLength(15); // Mon 23 Dec 2024 … Mon 31 Mar 2025
    const week = (period: string) => r.series.find((p) => p.period === period)!;
    expectFigures(week('2024-12-23'), { met: 2, late: 1, overdue: 1, compliance: 0.5 }); // A D; B; C
    expect(week('2024-12-23').closedDays.map((d) => d.date)).toEqual(['2024-12-25', '2024-12-26']);
    expectFigures(week('2024-12-30'), { met: 3, late: 0, overdue: 0, compliance: 1 }); // E F G
    expect(week('2024-12-30').closedDays.map((d) => d.date)).toEqual(['2025-01-01']);
    expectFigures(week('2025-01-06'), { met: 0, late: 0, overdue: 0, compliance: null });
    expectFigures(week('2025-03-24'), { met: 1, late: 1, overdue: 0, compliance: 0.5 }); // H; I
    expectFigures(week('2025-03-31'), { met: 1, late: 0, overdue: 0, compliance: 1 }); // L
    const facebook = r.groupSeries.find((g) => g.key === 'facebook')!;
    expect(facebook.points.filter((p) => p.late > 0).map((p) => p.period)).toEqual(['2024-12-23', '2025-03-24']);
  });

  it('cuts per month, by route, by officer (who had it) and by team', async () => {
    const months = await get<SlaReport>(`/api/reports/sla?${RANGE}&period=month&by=route`);
    expect(months.series.map((p) => [p.period, p.met, p.late, p.overdue])).toEqual([
      ['2024-12-01', 4, 1, 1], // A D E F; B; C
      ['2025-01-01', 1, 0, 0], // G
      ['2025-02-01', 0, 0, 0],
      ['2025-03-01', 2, 1, 0], // H L; I
      ['2025-04-01', 0, 0, 0],
    ]);
    expectFigures(group(months.groups, 'complaint'), { met: 1, late: 1, overdue: 0, compliance: 0.5 }); // D (re-routed); B
    expect(group(months.groups, 'complaint').label).toBe('Complaint');
    expectFigures(group(months.groups, 'general'), { met: 3, late: 1, overdue: 1, compliance: 3 / 5 }); // A H L; I; C
    expect(group(months.groups, 'spam').items).toBe(0);

    const officers = await get<SlaReport>(`/api/reports/sla?${RANGE}&period=week&by=officer`);
    expectFigures(group(officers.groups, people.alice.id), { met: 1, late: 1, overdue: 1, compliance: 1 / 3 }); // A; I; C (assigned)
    expectFigures(group(officers.groups, people.ben.id), { met: 2, late: 1, overdue: 0, compliance: 2 / 3 }); // H L; B
    expectFigures(group(officers.groups, ''), { met: 4, late: 0, overdue: 0, compliance: 1 }); // D E F G
    expect(group(officers.groups, '').label).toBe('Nobody');
    expect(group(officers.groups, people.ben.id).humanResponse).toEqual({ count: 3, medianMs: 23.5 * H, p90Ms: 25.5 * H });

    const teams = await get<SlaReport>(`/api/reports/sla?${RANGE}&period=week&by=team`);
    expectFigures(group(teams.groups, 'Digital'), { met: 3, late: 2, overdue: 1, compliance: 0.5 });
    expect(group(teams.groups, '').label).toBe('No team');
  });

  it('lists each breach with its due time, why, its first response and who had it', async () => {
    const page = await get<BreachPage>(`/api/reports/breaches?${RANGE}&limit=2`);
    expect(page.total).toBe(3);
    expect(page.rows.map((b) => b.itemId)).toEqual([items.I, items.C]); // latest due first
    const next = await get<BreachPage>(`/api/reports/breaches?${RANGE}&limit=2&cursor=${page.nextCursor}`);
    expect(next.rows.map((b) => b.itemId)).toEqual([items.B]);
    expect(next.nextCursor).toBeNull();
    const [b] = next.rows;
    expect(b).toMatchObject({ dueAt: '2024-12-31T16:30:00.000Z', firstResponseAt: '2025-01-02T09:30:00.000Z', workingMsLate: 1 * H, heldBy: { name: 'Ben Carter' } });
    expect(b!.explanation).toContain('Christmas Day');
    expect(b!.explanation).toContain('Boxing Day');
    expect(page.rows[0]).toMatchObject({ workingMsLate: 40 * M, heldBy: { name: 'Alice Brown' } });
    expect(page.rows[1]).toMatchObject({ firstResponseAt: null, heldBy: { name: 'Alice Brown' } });
    expect(page.rows[1]!.workingMsLate).toBeGreaterThan(400 * 8 * H);
  });
});

describe('volumes, deflections, press and moderation', () => {
  it('counts volumes per day and per hour of the week in London time, and the out-of-hours share', async () => {
    const v = await get<VolumeReport>(`/api/reports/volumes?${RANGE}`);
    expect(v.total).toBe(12);
    expect(v.outOfHours).toBe(4); // C (Sat), D (Sun evening), F (Tue 22:00), I (Sat)
    expect(v.outOfHoursShare).toBeCloseTo(4 / 12, 10);
    const busy = v.days.filter((d) => d.items > 0).map((d) => [d.day, d.items]);
    expect(busy).toEqual([
      ['2024-12-23', 2], ['2024-12-24', 1], ['2024-12-27', 1], ['2024-12-28', 1], ['2024-12-29', 1], ['2024-12-30', 1],
      ['2024-12-31', 1], ['2025-01-02', 1], ['2025-03-28', 1], ['2025-03-29', 1], ['2025-03-31', 1],
    ]);
    expect(v.days.find((d) => d.day === '2024-12-25')!.closed).toBe('Christmas Day');
    const cells: Array<[number, number, number]> = [];
    v.heatmap.forEach((row, day) => row.forEach((n, hour) => n && cells.push([day, hour, n])));
    // L arrived 08:30 UTC, which is 09:30 in London under BST.
    expect(cells).toEqual([[0, 9, 1], [0, 10, 1], [0, 12, 1], [0, 13, 1], [1, 16, 1], [1, 22, 1], [3, 10, 1], [4, 14, 1], [4, 16, 1], [5, 11, 1], [5, 12, 1], [6, 20, 1]]);
    expect(v.byChannel.find((c) => c.channel === 'x')).toEqual({ channel: 'x', items: 6, outOfHours: 2 });
  });

  it('reports deflections, the deflection error rate and urgent items\' first human touch', async () => {
    const d = await get<DeflectionReport>(`/api/reports/deflections?${RANGE}`);
    expect(d.deflections).toEqual([
      { route: 'clinical', autoAnswered: 1, rerouted: 1, errorRate: 1, reroutedTo: [{ route: 'complaint', items: 1 }] },
      { route: 'appointment', autoAnswered: 1, rerouted: 0, errorRate: 0, reroutedTo: [] },
    ]);
    expect(d.total).toEqual({ autoAnswered: 2, rerouted: 1, errorRate: 0.5 });
    // F: Alice's note 40 minutes (clock time) after it arrived → the 40–45 minute step.
    expect(d.urgent).toEqual({ items: 1, touched: 1, untouched: 0, touchMedianMs: 45 * M, touchP90Ms: 45 * M, touchedWithinHour: 1 });
  });

  it('reports the press office: forwarded, acknowledged and answered, with working times', async () => {
    const p = await get<PressReport>(`/api/reports/press?${RANGE}`);
    expect(p).toMatchObject({ forwarded: 1, acknowledged: 1, answered: 1, open: 0 });
    expect(p.acknowledgement).toEqual({ count: 1, medianMs: 5 * M, p90Ms: 5 * M });
    expect(p.pressResponse).toEqual({ count: 1, medianMs: 13 * H, p90Ms: 13 * H }); // 12 h 50 m → the step ending 13 h
    expect(p.byChannel.find((c) => c.channel === 'email')).toEqual({ channel: 'email', forwarded: 1, answered: 1 });
  });

  it('reports moderation: hidden items, strikes and authors flagged for blocking', async () => {
    const m = await get<ModerationReport>(`/api/reports/moderation?${RANGE}`);
    expect(m).toMatchObject({ hidden: 2, strikes: 1, authorsStruck: 1, flaggedForBlocking: 1 });
    expect(m.hiddenByRoute).toEqual(expect.arrayContaining([{ route: 'spam', items: 1 }, { route: 'abuse', items: 1 }]));
    expect(m.flagged[0]).toMatchObject({ flaggedAt: '2024-12-27T14:00:06.000Z', strikes: 1 });
  });
});

describe('exports and access', () => {
  it('exports CSV with a byte-order mark, quoted cells and the figures of the page', async () => {
    const res = await fetch(`http://127.0.0.1:${PORT}/api/reports/sla.csv?${RANGE}&period=month&by=channel`, { headers: { cookie: `desk_session=${manager.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="sla-by-channel-per-month-2024-12-23-to-2025-04-06.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split('\r\n');
    expect(lines[0]).toMatch(/^"period","channel","label","items_owed_a_response","met","late","overdue","pending","compliance_percent"/);
    expect(lines[1]).toMatch(/^"all","all","Whole team",10,7,2,1,0,70,4,4,100,3,2,50,0\.92,25\.5,/);
    const breaches = await fetch(`http://127.0.0.1:${PORT}/api/reports/breaches.csv?${RANGE}`, { headers: { cookie: `desk_session=${manager.token}` } });
    const text = (await breaches.text()).replace(/^\uFEFF/, '');
    const rows = text.trim().split('\r\n');
    expect(rows).toHaveLength(4);
    expect(rows[3]).toContain('"Ben Carter"');
    expect(rows[3]).toContain('Boxing Day');
    const channels = await fetch(`http://127.0.0.1:${PORT}/api/reports/volumes-by-channel.csv?${RANGE}`, { headers: { cookie: `desk_session=${manager.token}` } });
    expect((await channels.text()).split('\r\n')).toContain('"X",6,2,33.3');
  });

  it('refuses officers and bad ranges with a reason', async () => {
    expect((await api.request(officer, 'GET', `/api/reports/sla?${RANGE}`)).status).toBe(403);
    const backwards = await api.request(manager, 'GET', '/api/reports/sla?from=2025-02-01&to=2025-01-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body).toMatchObject({ error: 'invalid', message: expect.stringContaining('after') });
    expect((await api.request(manager, 'GET', '/api/reports/sla?from=2020-01-01&to=2025-01-01')).status).toBe(400);
    expect((await api.request(manager, 'GET', '/api/reports/breaches?cursor=bm9wZQ')).status).toBe(400);
  });
});

describe('rollups stay right when things change late', () => {
  it('a late-arriving item, a late reply and a re-route each correct the figures of the day they belong to', async () => {
    // M arrives (is ingested) now but was sent Mon 23 Dec 2024 09:30; nobody answers it: overdue.
    const Mi = await item('M', { channel: 'x', route: 'general', receivedAt: '2024-12-23T09:30:00Z', dueAt: '2024-12-30T09:30:00Z' });
    await settled();
    let week = (await get<SlaReport>(`/api/reports/sla?from=2024-12-23&to=2024-12-29&period=week&by=channel`)).series[0]!;
    expectFigures(week, { met: 2, late: 1, overdue: 2, compliance: 2 / 5 });
    // A late reply (Fri 27 Dec 10:00, 16 h 30 m in, on time) turns it from overdue to met.
    await answer(Mi, '2024-12-27T10:00:00Z', people.ben);
    await settled();
    week = (await get<SlaReport>(`/api/reports/sla?from=2024-12-23&to=2024-12-29&period=week&by=channel`)).series[0]!;
    expectFigures(week, { met: 3, late: 1, overdue: 1, compliance: 3 / 5 });
    // Re-routed to spam: it no longer owes a response.
    await db.query(`UPDATE inbound_item SET route = 'spam', rerouted_from = 'general' WHERE id = $1`, [Mi.itemId]);
    await settled();
    week = (await get<SlaReport>(`/api/reports/sla?from=2024-12-23&to=2024-12-29&period=week&by=channel`)).series[0]!;
    expectFigures(week, { met: 2, late: 1, overdue: 1, compliance: 2 / 4 });
  });

  it('the rollups equal the facts summed afresh', async () => {
    const { rows } = await db.query(`
      WITH fresh AS (
        SELECT received_day AS day, count(*)::int AS items, count(*) FILTER (WHERE owed)::int AS owed,
               count(*) FILTER (WHERE owed AND met)::int AS met, count(*) FILTER (WHERE out_of_hours)::int AS out_of_hours,
               count(*) FILTER (WHERE hidden)::int AS hidden, count(*) FILTER (WHERE owed AND first_response_at IS NULL)::int AS unanswered
          FROM report_fact GROUP BY 1),
      rolled AS (SELECT day, items, owed, met, out_of_hours, hidden, unanswered FROM report_count WHERE cut = 'all' AND items <> 0)
      SELECT (SELECT count(*)::int FROM (SELECT * FROM fresh EXCEPT SELECT * FROM rolled) a) AS missing,
             (SELECT count(*)::int FROM (SELECT * FROM rolled EXCEPT SELECT * FROM fresh) b) AS extra,
             (SELECT count(*)::int FROM fresh) AS days`);
    expect(rows[0]).toEqual({ missing: 0, extra: 0, days: 11 });
    const hist = await db.query(`SELECT coalesce(sum(n), 0)::int AS n FROM report_hist WHERE cut = 'all' AND series IN ('auto', 'human')`);
    const answered = await db.query(`SELECT count(*)::int AS n FROM report_fact WHERE owed AND first_response_at IS NOT NULL`);
    expect(hist.rows[0].n).toBe(answered.rows[0].n);
    // Weekly and monthly histograms are the daily ones summed.
    const periods = await db.query(`
      WITH daily AS (
        SELECT g.grain, cut, date_trunc(g.grain, day)::date AS start, key, series, bucket, sum(n)::int AS n
          FROM report_hist CROSS JOIN (VALUES ('week'), ('month')) AS g(grain) GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0),
      stored AS (SELECT grain, cut, start, key, series, bucket, n FROM report_hist_period WHERE n <> 0)
      SELECT (SELECT count(*) FROM (SELECT * FROM daily EXCEPT SELECT * FROM stored) a)::int AS missing,
             (SELECT count(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM daily) b)::int AS extra,
             (SELECT count(*) FROM stored)::int AS rows`);
    expect(periods.rows[0]).toMatchObject({ missing: 0, extra: 0 });
    expect(periods.rows[0].rows).toBeGreaterThan(50);
  });
});
