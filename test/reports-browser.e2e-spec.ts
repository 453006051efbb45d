// The manager reports in real headless Chromium against a real desk process and Postgres: items are
// written as triage and the responder would have left them, the desk computes their report facts,
// and each report page is opened, checked for its figures, errors, CSP violations and axe findings,
// and screenshotted to results/screenshots.
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { defaultCalendar } from '@desk/sla';
import { downloadFrom, launchBrowser, login, screenshot, seriousViolations, watchPage, type AxeViolation } from './support/browser.js';
import { createUser, seedConversation, seedOutboundRow, type SeedConversation, type TestUser } from './support/desk.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, testQueuePrefix } from './support/test-env.js';

const prefix = testQueuePrefix('reports-browser');
const PORT = 4760;
const BASE = `http://127.0.0.1:${PORT}`;
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 3 });
const redis = testRedis();
const calendar = defaultCalendar();

/** Four whole weeks with the summer bank holiday (Monday 31 August 2026) in the third. */
const RANGE = 'from=2026-08-17&to=2026-09-13';
/** A week of its own with more breaches than one page holds. */
const PAGING_RANGE = 'from=2026-06-01&to=2026-06-07';
const PAGING_BREACHES = 55;

let desk: RunningService;
let browser: Browser;
const users: Record<'manager' | 'admin' | 'olive' | 'ben', TestUser> = {} as never;
const contexts: BrowserContext[] = [];
const problems: string[] = [];
const itemIds: string[] = [];

/** A London wall-clock time in summer time (all the seeded dates are in BST). */
const bst = (text: string) => new Date(`${text.replace(' ', 'T')}:00+01:00`);

interface SeedItem {
  channel: SeedConversation['channel'];
  route: string;
  received: Date;
  /** The first response that reached the public. */
  response?: { at: Date; automatic: boolean; by?: TestUser };
  assignee?: TestUser;
  /** The route triage first gave, when an officer re-routed it. */
  reroutedFrom?: string;
  note?: { at: Date; by: TestUser };
  hidden?: Date;
  press?: { forwarded: Date; answered?: Date };
  body?: string;
  contact?: SeedConversation['contact'];
}

/** One conversation with one item, as the pipeline would have left it. */
async function seedItem(s: SeedItem): Promise<{ itemId: string; conversationId: string; contactId: string }> {
  // Closed: reports don't look at conversation status, and open ones would crowd the queue that
  // other suites sharing this database watch for their own arrivals.
  const seeded = await seedConversation(db, {
    channel: s.channel,
    status: 'closed',
    route: s.route,
    assigneeId: s.assignee?.id ?? null,
    dueAt: calendar.dueAt(s.received),
    contact: s.contact,
    items: [{ receivedAt: s.received, dueAt: calendar.dueAt(s.received), route: s.route, body: s.body, hiddenAt: s.hidden ?? null }],
  });
  const itemId = seeded.itemIds[0]!;
  itemIds.push(itemId);
  const ids = { itemId, conversationId: seeded.conversationId, contactId: seeded.contactId };
  if (s.press) {
    const forward = await seedOutboundRow(db, {
      kind: 'press_forward',
      channel: 'email',
      itemId,
      conversationId: seeded.conversationId,
      status: 'sent',
      automatic: true,
      recipient: 'press@trust.example',
      createdAt: s.press.forwarded,
      sentAt: s.press.forwarded,
    });
    if (s.press.answered) await db.query(`UPDATE outbound_message SET press_answered_at = $2 WHERE id = $1`, [forward, s.press.answered]);
  }
  if (s.response) {
    if (!s.response.automatic) {
      await seedOutboundRow(db, {
        kind: 'reply',
        channel: s.channel,
        itemId,
        conversationId: seeded.conversationId,
        status: 'sent',
        authorId: s.response.by?.id ?? null,
        automatic: false,
        body: 'Thank you for getting in touch.',
        createdAt: s.response.at,
        sentAt: s.response.at,
      });
    }
    await db.query(`UPDATE inbound_item SET first_response_at = $2, first_response_automatic = $3 WHERE id = $1`, [itemId, s.response.at, s.response.automatic]);
  }
  if (s.reroutedFrom) await db.query(`UPDATE inbound_item SET rerouted_from = $2 WHERE id = $1`, [itemId, s.reroutedFrom]);
  if (s.note) {
    await db.query(`INSERT INTO conversation_note (conversation_id, author_id, body, created_at) VALUES ($1, $2, 'On it', $3)`, [
      seeded.conversationId,
      s.note.by.id,
      s.note.at,
    ]);
  }
  return ids;
}

