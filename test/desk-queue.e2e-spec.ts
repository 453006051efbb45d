import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { QueuePage, QueueRow } from '@desk/domain';
import { defaultCalendar } from '@desk/sla';
import { createUser, deskEnv, DeskClient, seedConversation, type SeedConversation, type Session, type TestUser } from './support/desk.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, testQueuePrefix } from './support/test-env.js';

const prefix = testQueuePrefix('desk-queue');
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 3 });
const redis = testRedis();
const api = new DeskClient('http://127.0.0.1:4705');
/** SLA.md's calendar, which the desk uses when the settings table doesn't override it (checked below). */
const calendar = defaultCalendar();
const HOUR = 3_600_000;
let desk: RunningService;
let officer: TestUser;
let colleague: TestUser;
let session: Session;

/** In every seeded item of the main set, so that `q=TOKEN` sees this suite's rows and no one else's. */
const TOKEN = `qtok${randomUUID().slice(0, 8)}`;
const tag = randomUUID().slice(0, 6);
const ids: Record<string, string> = {};
const due: Record<string, Date | null> = {};

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  const overrides = await db.query(`SELECT key FROM setting WHERE key IN ('sla.calendar', 'sla.bank_holidays')`);
  if (overrides.rowCount) throw new Error(`a calendar setting is stored (${overrides.rows.map((r) => r.key)}); this suite expects SLA.md's calendar`);
  desk = await startHealthy('desk', 4705, deskEnv(prefix, { LOG_LEVEL: 'warn' }));
  officer = await createUser(db, { role: 'officer', name: 'Olu Officer', initials: 'OO' });
  colleague = await createUser(db, { role: 'officer', name: 'Cara Colleague', initials: 'CC' });
  session = await api.loginAs(officer);

  const now = Date.now();
  due.urgent = calendar.dueAt(now, 30);
  // Two working hours away: under SLA_AT_RISK_HOURS (4), whenever the suite runs.
  due.atRisk = calendar.dueAt(now, 2);
  due.ok = calendar.dueAt(now, 24);
  due.breached = new Date(now - HOUR);
  due.answered = calendar.dueAt(now, 10);
  const body = (text: string) => `${text} ${TOKEN}`;
  const seeds: Record<string, SeedConversation> = {
    urgent: { channel: 'x', priority: 0, route: 'urgent_safety', dueAt: due.urgent, items: [{ body: body('I need help now') }] },
    atRisk: {
      channel: 'facebook',
      priority: 10,
      route: 'complaint',
      dueAt: due.atRisk,
      assigneeId: officer.id,
      contact: { handle: null, displayName: 'Fenella Facebook' },
      items: [{ body: body('First complaint'), receivedAt: new Date(now - 2 * HOUR) }, { body: `\n\n  Newest line first ${TOKEN}\nand more` }],
    },
    ok: {
      channel: 'email',
      priority: 10,
      route: 'complaint',
      dueAt: due.ok,
      assigneeId: colleague.id,
      contact: { handle: `mail-${tag}@example.org`, displayName: 'Edna Email' },
      items: [{ subject: `Parking fines sbj${tag}`, body: body('Why was I fined?') }],
    },
    noDueA: { channel: 'instagram', priority: 10, route: 'complaint', dueAt: null, items: [{ body: body('A comment'), dueAt: null }] },
    noDueB: {
      channel: 'instagram',
      priority: 10,
      route: 'general',
      dueAt: null,
      contact: { handle: `ward_watcher_${tag}`, displayName: null },
      items: [{ body: body('Another comment'), dueAt: null, flags: ['out_of_hours'] }],
    },
    breached: {
      channel: 'x_dm',
      priority: 40,
      route: 'general',
      dueAt: due.breached,
      contact: { handle: `dm${tag}`, displayName: `Hermione Quist${tag}` },
      items: [{ body: body('My address is 1 High St'), flags: ['pii'] }],
    },
    answered: { channel: 'facebook', priority: 60, route: 'praise', dueAt: due.answered, items: [{ body: body('Thank you all'), firstResponseAt: new Date() }] },
    snoozed: { channel: 'x', status: 'snoozed', priority: 10, route: 'complaint', snoozedUntil: new Date(now + 86_400_000), items: [{ body: body('Later') }] },
    closed: { channel: 'email', status: 'closed', priority: 40, route: 'general', items: [{ body: body('Done with') }] },
  };
  for (const [name, seed] of Object.entries(seeds)) ids[name] = (await seedConversation(db, seed)).conversationId;
  // noDueA and noDueB tie on priority and due, so their order is by id.
  ORDER = ['urgent', 'atRisk', 'ok', ...(ids.noDueA! < ids.noDueB! ? ['noDueA', 'noDueB'] : ['noDueB', 'noDueA']), 'breached', 'answered'];
}, 60_000);

