import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import type { Role } from '@desk/domain';
import { createUser, deskEnv, DeskClient, mintSession, seedConversation, seedOutboundRow, type Answer, type Session, type TestUser } from './support/desk.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { DIST, startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, testQueuePrefix } from './support/test-env.js';

const prefix = testQueuePrefix('desk-auth');
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 3 });
const redis = testRedis();
const PORTS = { desk: 4700, secureDesk: 4701 };
const api = new DeskClient(`http://127.0.0.1:${PORTS.desk}`);
const secureApi = new DeskClient(`http://127.0.0.1:${PORTS.secureDesk}`);
let desk: RunningService;
let secureDesk: RunningService;

const ROLE_LIST: Role[] = ['officer', 'manager', 'press', 'admin'];
const users = {} as Record<Role, TestUser>;
const sessions = {} as Record<Role, Session>;
const fixture = { conversationId: '', itemId: '', contactId: '', failedOutboundId: '', pressId: '', targetUserId: '' };

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  [desk, secureDesk] = await Promise.all([
    startHealthy('desk', PORTS.desk, deskEnv(prefix, { DESK_LOGIN_MAX_FAILURES: '3', DESK_COOKIE_SECURE: 'auto' })),
    startHealthy('desk', PORTS.secureDesk, deskEnv(`${prefix}-secure`, { DESK_COOKIE_SECURE: 'true', DESK_LOGIN_MAX_FAILURES: '1', LOG_LEVEL: 'warn' })),
  ]);
  for (const role of ROLE_LIST) users[role] = await createUser(db, { role });
  for (const role of ROLE_LIST) sessions[role] = await api.loginAs(users[role]);

  const seeded = await seedConversation(db, { channel: 'facebook', items: [{ body: 'You are all useless' }] });
  fixture.conversationId = seeded.conversationId;
  fixture.itemId = seeded.itemIds[0]!;
  fixture.contactId = seeded.contactId;
  fixture.failedOutboundId = await seedOutboundRow(db, {
    kind: 'reply',
    channel: 'facebook',
    itemId: fixture.itemId,
    conversationId: fixture.conversationId,
    status: 'failed',
    error: { kind: 'permanent', message: 'comment deleted' },
  });
  const press = await seedConversation(db, { channel: 'email', contact: { handle: 'reporter@bbc.co.uk' }, items: [{ body: 'A statement by 4pm today please' }] });
  fixture.pressId = await seedOutboundRow(db, {
    kind: 'press_forward',
    channel: 'email',
    itemId: press.itemIds[0]!,
    conversationId: press.conversationId,
    recipient: 'press@trust.example',
    body: null,
  });
  fixture.targetUserId = (await createUser(db, { role: 'officer' })).id;
}, 60_000);

afterAll(async () => {
  await Promise.all([desk?.stop(), secureDesk?.stop()]);
  await cleanPrefix(redis, prefix);
  await cleanPrefix(redis, `${prefix}-secure`);
  await Promise.all([redis.quit(), db.end()]);
});

/**
 * Who may call what: the desk's access policy written out by hand, so that a changed @Roles on
 * any handler fails this suite. Conversation work is for officers, managers and admins; the press
 * office sees only its own list; accounts are managed by admins.
 */
const WORKERS: Role[] = ['officer', 'manager', 'admin'];
const PRESS_OFFICE: Role[] = ['press', 'admin'];
const EVERYONE: Role[] = ['officer', 'manager', 'press', 'admin'];
const ADMINS: Role[] = ['admin'];
const MANAGERS: Role[] = ['manager', 'admin'];

