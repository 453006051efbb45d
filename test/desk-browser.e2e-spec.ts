// The web desk in real headless Chromium (Debian's, through playwright-core) against the whole
// system: ingest, triage, the responder and the desk as separate processes, real Postgres and
// Redis, and a fake Graph API as the only stand-in. Screenshots of the main pages go to
// results/screenshots.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FAKE_CREDENTIALS } from '@desk/config';
import { hashPassword } from '../apps/desk/src/auth/passwords.js';
import { FakeGraphApi } from './fakes/graph-api.js';
import { feedCommentPayload, MetaWebhookSender } from './fakes/meta-webhook.js';
import { launchBrowser, login, screenshot, seriousViolations, watchPage } from './support/browser.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, testQueuePrefix } from './support/test-env.js';

const prefix = testQueuePrefix('browser');
const PORTS = { desk: 4730, ingest: 4731, triage: 4732, responder: 4733, graph: 4734 };
const BASE = `http://127.0.0.1:${PORTS.desk}`;
const PAGE_ID = FAKE_CREDENTIALS.meta.pageIds[0]!;
// The fake drivers' own Page token and app secret: ingest checks webhook signatures with the same secret.
const PAGE_TOKEN = FAKE_CREDENTIALS.meta.pageTokens[PAGE_ID]!;
const GRAPH_SECRET = FAKE_CREDENTIALS.meta.appSecret;
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 3 });
const redis = testRedis();
const meta = new MetaWebhookSender(`http://127.0.0.1:${PORTS.ingest}`);
const run = randomUUID().slice(0, 8);
const PASSWORD = 'browser-test-password';
const people = {
  alice: { email: `alice-${run}@trust.example`, name: 'Alice Brown', initials: 'AB', role: 'officer' },
  ben: { email: `ben-${run}@trust.example`, name: 'Ben Carter', initials: 'BC', role: 'officer' },
  priya: { email: `priya-${run}@trust.example`, name: 'Priya Shah', initials: 'PS', role: 'press' },
  ada: { email: `ada-${run}@trust.example`, name: 'Ada Admin', initials: 'AA', role: 'admin' },
} as const;
const ids: Record<keyof typeof people, string> = { alice: '', ben: '', priya: '', ada: '' };