afterAll(async () => {
  await desk?.stop();
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
});

/** The open set in queue order: priority, then due (none last), then id. */
let ORDER: string[] = [];
/** The named rows in queue order. */
const inOrder = (...wanted: string[]) => ORDER.filter((n) => wanted.includes(n));

async function queue(query: Record<string, string | number> = {}, as: Session = session): Promise<QueuePage> {
  const res = await api.get(as, `/api/queue?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`);
  if (res.status !== 200) throw new Error(`queue ${JSON.stringify(query)}: ${res.status} ${res.text}`);
  return res.body;
}

const names = (rows: QueueRow[]) => rows.map((r) => Object.keys(ids).find((k) => ids[k] === r.conversationId) ?? r.conversationId);
const mine = (rows: QueueRow[]) => names(rows).filter((n) => n in ids);

describe('GET /api/queue', () => {
  it('orders by priority, then due time with no due time last, then id', async () => {
    const page = await queue({ q: TOKEN });
    expect(names(page.rows)).toEqual(ORDER);
    expect(page.nextCursor).toBeNull();
  });

  it('describes each row: author, preview of the newest item, assignee, flags, item count', async () => {
    const rows = Object.fromEntries((await queue({ q: TOKEN })).rows.map((r) => [names([r])[0], r]));
    expect(rows.atRisk).toMatchObject({
      channel: 'facebook',
      status: 'open',
      route: 'complaint',
      priority: 10,
      assignee: { id: officer.id, name: 'Olu Officer', initials: 'OO' },
      author: { handle: null, displayName: 'Fenella Facebook', strikes: 0, flaggedForBlockAt: null },
      preview: `Newest line first ${TOKEN}`,
      itemCount: 2,
      dueAt: due.atRisk!.toISOString(),
    });
    expect(rows.ok!.preview).toBe(`Parking fines sbj${tag} — Why was I fined? ${TOKEN}`);
    expect(rows.breached!.flags).toEqual(['pii']);
    expect(rows.urgent).toMatchObject({ assignee: null, flags: [], itemCount: 1 });
  });

  it('filters by channel, route, status, assignee and flag', async () => {
    expect(mine((await queue({ q: TOKEN, channel: 'email' })).rows)).toEqual(['ok']);
    expect(mine((await queue({ q: TOKEN, channel: 'x' })).rows)).toEqual(['urgent']);
    expect(mine((await queue({ q: TOKEN, route: 'complaint' })).rows)).toEqual(['atRisk', 'ok', 'noDueA']);
    expect(mine((await queue({ q: TOKEN, status: 'snoozed' })).rows)).toEqual(['snoozed']);
    expect(mine((await queue({ q: TOKEN, status: 'closed' })).rows)).toEqual(['closed']);
    expect(mine((await queue({ q: TOKEN, assignee: 'me' })).rows)).toEqual(['atRisk']);
    expect(mine((await queue({ q: TOKEN, assignee: 'me' }, await api.loginAs(colleague))).rows)).toEqual(['ok']);
    expect(mine((await queue({ q: TOKEN, assignee: colleague.id })).rows)).toEqual(['ok']);
    expect(mine((await queue({ q: TOKEN, assignee: 'none' })).rows)).toEqual(inOrder('urgent', 'noDueA', 'noDueB', 'breached', 'answered'));
    expect(mine((await queue({ q: TOKEN, flag: 'pii' })).rows)).toEqual(['breached']);
    expect(mine((await queue({ q: TOKEN, flag: 'out_of_hours' })).rows)).toEqual(['noDueB']);
    expect(mine((await queue({ q: TOKEN, channel: 'facebook', assignee: 'none' })).rows)).toEqual(['answered']);
  });

  it('refuses filters it does not know', async () => {
    for (const query of ['channel=myspace', 'route=gossip', 'status=deleted', 'assignee=someone', 'flag=odd', 'limit=0', 'limit=101']) {
      const res = await api.get(session, `/api/queue?${query}`);
      expect([query, res.status, res.body?.error]).toEqual([query, 400, 'invalid']);
    }
  });

  it('states the SLA of each row from the working calendar', async () => {
    const at = Date.now();
    const rows = Object.fromEntries((await queue({ q: TOKEN })).rows.map((r) => [names([r])[0], r]));
    const left = (name: string) => calendar.workingTimeRemaining(due[name]!, at);
    // The fixture is what it claims to be, on any day and at any hour.
    expect(left('atRisk')).toBeGreaterThan(0);
    expect(left('atRisk')).toBeLessThan(4 * HOUR);
    expect(left('ok')).toBeGreaterThanOrEqual(4 * HOUR);

    expect(rows.breached).toMatchObject({ sla: 'breached' });
    expect(rows.breached!.workingMsLeft).toBeLessThanOrEqual(0);
    expect(rows.atRisk).toMatchObject({ sla: 'at_risk' });
    expect(Math.abs(rows.atRisk!.workingMsLeft! - left('atRisk'))).toBeLessThan(10_000);
    expect(rows.ok).toMatchObject({ sla: 'ok' });
    expect(Math.abs(rows.ok!.workingMsLeft! - left('ok'))).toBeLessThan(10_000);
    expect(rows.urgent).toMatchObject({ sla: 'ok' });
    expect(rows.answered).toMatchObject({ sla: 'answered', workingMsLeft: null });
    expect(rows.noDueA).toMatchObject({ sla: 'none', workingMsLeft: null, dueAt: null });
  });

  it('walks every row exactly once, in order, a page of two at a time', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: QueuePage = await queue({ q: TOKEN, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.rows.length).toBeLessThanOrEqual(2);
      seen.push(...names(page.rows));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(ORDER);
    expect(pages).toBe(Math.ceil(ORDER.length / 2));
  });

  it('pages due times to the microsecond: rows microseconds apart are neither repeated nor skipped', async () => {
    const word = `micro${Date.now()}`;
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      const seeded = await seedConversation(db, { channel: 'x', priority: 40, items: [{ body: `due together ${word}` }] });
      made.push(seeded.conversationId);
    }
    // Written by hand to the microsecond, as no writer in the desk does today.
    await db.query(
      `UPDATE conversation SET status = 'open', due_at = '2030-01-07 10:00:00.000100+00'::timestamptz + (ord * interval '1 microsecond')
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, ord) WHERE conversation.id = t.id`,
      [made],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: QueuePage = await queue({ q: word, limit: 1, ...(cursor ? { cursor } : {}) });
      seen.push(...page.rows.map((r) => r.conversationId));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(made);
  });

  it('refuses a cursor it did not give out', async () => {
    const { nextCursor } = await queue({ q: TOKEN, limit: 2 });
    expect(nextCursor).toEqual(expect.any(String));
    const [priority, dueAt] = JSON.parse(Buffer.from(nextCursor!, 'base64url').toString('utf8'));
    const forged = [
      Buffer.from(JSON.stringify([priority, dueAt, "x' OR '1'='1"])).toString('base64url'),
      Buffer.from(JSON.stringify(['10; DROP TABLE conversation', dueAt, ids.ok])).toString('base64url'),
      Buffer.from(JSON.stringify([priority, 'yesterday-ish', ids.ok])).toString('base64url'),
      Buffer.from('{"not":"a list"}').toString('base64url'),
      `${nextCursor!.slice(0, -4)}!!!!`,
      'not a cursor at all',
    ];
    for (const cursor of forged) {
      const res = await api.get(session, `/api/queue?${new URLSearchParams({ q: TOKEN, cursor })}`);
      expect([cursor, res.status, res.body?.error]).toEqual([cursor, 400, 'invalid']);
    }
  });
});