interface Endpoint {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** As Nest maps it, `:id` included. */
  route: string;
  allowed: Role[];
  id?: () => string;
  body?: () => unknown;
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

const MATRIX: Endpoint[] = [
  { method: 'GET', route: '/api/auth/me', allowed: EVERYONE },
  { method: 'POST', route: '/api/auth/logout', allowed: EVERYONE },
  { method: 'GET', route: '/api/users', allowed: WORKERS },
  {
    method: 'POST',
    route: '/api/users',
    allowed: ADMINS,
    body: () => ({ email: `new-${randomUUID().slice(0, 8)}@trust.example`, name: 'New Officer', initials: 'NO', role: 'officer', password: 'a long enough password' }),
  },
  { method: 'PATCH', route: '/api/users/:id', allowed: ADMINS, id: () => fixture.targetUserId, body: () => ({ name: 'Renamed Officer' }) },
  { method: 'GET', route: '/api/queue', allowed: WORKERS },
  { method: 'GET', route: '/api/conversations/:id', allowed: WORKERS, id: () => fixture.conversationId },
  { method: 'POST', route: '/api/conversations/:id/claim', allowed: WORKERS, id: () => fixture.conversationId },
  { method: 'POST', route: '/api/conversations/:id/assign', allowed: WORKERS, id: () => fixture.conversationId, body: () => ({ userId: null }) },
  { method: 'POST', route: '/api/conversations/:id/viewing', allowed: WORKERS, id: () => fixture.conversationId },
  { method: 'DELETE', route: '/api/conversations/:id/viewing', allowed: WORKERS, id: () => fixture.conversationId },
  { method: 'POST', route: '/api/conversations/:id/notes', allowed: WORKERS, id: () => fixture.conversationId, body: () => ({ text: 'Checked with the ward.' }) },
  { method: 'POST', route: '/api/conversations/:id/close', allowed: WORKERS, id: () => fixture.conversationId },
  { method: 'POST', route: '/api/conversations/:id/reopen', allowed: WORKERS, id: () => fixture.conversationId },
  { method: 'POST', route: '/api/conversations/:id/snooze', allowed: WORKERS, id: () => fixture.conversationId, body: () => ({ until: inAnHour() }) },
  {
    method: 'POST',
    route: '/api/conversations/:id/replies',
    allowed: WORKERS,
    id: () => fixture.conversationId,
    body: () => ({ text: 'Thanks for getting in touch.', visibility: 'public', basedOn: new Date().toISOString(), force: true }),
  },
  { method: 'POST', route: '/api/outbound/:id/retry', allowed: WORKERS, id: () => fixture.failedOutboundId },
  { method: 'POST', route: '/api/items/:id/hide', allowed: WORKERS, id: () => fixture.itemId },
  { method: 'POST', route: '/api/items/:id/unhide', allowed: WORKERS, id: () => fixture.itemId },
  { method: 'POST', route: '/api/items/:id/strike', allowed: WORKERS, id: () => fixture.itemId, body: () => ({ reason: 'abusive language' }) },
  { method: 'POST', route: '/api/items/:id/reroute', allowed: WORKERS, id: () => fixture.itemId, body: () => ({ route: 'abuse', reason: 'it is abuse' }) },
  { method: 'POST', route: '/api/contacts/:id/flag-block', allowed: WORKERS, id: () => fixture.contactId, body: () => ({ reason: 'repeated abuse' }) },
  { method: 'GET', route: '/api/contacts/:id/offences.csv', allowed: WORKERS, id: () => fixture.contactId },
  { method: 'GET', route: '/api/templates', allowed: WORKERS },
  { method: 'GET', route: '/api/press', allowed: PRESS_OFFICE },
  { method: 'POST', route: '/api/press/:id/claim', allowed: PRESS_OFFICE, id: () => fixture.pressId },
  { method: 'POST', route: '/api/press/:id/answered', allowed: PRESS_OFFICE, id: () => fixture.pressId, body: () => ({}) },
  { method: 'GET', route: '/api/events', allowed: EVERYONE },
  { method: 'GET', route: '/api/reports/sla', allowed: MANAGERS },
  { method: 'GET', route: '/api/reports/sla.csv', allowed: MANAGERS },
  { method: 'GET', route: '/api/reports/volumes', allowed: MANAGERS },
  { method: 'GET', route: '/api/reports/volumes.csv', allowed: MANAGERS },
  { method: 'GET', route: '/api/reports/volumes-by-channel.csv', allowed: MANAGERS },
  { method: 'GET', route: '/api/reports/heatmap.csv', allowed: MANAGERS },
  { method: 'GET', route: '/api/reports/breaches', allowed: MANAGERS },
  { method: 'GET', route: '/api/reports/breaches.csv', allowed: MANAGERS },
  { method: 'GET', route: '/api/reports/at-risk', allowed: MANAGERS },
  { method: 'GET', route: '/api/reports/at-risk.csv', allowed: MANAGERS },
  { method: 'GET', route: '/api/reports/deflections', allowed: MANAGERS },
  { method: 'GET', route: '/api/reports/deflections.csv', allowed: MANAGERS },
  { method: 'GET', route: '/api/reports/press', allowed: MANAGERS },
  { method: 'GET', route: '/api/reports/press.csv', allowed: MANAGERS },
  { method: 'GET', route: '/api/reports/moderation', allowed: MANAGERS },
  { method: 'GET', route: '/api/reports/moderation.csv', allowed: MANAGERS },
];

const pathOf = (e: Endpoint) => (e.id ? e.route.replace(':id', e.id()) : e.route);
const name = (e: Endpoint) => `${e.method} ${e.route}`;

async function call(e: Endpoint, session: Session | undefined): Promise<Answer> {
  if (e.route === '/api/events') {
    // A stream: the status and headers are the answer; then hang up.
    const stream = await api.events(session);
    await stream.close();
    expect(stream.response.headers.get('content-type')).toMatch(stream.status === 200 ? /^text\/event-stream/ : /^application\/json/);
    return { status: stream.status, body: stream.error, headers: stream.response.headers, text: '' };
  }
  return api.request(session, e.method, pathOf(e), e.body?.() ?? (e.method === 'GET' || e.method === 'DELETE' ? undefined : {}));
}

describe('who may call what', () => {
  it('the table names every route the desk maps, and nothing else', () => {
    const mapped = [...desk.output().matchAll(/Mapped \{([^,]+), (\w+)\} route/g)].map((m) => `${m[2]} ${m[1]}`);
    expect(mapped.length).toBeGreaterThan(20);
    const publicRoutes = ['POST /api/auth/login', 'GET /health'];
    expect(mapped.filter((r) => !publicRoutes.includes(r)).sort()).toEqual(MATRIX.map(name).sort());
  });

  it.each(MATRIX.map((e) => [name(e), e] as const))('%s: anonymous is 401', async (_name, e) => {
    const res = await call(e, undefined);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'unauthenticated' });
  });