async function seed(): Promise<void> {
  const { olive, ben } = users;
  // Owed a response: 6 met (3 of them automatically), 1 late, 2 overdue. 66.7% with automatic
  // replies, 50.0% without (3 met of 6).
  await seedItem({ channel: 'facebook', route: 'general', received: bst('2026-08-18 10:00'), response: { at: bst('2026-08-18 14:00'), automatic: false, by: olive } });
  await seedItem({ channel: 'x', route: 'general', received: bst('2026-08-19 10:00'), response: { at: bst('2026-08-25 10:00'), automatic: false, by: olive } });
  await seedItem({
    channel: 'instagram',
    route: 'complaint',
    received: bst('2026-08-25 11:00'),
    assignee: ben,
    body: '<b>Nobody</b> answered about my mother’s discharge',
    contact: { handle: 'worried_son', displayName: 'Sam <i>Public</i>' },
  });
  await seedItem({ channel: 'email', route: 'clinical', received: bst('2026-08-27 12:00'), response: { at: bst('2026-08-27 12:01'), automatic: true } });
  await seedItem({ channel: 'email', route: 'general', reroutedFrom: 'appointment', received: bst('2026-08-27 13:00'), response: { at: bst('2026-08-27 13:01'), automatic: true } });
  await seedItem({
    channel: 'facebook',
    route: 'urgent_safety',
    received: bst('2026-08-29 22:00'),
    note: { at: bst('2026-08-29 22:30'), by: olive },
    response: { at: bst('2026-08-29 22:40'), automatic: false, by: olive },
  });
  await seedItem({ channel: 'instagram', route: 'general', received: bst('2026-08-31 11:00'), response: { at: bst('2026-09-02 10:00'), automatic: false, by: ben } });
  await seedItem({
    channel: 'x',
    route: 'media',
    received: bst('2026-09-01 10:00'),
    press: { forwarded: bst('2026-09-01 10:01'), answered: bst('2026-09-02 15:00') },
    response: { at: bst('2026-09-01 10:02'), automatic: true },
  });
  await seedItem({ channel: 'x', route: 'complaint', received: bst('2026-09-08 10:00') });
  // Moderation: hidden abuse, a strike, and its author flagged for blocking.
  const abuse = await seedItem({ channel: 'facebook', route: 'abuse', received: bst('2026-09-02 09:30'), hidden: bst('2026-09-02 09:31'), contact: { handle: 'troll_42', displayName: null } });
  await db.query(`INSERT INTO strike (contact_id, inbound_item_id, reason, created_by, created_at) VALUES ($1, $2, 'abuse', $3, $4)`, [
    abuse.contactId,
    abuse.itemId,
    olive.id,
    bst('2026-09-02 09:35'),
  ]);
  await db.query(`UPDATE contact SET flagged_for_block_at = $2 WHERE id = $1`, [abuse.contactId, bst('2026-09-02 09:36')]);
  // At risk now: unanswered, due in 20 minutes.
  await seedConversation(db, { channel: 'facebook', status: 'closed', items: [{ receivedAt: new Date(Date.now() - 3_600_000), dueAt: new Date(Date.now() + 20 * 60_000), body: 'Is the car park open?' }] }).then((s) =>
    itemIds.push(...s.itemIds),
  );
  // A week with more breaches than one page of the breach list.
  for (let i = 0; i < PAGING_BREACHES; i++) {
    await seedItem({ channel: 'x', route: 'general', received: new Date(bst('2026-06-02 09:00').getTime() + i * 60_000), body: `Unanswered question ${i}` });
  }
}