describe('searching the queue', () => {
  const seeded: Record<string, string> = {};
  const word = `srch${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    const seed = async (name: string, bodyText: string, contact?: { handle?: string | null; displayName?: string | null }, subject?: string) => {
      seeded[name] = (await seedConversation(db, { channel: 'email', contact, items: [{ body: bodyText, subject }] })).conversationId;
    };
    await seed('percent', `Parking went up 50% this year ${word}`, { displayName: 'Ann' });
    await seed('fiftyThousand', `Parking costs 5000 pounds now ${word}`, { displayName: 'Ben' });
    await seed('underscore', `See file a_b.pdf ${word}`, { displayName: 'Cal' });
    await seed('noUnderscore', `See file axb.pdf ${word}`, { displayName: 'Dee' });
    await seed('backslash', `Path C:\\ward\\notes ${word}`, { displayName: 'Eve' });
    await seed('twoLetters', `Short words: qv and so on ${word}`, { handle: null, displayName: 'Fay' });
    await seed('twoLetterAuthor', `Nothing to see ${word}`, { handle: null, displayName: 'Qv Tester' });
    await seed('subject', `Body without the word`, { displayName: 'Gil' }, `About ${word}subj`);
  });

  const found = async (q: string) => {
    const rows = (await queue({ q, limit: 100 })).rows.map((r) => r.conversationId);
    return Object.keys(seeded).filter((name) => rows.includes(seeded[name]!));
  };

  it('finds text in item bodies and subjects, case-insensitively', async () => {
    expect(await found(word.toUpperCase())).toEqual(['percent', 'fiftyThousand', 'underscore', 'noUnderscore', 'backslash', 'twoLetters', 'twoLetterAuthor', 'subject']);
    expect(await found(`${word}SUBJ`)).toEqual(['subject']);
  });

  it('finds authors by handle or display name', async () => {
    expect(mine((await queue({ q: `watcher_${tag}` })).rows)).toEqual(['noDueB']);
    expect(mine((await queue({ q: `hermione quist${tag}` })).rows)).toEqual(['breached']);
    expect(mine((await queue({ q: `mail-${tag}@example` })).rows)).toEqual(['ok']);
  });

  it('treats % and _ and \\ as the characters they are', async () => {
    expect(await found('50%')).toEqual(['percent']);
    expect(await found('a_b')).toEqual(['underscore']);
    expect(await found('C:\\ward')).toEqual(['backslash']);
    expect(await found('% t')).toEqual(['percent']);
  });

  it('under three characters, searches authors only', async () => {
    expect(await found('qv')).toEqual(['twoLetterAuthor']);
  });

  it('what it matches on, item text and subject and the author, can be served by the trigram indexes', async () => {
    // With few rows the planner walks the queue instead; with many and a rare word it needs these. Seq
    // scans are priced out to show whether an index can serve each predicate at all. Text is body OR
    // subject: a bitmap OR needs an index on both, or the whole table is read.
    const client = await db.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const plan = async (sql: string) => (await client.query(`EXPLAIN ${sql}`, ['%parking%'])).rows.map((r) => r['QUERY PLAN']).join('\n');
      const text = await plan(`SELECT conversation_id FROM inbound_item s WHERE s.body ILIKE $1 OR s.subject ILIKE $1`);
      expect(text).toContain('inbound_item_body_trgm');
      expect(text).toContain('inbound_item_subject_trgm');
      expect(text).not.toContain('Seq Scan');
      const authors = await plan(`SELECT a.id FROM contact a WHERE (coalesce(a.handle, '') || ' ' || coalesce(a.display_name, '')) ILIKE $1`);
      expect(authors).toContain('contact_name_trgm');
      expect(authors).not.toContain('Seq Scan');
    } finally {
      await client.query('RESET ALL');
      client.release();
    }
  });
});