  it.each(MATRIX.map((e) => [name(e), e] as const))('%s: each role is let in or refused as the table says', async (_name, e) => {
    const outcome: Record<string, string> = {};
    for (const role of ROLE_LIST) {
      // Logging out ends the session, so it gets one of its own.
      const session = e.route === '/api/auth/logout' ? await mintSession(db, users[role]) : sessions[role];
      const res = await call(e, session);
      if (res.status === 403) {
        expect(res.body).toMatchObject({ error: 'forbidden' });
        outcome[role] = 'refused';
      } else {
        expect(res.status).not.toBe(401);
        // Let in, and the handler ran without falling over.
        expect(res.status).toBeLessThan(500);
        outcome[role] = 'allowed';
      }
    }
    expect(outcome).toEqual(Object.fromEntries(ROLE_LIST.map((role) => [role, e.allowed.includes(role) ? 'allowed' : 'refused'])));
  });
});

describe('the guard', () => {
  it('is not got round by writing the path in other letter case, which Express routes the same', async () => {
    const path = `/API/Conversations/${fixture.conversationId}/notes`;
    const anonymous = await api.post(undefined, path, { text: 'sneaked in' });
    expect([anonymous.status, anonymous.body?.error]).toEqual([401, 'unauthenticated']);
    const press = await api.post(sessions.press, path, { text: 'sneaked in' });
    expect([press.status, press.body?.error]).toEqual([403, 'forbidden']);
    const noToken = await api.post(sessions.officer, path, { text: 'sneaked in' }, { csrf: null });
    expect([noToken.status, noToken.body?.error]).toEqual([403, 'csrf']);
    expect((await db.query(`SELECT 1 FROM conversation_note WHERE body = 'sneaked in'`)).rowCount).toBe(0);
    // With everything in order the odd spelling is just another way to the handler.
    expect((await api.post(sessions.officer, path, { text: 'spelled oddly' })).status).toBe(201);
  });
});