/** Until the desk has computed every seeded item's fact (it refreshes dirty items every 2 s). */
async function factsReady(): Promise<void> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const { rows } = await db.query(
      `SELECT count(d.item_id)::int AS dirty, count(f.item_id)::int AS facts
         FROM inbound_item i LEFT JOIN report_fact f ON f.item_id = i.id LEFT JOIN report_dirty_item d ON d.item_id = i.id
        WHERE i.id = ANY ($1::uuid[])`,
      [itemIds],
    );
    if (rows[0].dirty === 0 && rows[0].facts === itemIds.length) return;
    if (Date.now() > deadline) throw new Error(`report facts not ready: ${JSON.stringify(rows[0])} of ${itemIds.length}\n${desk.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  const password = 'reports-browser-password';
  users.manager = await createUser(db, { role: 'manager', name: 'Mina Manager', initials: 'MM', password });
  users.admin = await createUser(db, { role: 'admin', name: 'Ada Admin', initials: 'AA', password });
  users.olive = await createUser(db, { role: 'officer', name: 'Olive Officer', initials: 'OO', password });
  users.ben = await createUser(db, { role: 'officer', name: 'Ben Officer', initials: 'BO', password });
  await db.query(`UPDATE "user" SET team = 'Digital' WHERE id = $1`, [users.olive.id]);
  // The built web desk is served (no DESK_STATIC_DIR), as in production.
  desk = await startHealthy('desk', PORT, { QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' });
  await seed();
  await factsReady();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await desk?.stop();
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  // Every page must stay free of script errors and CSP violations throughout.
  expect(problems.splice(0)).toEqual([]);
});

async function open(who: keyof typeof users): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  const watched = watchPage(page);
  page.on('close', () => problems.push(...watched.problems));
  await login(page, BASE, users[who].email, users[who].password);
  return page;
}

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).innerText()).trim();

interface PageCheck {
  name: string;
  path: string;
  heading: string;
  /** Shown once the report has arrived. */
  ready: string;
  tables: string[];
  charts: string[];
  check?: (page: Page) => Promise<void>;
}

const PAGES: PageCheck[] = [
  {
    name: 'sla',
    path: `/reports?${RANGE}&period=week&by=channel`,
    heading: 'SLA compliance',
    ready: 'sla-report',
    tables: ['sla-periods', 'sla-groups'],
    charts: ['compliance-chart', 'response-chart'],
    check: async (page) => {
      expect(await text(page, 'sla-compliance')).toContain('66.7%');
      // Four weeks, the third with the bank holiday, named under the chart.
      expect(await page.getByTestId('sla-periods').locator('tbody tr').count()).toBe(4);
      expect(await page.getByTestId('compliance-chart').getByTestId('closed-legend').innerText()).toMatch(/bank holiday/i);
      expect(await page.getByTestId('sla-periods').innerText()).toMatch(/Summer bank holiday/i);
    },
  },
  {
    name: 'volumes',
    path: `/reports/volumes?${RANGE}`,
    heading: 'Volumes',
    ready: 'volumes-report',
    tables: ['volumes-days', 'heatmap', 'volumes-channels'],
    charts: ['volume-chart'],
    check: async (page) => {
      expect(await page.getByTestId('volumes-days').locator('tbody tr').count()).toBe(28);
      expect(await page.getByTestId('heatmap').locator('tbody tr').count()).toBe(7);
      expect(await page.getByTestId('heatmap').locator('tbody tr').first().locator('td').count()).toBe(24);
      expect(await page.getByTestId('volume-chart').getByTestId('closed-legend').innerText()).toContain('Summer bank holiday');
    },
  },
  {
    name: 'breaches',
    path: `/reports/breaches?${RANGE}`,
    heading: 'Breaches and items at risk',
    ready: 'breach-table',
    tables: ['at-risk-table', 'breach-table'],
    charts: [],
    check: async (page) => {
      // Late B, overdue C and J.
      expect(await page.getByTestId('breach-row').count()).toBe(3);
      const hostile = page.getByTestId('breach-row').filter({ hasText: 'answered about my mother' });
      // Public text is text: the markup shows as typed and makes no element.
      expect(await hostile.innerText()).toContain('<b>Nobody</b>');
      expect(await hostile.locator('b, i').count()).toBe(0);
      expect(await hostile.getByRole('link').getAttribute('href')).toMatch(/^\/c\/[0-9a-f-]{36}$/);
      expect(await hostile.innerText()).toMatch(/None/);
      await page.getByTestId('at-risk-row').filter({ hasText: 'Is the car park open?' }).waitFor();
    },
  },
  {
    name: 'deflections',
    path: `/reports/deflections?${RANGE}`,
    heading: 'Deflections and urgent items',
    ready: 'deflections-report',
    tables: ['deflections-table'],
    charts: [],
    check: async (page) => {
      // Two deflected (clinical, appointment), the appointment one re-routed: 50%.
      expect(await page.getByTestId('deflection-error-rate').locator('.figure-value').innerText()).toBe('50.0%');
      expect(await page.getByTestId('urgent-figures').innerText()).toContain('Touched within an hour');
    },
  },
  {
    name: 'press',
    path: `/reports/press?${RANGE}`,
    heading: 'Press enquiries',
    ready: 'press-report',
    tables: ['press-channels'],
    charts: [],
    check: async (page) => {
      expect(await page.getByTestId('press-forwarded').locator('.figure-value').innerText()).toBe('1');
    },
  },
  {
    name: 'moderation',
    path: `/reports/moderation?${RANGE}`,
    heading: 'Moderation',
    ready: 'moderation-report',
    tables: ['moderation-routes', 'moderation-flagged'],
    charts: [],
    check: async (page) => {
      expect(await page.getByTestId('moderation-hidden').locator('.figure-value').innerText()).toBe('1');
      expect(await page.getByTestId('flagged-row').filter({ hasText: 'troll_42' }).count()).toBe(1);
    },
  },
];

describe('the manager reports in Chromium', () => {
  it('opens every report with its heading, tables and charts, and axe finds nothing serious', async () => {
    const page = await open('manager');
    const found: Record<string, AxeViolation[]> = {};
    for (const report of PAGES) {
      await page.goto(`${BASE}${report.path}`);
      await page.getByTestId(report.ready).waitFor();
      // The figures have arrived, not just the frame.
      await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached', timeout: 10_000 });
      expect(await page.locator('h1').innerText()).toBe(report.heading);
      expect(await page.getByTestId(`report-nav-${report.name}`).getAttribute('aria-current')).toBe('page');
      for (const table of report.tables) expect(await page.getByTestId(table).locator('tbody tr').count()).toBeGreaterThan(0);
      for (const chart of report.charts) await page.getByTestId(chart).locator('svg.recharts-surface').first().waitFor();
      await report.check?.(page);
      found[report.name] = await seriousViolations(page);
      await screenshot(page, `reports-${report.name}`);
    }
    expect(found).toEqual(Object.fromEntries(PAGES.map((p) => [p.name, []])));
  }, 120_000);

  it('fills a bare /reports with an explicit range, and moves between reports keeping it', async () => {
    const page = await open('manager');
    await page.getByTestId('nav-reports').click();
    await page.waitForURL((url) => url.pathname === '/reports' && url.searchParams.has('from') && url.searchParams.has('to'));
    const url = new URL(page.url());
    expect(url.searchParams.get('period')).toBe('week');
    expect(url.searchParams.get('by')).toBe('channel');
    expect(url.searchParams.get('from')! <= url.searchParams.get('to')!).toBe(true);
    await page.getByTestId('report-nav-volumes').click();
    await page.waitForURL((u) => u.pathname === '/reports/volumes' && u.searchParams.get('from') === url.searchParams.get('from'));
    // A preset moves the range, and the address with it.
    await page.getByTestId('preset-last-4-weeks').click();
    await page.waitForURL((u) => u.searchParams.get('from') !== url.searchParams.get('from'));
    expect(await page.getByTestId('preset-last-4-weeks').getAttribute('aria-pressed')).toBe('true');
    // A range that runs backwards is refused in words, and nothing is shown for it.
    await page.getByTestId('report-from').fill('2026-09-20');
    await page.getByTestId('report-to').fill('2026-09-10');
    await page.getByTestId('report-range-error').waitFor();
    // Once typing settles the address has it, and no report is asked for or shown.
    await page.waitForURL((u) => u.searchParams.get('from') === '2026-09-20' && u.searchParams.get('to') === '2026-09-10');
    expect(await page.getByTestId('volumes-report').count()).toBe(0);
    expect(await page.getByTestId('report-to').getAttribute('aria-invalid')).toBe('true');
  }, 60_000);

  it('changes the SLA tables with the cut, the period and the automatic replies toggle', async () => {
    const page = await open('manager');
    await page.goto(`${BASE}/reports?${RANGE}&period=week&by=channel`);
    const groups = page.getByTestId('sla-groups');
    await page.locator('[data-testid="sla-groups"][data-by="channel"]').waitFor();
    expect(await groups.locator('tbody th').allInnerTexts()).toEqual(expect.arrayContaining(['Facebook', 'X', 'Instagram', 'Email']));

    await page.getByTestId('sla-by').selectOption('route');
    await page.locator('[data-testid="sla-groups"][data-by="route"]').waitFor();
    expect(new URL(page.url()).searchParams.get('by')).toBe('route');
    const complaint = groups.getByTestId('sla-group-row').filter({ hasText: 'Complaint' });
    expect(await complaint.locator('td').nth(5).innerText()).toBe('0.0%');

    await page.getByTestId('sla-by').selectOption('team');
    await page.locator('[data-testid="sla-groups"][data-by="team"]').waitFor();
    expect(await groups.locator('tbody th').allInnerTexts()).toContain('Digital');

    await page.getByTestId('sla-period').selectOption('month');
    await page.locator('[data-testid="sla-report"][data-period="month"]').waitFor();
    const months = await page.getByTestId('sla-periods').locator('tbody th').allInnerTexts();
    expect(months).toHaveLength(2);
    expect(months[0]).toBe('Aug 2026');
    expect(months[1]).toMatch(/^Sept? 2026$/);

    expect(await text(page, 'sla-compliance')).toContain('66.7%');
    await page.getByTestId('sla-automatic').uncheck();
    await page.locator('[data-testid="sla-groups"][data-automatic="false"]').waitFor();
    expect(new URL(page.url()).searchParams.get('automatic')).toBe('exclude');
    expect(await text(page, 'sla-compliance')).toContain('50.0%');
    // The link reproduces the report: a fresh page on the same address shows the same.
    const again = await open('manager');
    await again.goto(page.url());
    await again.locator('[data-testid="sla-groups"][data-by="team"][data-automatic="false"]').waitFor();
    expect(await again.getByTestId('sla-automatic').isChecked()).toBe(false);
  }, 60_000);

  it('opens a definition with its "?" button, and closes it with Esc', async () => {
    const page = await open('manager');
    await page.goto(`${BASE}/reports?${RANGE}&period=week&by=channel`);
    const toggle = page.getByTestId('sla-headline').getByTestId('definition-compliance');
    await toggle.waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    const controls = await toggle.getAttribute('aria-controls');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const definition = page.locator(`[id="${controls}"]`);
    expect(await definition.isVisible()).toBe(true);
    expect(await definition.innerText()).toContain('the share whose first response reached the public at or before its due time');
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await definition.isVisible()).toBe(false);
    // Still on the report: Esc closed the definition, it did not go back to the queue.
    expect(new URL(page.url()).pathname).toBe('/reports');
  }, 60_000);

  it('downloads the CSV twins with a byte-order mark and their header row', async () => {
    const page = await open('manager');
    await page.goto(`${BASE}/reports?${RANGE}&period=week&by=channel`);
    const sla = await downloadFrom(page, () => page.getByTestId('sla-csv').click());
    expect(sla.name).toBe('sla-by-channel-per-week-2026-08-17-to-2026-09-13.csv');
    expect([...sla.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const slaText = sla.bytes.subarray(3).toString('utf8');
    // Every cell is quoted; the names are what matter.
    expect(header(slaText)).toMatch(/^period,channel,label,items_owed_a_response,met,late,overdue,pending,compliance_percent/);
    expect(slaText).toContain('Whole team');

    await page.goto(`${BASE}/reports/breaches?${RANGE}`);
    await page.getByTestId('breach-table').waitFor();
    const breaches = await downloadFrom(page, () => page.getByTestId('breaches-csv').click());
    expect([...breaches.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = breaches.bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
    expect(header(lines[0]!)).toMatch(/^item_id,conversation_id,channel,route,author,text/);
    expect(lines).toHaveLength(1 + 3);
  }, 60_000);

  it('pages through the breaches with "More"', async () => {
    const page = await open('manager');
    await page.goto(`${BASE}/reports/breaches?${PAGING_RANGE}`);
    await page.getByTestId('breach-table').waitFor();
    await page.getByTestId('breach-row').nth(49).waitFor();
    expect(await page.getByTestId('breach-row').count()).toBe(50);
    expect(await text(page, 'breach-count')).toContain(`${PAGING_BREACHES} breaches`);
    await page.getByTestId('breach-more').click();
    await page.getByTestId('breach-row').nth(PAGING_BREACHES - 1).waitFor();
    expect(await page.getByTestId('breach-row').count()).toBe(PAGING_BREACHES);
    expect(await page.getByTestId('breach-more').count()).toBe(0);
    // Focus went on to the first row that arrived, where reading carries on.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } } }).document.activeElement.tagName)).toBe('A');
  }, 60_000);

  it('gives an officer no reports: no nav entry, the page goes home, the API says 403', async () => {
    const page = await open('olive');
    await page.getByTestId('nav-queue').waitFor();
    expect(await page.getByTestId('nav-reports').count()).toBe(0);
    await page.goto(`${BASE}/reports?${RANGE}`);
    await page.waitForURL((url) => url.pathname === '/');
    const api = await page.request.get(`${BASE}/api/reports/sla?${RANGE}`);
    expect(api.status()).toBe(403);
    const csv = await page.request.get(`${BASE}/api/reports/sla.csv?${RANGE}`);
    expect(csv.status()).toBe(403);
  }, 60_000);

  it("lets an admin set a user's team on the Users page, and give one when creating an account", async () => {
    const page = await open('admin');
    await page.goto(`${BASE}/users`);
    const row = page.locator(`[data-testid="user-row"][data-user-id="${users.ben.id}"]`);
    await row.getByTestId('user-team').fill('Web team');
    await row.getByTestId('user-save-team').click();
    await expectTeam(users.ben.id, 'Web team');
    // Emptied, the user is in no team.
    await row.getByTestId('user-team').fill('');
    await row.getByTestId('user-save-team').click();
    await expectTeam(users.ben.id, null);

    const email = `new-${Date.now()}@trust.example`;
    await page.getByTestId('new-user-email').fill(email);
    await page.getByTestId('new-user-name').fill('Nia New');
    await page.getByTestId('new-user-initials').fill('NN');
    await page.getByTestId('new-user-team').fill('Patient experience');
    await page.getByTestId('new-user-password').fill('a long enough password for the desk');
    await page.getByTestId('new-user-submit').click();
    await page.getByTestId('user-row').filter({ hasText: 'Nia New' }).waitFor();
    const { rows } = await db.query(`SELECT team FROM "user" WHERE email = $1`, [email]);
    expect(rows[0].team).toBe('Patient experience');
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);
});

/** A CSV file's first line with the quotes taken off. */
function header(csv: string): string {
  return csv.split(/\r?\n/)[0]!.replace(/"/g, '');
}

async function expectTeam(userId: string, team: string | null): Promise<void> {
  for (let i = 0; ; i++) {
    const { rows } = await db.query(`SELECT team FROM "user" WHERE id = $1`, [userId]);
    if (rows[0].team === team) return;
    if (i > 100) throw new Error(`team is ${rows[0].team}, not ${team}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