let graph: FakeGraphApi;
let services: RunningService[] = [];
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[] = [];

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  await db.query(
    `UPDATE setting SET value = value || '{"press_office_email": "press@trust.example", "on_duty_email": "on-duty@trust.example"}' WHERE key = 'trust'`,
  );
  const hash = await hashPassword(PASSWORD);
  for (const [key, person] of Object.entries(people) as Array<[keyof typeof people, (typeof people)[keyof typeof people]]>) {
    const { rows } = await db.query(`INSERT INTO "user" (email, name, initials, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
      person.email,
      person.name,
      person.initials,
      person.role,
      hash,
    ]);
    ids[key] = rows[0].id;
  }
  graph = await FakeGraphApi.start(PORTS.graph, { tokens: { [PAGE_ID]: PAGE_TOKEN }, appSecret: GRAPH_SECRET });
  // Comments reach the desk through ingest's webhook, not through the fake: let replies land on them.
  graph.adoptUnknownComments = true;
  const env = {
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    X_POLL_INTERVAL_MS: '0',
    MAIL_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'browser-spool-')),
    MAIL_OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'browser-outbox-')),
    META_GRAPH_URL: graph.url,
  };
  services = await Promise.all([
    startHealthy('ingest', PORTS.ingest, env),
    startHealthy('triage', PORTS.triage, env),
    startHealthy('responder', PORTS.responder, env),
    startHealthy('desk', PORTS.desk, env),
  ]);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(services.map((s) => s.stop()));
  await graph?.close();
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
});

afterEach(() => {
  // Every page must stay free of script errors and CSP violations throughout.
  expect(problems).toEqual([]);
});

async function open(who: keyof typeof people): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  const watched = watchPage(page);
  page.on('close', () => problems.push(...watched.problems));
  await login(page, BASE, people[who].email, PASSWORD);
  return page;
}

async function closeAll(): Promise<void> {
  for (const context of contexts.splice(0)) await context.close();
}

/** A Facebook comment through ingest's signed webhook, as Meta would deliver it. */
async function comment(text: string, from = { id: `10000${Math.floor(Math.random() * 1e9)}`, name: 'Sam Public' }): Promise<string> {
  const postId = `${PAGE_ID}_${randomUUID().slice(0, 8)}`;
  const commentId = `${postId.split('_')[1]}_${randomUUID().slice(0, 12)}`;
  const res = await meta.send(feedCommentPayload({ postId, commentId, text, from, pageId: PAGE_ID }));
  expect(res.status).toBe(200);
  return commentId;
}

async function triaged(commentId: string): Promise<{ id: string; conversation_id: string; route: string }> {
  for (let i = 0; i < 150; i++) {
    const { rows } = await db.query(`SELECT id, conversation_id, route FROM inbound_item WHERE external_id = $1 AND triaged_at IS NOT NULL`, [commentId]);
    if (rows[0]) return rows[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`comment ${commentId} was not triaged`);
}

async function until<T>(read: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the web desk in Chromium', () => {
  afterEach(closeAll);

  it('serves the app under a strict Content-Security-Policy', async () => {
    const res = await fetch(`${BASE}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves any page path the app (never cached), hashed assets for a year, and no page for a missing asset or API route', async () => {
    const page = await fetch(`${BASE}/c/00000000-0000-4000-8000-000000000000`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${BASE}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${BASE}/assets/missing-1234.js`)).status).toBe(404);
    const api = await fetch(`${BASE}/api/not-a-route`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: 'not_found' });
  });

  it('logs in and works an item from arrival to a reply seen at the provider', async () => {
    const page = await open('alice');
    await page.getByTestId('queue-table').waitFor();
    const marker = `cafe-${run}`;
    const commentId = await comment(`Is the café in the Jessop Wing open on Sundays? ${marker}`);
    // Arrives live, without a reload (server-sent events).
    const row = page.getByTestId('queue-row').filter({ hasText: marker });
    await row.waitFor({ timeout: 20_000 });
    await screenshot(page, 'queue');
    const item = await triaged(commentId);
    expect(item.route).toBe('general');
    await row.getByRole('link').click();
    await page.waitForURL(`**/c/${item.conversation_id}`);
    await page.getByTestId('sla-explanation').waitFor();
    expect(await page.getByTestId('sla-explanation').innerText()).toMatch(/received .* → due /);
    await page.getByTestId('claim-button').click();
    await until(async () => (await page.getByTestId('conv-assignee').getAttribute('data-assignee-id')) === ids.alice, 'the claim to show');
    await page.getByTestId('composer-text').fill("Yes: the café is open 10:00–16:00 on Sundays.");
    await screenshot(page, 'conversation');
    await page.getByTestId('composer-send').click();
    const sent = page.locator('[data-testid="timeline-outbound"][data-status="sent"]').filter({ hasText: 'open 10:00–16:00' });
    await sent.waitFor({ timeout: 20_000 });
    const reply = await until(() => graph.replies.find((r) => r.parentId === commentId), 'the reply at the fake Graph API');
    expect(reply.message).toBe('Yes: the café is open 10:00–16:00 on Sundays.\n– AB');
    const { rows } = await db.query(`SELECT first_response_at, first_response_automatic FROM inbound_item WHERE id = $1`, [item.id]);
    expect(rows[0].first_response_at).not.toBeNull();
    expect(rows[0].first_response_automatic).toBe(false);
  }, 60_000);

  it('shows a second officer who is on it and warns before a conflicting reply', async () => {
    const marker = `parking-${run}`;
    const commentId = await comment(`How much is parking for a week-long stay on ward 7? ${marker}`);
    const item = await triaged(commentId);
    const alice = await open('alice');
    const ben = await open('ben');
    await alice.goto(`${BASE}/c/${item.conversation_id}`);
    await ben.goto(`${BASE}/c/${item.conversation_id}`);
    // Each sees the other viewing.
    await until(async () => (await ben.getByTestId('viewers').innerText()).includes('AB'), "Alice in Ben's viewers");
    await alice.getByTestId('claim-button').click();
    await until(async () => (await ben.getByTestId('conv-assignee').getAttribute('data-assignee-id')) === ids.alice, "Alice's claim on Ben's page");
    await screenshot(ben, 'conversation-collision');
    await ben.getByTestId('composer-text').fill('Parking is £20 a week with a concession ticket.');
    await ben.getByTestId('composer-send').click();
    const dialog = ben.getByTestId('conflict-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Alice Brown');
    await screenshot(ben, 'conflict-warning');
    // Nothing was sent while the warning is up.
    const { rows: before } = await db.query(`SELECT count(*)::int AS n FROM outbound_message WHERE inbound_item_id = $1 AND author_id IS NOT NULL`, [item.id]);
    expect(before[0].n).toBe(0);
    await ben.getByTestId('send-anyway').click();
    await ben.locator('[data-testid="timeline-outbound"]').filter({ hasText: '£20 a week' }).waitFor();
    const reply = await until(() => graph.replies.find((r) => r.parentId === commentId), 'the reply');
    expect(reply.message).toContain('– BC');
  }, 60_000);

  it('shows a failed send with the provider’s reason, and sends it on retry', async () => {
    const marker = `retry-${run}`;
    const commentId = await comment(`Where do I collect a prescription after discharge? ${marker}`);
    const item = await triaged(commentId);
    const page = await open('alice');
    await page.goto(`${BASE}/c/${item.conversation_id}`);
    await page.getByTestId('composer-text').waitFor();
    graph.failNext(400, {
      error: { message: "Unsupported post request. Object with ID '1' does not exist", type: 'GraphMethodException', code: 100, error_subcode: 33, fbtrace_id: 'AbCdEf' },
    });
    await page.getByTestId('composer-text').fill('The pharmacy by the main entrance, open until 8pm.');
    await page.getByTestId('composer-send').click();
    const failed = page.locator('[data-testid="timeline-outbound"][data-status="failed"]');
    await failed.waitFor({ timeout: 20_000 });
    expect(await failed.getByTestId('outbound-failure').innerText()).toContain('does not exist');
    await screenshot(page, 'failed-send');
    expect(graph.replies.filter((r) => r.parentId === commentId)).toEqual([]);
    await failed.getByTestId('retry-button').click();
    await page.locator('[data-testid="timeline-outbound"][data-status="sent"]').filter({ hasText: 'pharmacy by the main entrance' }).waitFor({ timeout: 20_000 });
    expect(graph.replies.filter((r) => r.parentId === commentId).map((r) => r.message)).toEqual(['The pharmacy by the main entrance, open until 8pm.\n– AB']);
  }, 60_000);

  it('gives the press office its forwarded enquiries, and records when they are answered', async () => {
    const marker = `press-${run}`;
    const commentId = await comment(
      `I'm a reporter at the Sheffield Star. Can the trust comment on A&E waiting times by 4pm today? ${marker}`,
      { id: '100000000777', name: 'Jo Reporter' },
    );
    const item = await triaged(commentId);
    expect(item.route).toBe('media');
    const { rows } = await db.query(`SELECT id, reference FROM outbound_message WHERE inbound_item_id = $1 AND kind = 'press_forward'`, [item.id]);
    const press = await open('priya');
    expect(new URL(press.url()).pathname).toBe('/press');
    const row = press.locator(`[data-testid="press-row"][data-reference="${rows[0].reference}"]`);
    await row.waitFor();
    const status = async () => (await row.getAttribute('class')) ?? '';
    expect(await status()).toContain('press-new');
    expect(await row.getByTestId('press-deadline').innerText()).toContain('by 4pm today');
    expect(await row.innerText()).toContain('Sheffield Star');
    await screenshot(press, 'press');
    await row.getByTestId('press-claim').click();
    await until(async () => (await status()).includes('press-in_progress'), 'in progress');
    expect(await row.innerText()).toContain('PS');
    await row.getByTestId('press-answered').click();
    await until(async () => (await status()).includes('press-answered'), 'answered');
    const { rows: after } = await db.query(`SELECT press_answered_at, press_handler_id FROM outbound_message WHERE id = $1`, [rows[0].id]);
    expect(after[0].press_answered_at).not.toBeNull();
    expect(after[0].press_handler_id).toBe(ids.priya);
    // The press office sees nothing of the public queue.
    const queue = await press.request.get(`${BASE}/api/queue`);
    expect(queue.status()).toBe(403);
  }, 60_000);

  it('renders a hostile message inert: no markup, no script, no unsafe link, no bidi reordering', async () => {
    const hostile =
      `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> ` +
      `javascript:window.__pwned=3 see https://nhs.uk.evil.example/login or https://www.nhs.uk/conditions/ ` +
      `file\u202Egnp.exe ${run}-hostile`;
    const commentId = await comment(hostile, { id: '100000000666', name: '<b onmouseover="window.__pwned=4">Bold</b>\u202Eevil' });
    const item = await triaged(commentId);
    const page = await open('alice');
    await page.goto(`${BASE}/c/${item.conversation_id}`);
    const inbound = page.getByTestId('timeline-inbound').first();
    await inbound.waitFor();
    await screenshot(page, 'hostile-message');
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // The markup is shown as the characters the author typed.
    expect(await inbound.innerText()).toContain('<img src=x onerror=');
    expect(await inbound.locator('img, script, b').count()).toBe(0);
    // Only the safe link is a link.
    const hrefs = await inbound.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(['https://www.nhs.uk/conditions/']);
    const bodyText = await page.evaluate(() => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText);
    expect(bodyText).not.toContain('\u202E');
    expect(bodyText).toContain('gnp.exe');
  }, 60_000);

  it('is keyboard-driven: shortcut help, next item, assign to me', async () => {
    const page = await open('alice');
    // The rows, not just the table: `j` has nothing to move to while the queue is still loading.
    await page.getByTestId('queue-row').first().waitFor();
    await page.keyboard.press('?');
    await page.getByTestId('help-overlay').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('help-overlay').waitFor({ state: 'detached' });
    await page.keyboard.press('j');
    const selected = page.locator('[data-testid="queue-row"][data-selected="true"]');
    await selected.waitFor();
    const conversationId = await selected.getAttribute('data-conversation-id');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/c/${conversationId}`);
    await page.getByTestId('conv-assignee').waitFor();
    await page.keyboard.press('a');
    await until(async () => (await page.getByTestId('conv-assignee').getAttribute('data-assignee-id')) === ids.alice, 'assigned to me by keyboard');
  }, 60_000);

  it('has no serious accessibility violations on the main pages (axe-core)', async () => {
    const officer = await open('alice');
    const found: Record<string, unknown> = {};
    await officer.getByTestId('queue-row').first().waitFor();
    found.queue = await seriousViolations(officer);
    const first = await officer.getByTestId('queue-row').first().getAttribute('data-conversation-id');
    await officer.goto(`${BASE}/c/${first}`);
    await officer.getByTestId('composer-text').waitFor();
    found.conversation = await seriousViolations(officer);
    const admin = await open('ada');
    await admin.goto(`${BASE}/users`);
    await admin.getByTestId('user-row').first().waitFor();
    found.users = await seriousViolations(admin);
    await screenshot(admin, 'users');
    const press = await open('priya');
    await press.getByTestId('press-row').first().waitFor();
    found.press = await seriousViolations(press);
    const anonymous = await (await browser.newContext()).newPage();
    await anonymous.goto(`${BASE}/login`);
    await anonymous.getByTestId('login-email').waitFor();
    found.login = await seriousViolations(anonymous);
    await screenshot(anonymous, 'login');
    await anonymous.context().close();
    expect(found).toEqual({ queue: [], conversation: [], users: [], press: [], login: [] });
  }, 60_000);
});