describe('the web app', () => {
  it('says how to build it when the build is missing, rather than serving nothing', async () => {
    const res = await fetch(`${api.base}/queue`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});

describe('errors', () => {
  it('are { error, message } whatever went wrong: bad JSON, a malformed id, an unknown route', async () => {
    const session = await api.loginAs(users.officer);
    const badJson = await fetch(`${api.base}/api/conversations/00000000-0000-4000-8000-000000000000/notes`, {
      method: 'POST',
      headers: { cookie: `desk_session=${session.token}`, 'x-csrf-token': session.csrf, 'content-type': 'application/json' },
      body: '{"text": ',
    });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ error: 'invalid', message: expect.any(String) });
    const badId = await api.get(session, '/api/conversations/not-a-uuid');
    expect(badId.status).toBe(400);
    expect(badId.body).toMatchObject({ error: 'invalid' });
    const unknown = await api.get(session, '/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'not_found' });
  });
});

describe('CSRF', () => {
  const note = (conversationId: string) => `/api/conversations/${conversationId}/notes`;

  it('refuses a change without the session’s token, or with a wrong one, and accepts the right one', async () => {
    const officer = await mintSession(db, users.officer);
    const missing = await api.post(officer, note(fixture.conversationId), { text: 'no token' }, { csrf: null });
    expect(missing.status).toBe(403);
    expect(missing.body).toMatchObject({ error: 'csrf' });
    const wrong = await api.post(officer, note(fixture.conversationId), { text: 'wrong token' }, { csrf: 'x'.repeat(officer.csrf.length) });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ error: 'csrf' });
    const right = await api.post(officer, note(fixture.conversationId), { text: 'right token' });
    expect(right.status).toBe(201);
    const notes = await db.query(`SELECT body FROM conversation_note WHERE conversation_id = $1 AND body LIKE '%token'`, [fixture.conversationId]);
    expect(notes.rows.map((r) => r.body)).toEqual(['right token']);
  });

  it('refuses another session’s token, even the same user’s', async () => {
    const mine = await mintSession(db, users.officer);
    const other = await mintSession(db, users.officer);
    expect(other.csrf).not.toBe(mine.csrf);
    const res = await api.post(mine, note(fixture.conversationId), { text: 'borrowed token' }, { csrf: other.csrf });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'csrf' });
    const theirs = await api.post(mine, note(fixture.conversationId), { text: 'borrowed token' }, { csrf: sessions.manager.csrf });
    expect(theirs.status).toBe(403);
  });

  it('GET /api/auth/me gives the session’s token back, for a page that reloads', async () => {
    const session = await api.loginAs(users.manager);
    const me = await api.get(session, '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: expect.objectContaining({ id: users.manager.id, role: 'manager' }), csrfToken: session.csrf });
  });
});

describe('login', () => {
  it('a wrong password and an unknown email get the same 401', async () => {
    const wrong = await api.post(undefined, '/api/auth/login', { email: users.officer.email, password: 'not the password' });
    const unknown = await api.post(undefined, '/api/auth/login', { email: `nobody-${randomUUID()}@trust.example`, password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'unauthenticated', message: expect.any(String) });
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('after DESK_LOGIN_MAX_FAILURES failures for an email, even the right password waits (429 with Retry-After)', async () => {
    const victim = await createUser(db, { role: 'officer' });
    for (let i = 0; i < 3; i++) {
      const res = await api.post(undefined, '/api/auth/login', { email: victim.email, password: `guess ${i}` });
      expect(res.status).toBe(401);
    }
    const locked = await api.post(undefined, '/api/auth/login', { email: victim.email, password: victim.password });
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ error: 'rate_limited' });
    // The rest of the 15-minute window (DESK_LOGIN_WINDOW_MINUTES' default).
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(locked.headers.get('set-cookie')).toBeNull();
    // The same email in other letter case is the same account, and is counted as one.
    const shouted = await api.post(undefined, '/api/auth/login', { email: victim.email.toUpperCase(), password: victim.password });
    expect(shouted.status).toBe(429);
    // Another account from the same address is not locked out.
    expect((await api.post(undefined, '/api/auth/login', { email: users.press.email, password: users.press.password })).status).toBe(200);
  });

  it('the cookie is HttpOnly, SameSite=Strict, Path=/, and not Secure over plain http on 127.0.0.1 (auto)', async () => {
    const session = await api.loginAs(users.officer);
    const attributes = session.setCookie.split(';').map((a) => a.trim());
    expect(attributes[0]).toMatch(/^desk_session=.+/);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(attributes).not.toContain('Secure');
    // No fixed lifetime in the browser: the server slides the session's expiry with use.
    expect(attributes.find((a) => a.startsWith('Max-Age=') || a.startsWith('Expires='))).toBeUndefined();
  });

  it('auto marks the cookie Secure when the desk is reached by a name other than loopback', async () => {
    const setCookie = await new Promise<string>((resolve, reject) => {
      const body = JSON.stringify({ email: users.officer.email, password: users.officer.password });
      const req = httpRequest(
        { host: '127.0.0.1', port: PORTS.desk, path: '/api/auth/login', method: 'POST', headers: { host: 'desk.trust.example', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve(String(res.headers['set-cookie'])) : reject(new Error(`login: ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(setCookie.split(';').map((a) => a.trim())).toContain('Secure');
  });

  it('DESK_COOKIE_SECURE=true marks the cookie Secure even on 127.0.0.1', async () => {
    const session = await secureApi.loginAs(users.officer);
    expect(session.setCookie.split(';').map((a) => a.trim())).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/']));
  });

  it('the database keeps only the SHA-256 of the cookie token', async () => {
    const session = await api.loginAs(users.manager);
    const hash = createHash('sha256').update(session.token).digest('hex');
    const stored = await db.query(`SELECT id, csrf_token FROM desk_session WHERE user_id = $1`, [users.manager.id]);
    const ids = stored.rows.map((r) => r.id);
    expect(ids).toContain(hash);
    expect(ids).not.toContain(session.token);
    expect(stored.rows.find((r) => r.id === hash)?.csrf_token).toBe(session.csrf);
    // The stored id is no use as a cookie.
    expect((await api.get({ ...session, token: hash }, '/api/auth/me')).status).toBe(401);
  });

  it('logout ends the session: the cookie is cleared and no longer works', async () => {
    const session = await api.loginAs(users.officer);
    expect((await api.get(session, '/api/auth/me')).status).toBe(200);
    const out = await api.post(session, '/api/auth/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^desk_session=;.*Max-Age=0/);
    expect((await api.get(session, '/api/auth/me')).status).toBe(401);
    const hash = createHash('sha256').update(session.token).digest('hex');
    expect((await db.query(`SELECT 1 FROM desk_session WHERE id = $1`, [hash])).rowCount).toBe(0);
  });

  it('an admin deactivating a user ends that user’s sessions, for good', async () => {
    const leaver = await createUser(db, { role: 'officer' });
    const [first, second] = [await api.loginAs(leaver), await mintSession(db, leaver)];
    const res = await api.request(sessions.admin, 'PATCH', `/api/users/${leaver.id}`, { active: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: leaver.id, active: false });
    expect((await api.get(first, '/api/auth/me')).status).toBe(401);
    expect((await api.get(second, '/api/auth/me')).status).toBe(401);
    expect((await db.query(`SELECT count(*)::int AS n FROM desk_session WHERE user_id = $1`, [leaver.id])).rows[0].n).toBe(0);
    // Coming back later is a new login, not the old sessions revived.
    expect((await api.request(sessions.admin, 'PATCH', `/api/users/${leaver.id}`, { active: true })).status).toBe(200);
    expect((await api.get(first, '/api/auth/me')).status).toBe(401);
  });

  it('a new password set by an admin ends the user’s sessions; the new password works', async () => {
    const user = await createUser(db, { role: 'officer' });
    const session = await mintSession(db, user);
    const res = await api.request(sessions.admin, 'PATCH', `/api/users/${user.id}`, { password: 'a brand new password' });
    expect(res.status).toBe(200);
    expect((await api.get(session, '/api/auth/me')).status).toBe(401);
    expect((await api.login(user.email, 'a brand new password')).user.id).toBe(user.id);
  });
});

describe('accounts', () => {
  it('an admin can neither deactivate themself nor drop their own admin role', async () => {
    const admin = await createUser(db, { role: 'admin' });
    const session = await mintSession(db, admin);
    expect((await api.request(session, 'PATCH', `/api/users/${admin.id}`, { active: false })).status).toBe(400);
    expect((await api.request(session, 'PATCH', `/api/users/${admin.id}`, { role: 'officer' })).status).toBe(400);
    expect((await db.query(`SELECT role, active FROM "user" WHERE id = $1`, [admin.id])).rows[0]).toEqual({ role: 'admin', active: true });
  });

  it('an email is taken once, whatever its case; a short password is refused', async () => {
    const res = await api.post(sessions.admin, '/api/users', { email: users.officer.email.toUpperCase(), name: 'Twin', initials: 'TW', role: 'officer', password: 'long enough password' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'conflict' });
    const short = await api.post(sessions.admin, '/api/users', { email: `short-${randomUUID()}@trust.example`, name: 'Short', initials: 'SH', role: 'officer', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.message).toContain('password: must be at least 12 characters');
  });
});

describe('a shared address', () => {
  it('may fail four times as often as one email before every login from it waits', async () => {
    // The second desk allows 1 failure per email, so 4 per address.
    for (let i = 0; i < 4; i++) {
      expect((await secureApi.post(undefined, '/api/auth/login', { email: `guess-${i}-${randomUUID()}@trust.example`, password: 'wrong password' })).status).toBe(401);
    }
    const res = await secureApi.post(undefined, '/api/auth/login', { email: users.manager.email, password: users.manager.password });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('npm run desk:user', () => {
  function deskUser(args: string[], env: Record<string, string>, input = '') {
    const run = spawnSync(process.execPath, [join(DIST, 'tools', 'desk-user.js'), ...args], {
      input,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, DATABASE_URL: TEST_DATABASE_URL, ...env },
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  it('creates a user with the password from DESK_USER_PASSWORD, who can then log in', async () => {
    const email = `made-${randomUUID().slice(0, 8)}@trust.example`;
    const run = deskUser(['create', '--email', email, '--name', 'Tool Made', '--initials', 'tm', '--role', 'manager'], { DESK_USER_PASSWORD: 'made by the tool, long' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`created manager ${email} (TM)`);
    const session = await api.login(email, 'made by the tool, long');
    expect(session.user).toMatchObject({ email, name: 'Tool Made', initials: 'TM', role: 'manager', active: true });
  });

  it('reads the password from standard input when the variable is unset', async () => {
    const email = `stdin-${randomUUID().slice(0, 8)}@trust.example`;
    const run = deskUser(['create', '--email', email, '--name', 'Piped In', '--initials', 'PI', '--role', 'press'], {}, 'a piped password here\n');
    expect(run.code).toBe(0);
    expect((await api.login(email, 'a piped password here')).user.role).toBe('press');
  });

  it('refuses a short password with a clear message and a non-zero exit, creating nothing', async () => {
    const email = `short-${randomUUID().slice(0, 8)}@trust.example`;
    const run = deskUser(['create', '--email', email, '--name', 'Too Short', '--initials', 'TS', '--role', 'officer'], { DESK_USER_PASSWORD: 'short' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('password must be at least 12 characters');
    expect((await db.query(`SELECT 1 FROM "user" WHERE email = $1`, [email])).rowCount).toBe(0);
  });
});
