import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import pg from 'pg';
import { cleanPrefix, testRedis } from './support/redis.js';
import { ROOT } from './support/services.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';

const prefix = testQueuePrefix('start');
const PORTS = { DESK_PORT: '4350', INGEST_PORT: '4351', TRIAGE_HEALTH_PORT: '4352', RESPONDER_HEALTH_PORT: '4353' };

function launch(overrides: Record<string, string>) {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], {
    env: { PATH: process.env.PATH, DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, DEMO_FEED: 'off', ...PORTS, ...overrides },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** The processes `pid` started: their command lines and environments, read from /proc. */
function childrenOf(pid: number): Array<{ args: string[]; env: Record<string, string> }> {
  const found = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // The command in parentheses may hold spaces; the parent's pid is the second field after it.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const env = Object.fromEntries(
        readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
      );
      found.push({ args, env });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function until(predicate: () => boolean, timeoutMs: number, what: string, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('npm start (scripts/start.mjs)', () => {
  const redis = testRedis();
  afterAll(async () => {
    await cleanPrefix(redis, prefix);
    await redis.quit();
  });

  it('says plainly when Postgres cannot be reached, how to start it, and that docker compose is the other way', async () => {
    const run = launch({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/desk_test' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('Cannot reach Postgres at 127.0.0.1:1');
    expect(run.output()).toContain('pg_ctlcluster');
    expect(run.output()).toContain('docker compose up');
  });

  it('says plainly when Redis cannot be reached', async () => {
    const run = launch({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('Cannot reach Redis at 127.0.0.1:1');
    expect(run.output()).toContain('docker compose up');
  });

  it('migrates, starts all four services healthy, proves every queue is consumed, and stops them on SIGTERM', async () => {
    const run = launch({});
    try {
      // The banner is written a line at a time and may arrive in pieces: wait for its last line.
      await until(() => /Engagement desk is running\.[\s\S]*\nPress Ctrl\+C to stop\.\n/.test(run.output()), 45_000, 'the ready banner', run.output);
      expect(run.output()).toMatch(/migrate: (schema is up to date|applied)/);
      expect(run.output()).toContain('Desk:      http://127.0.0.1:4350');
      expect(run.output()).toContain('Queues:    desk → desk, ingest → ingest, triage → triage, outbound → responder');
      // Each service gets .env.example's NODE_OPTIONS (its heap cap), which the memory goal rests on.
      const nodeOptions = parseEnv(readFileSync(join(ROOT, '.env.example'), 'utf8')).NODE_OPTIONS;
      expect(nodeOptions).toMatch(/--max-old-space-size=\d+/);
      const services = childrenOf(run.child.pid!).filter((p) => p.args.some((a) => /dist\/apps\/[a-z]+\/src\/main\.js$/.test(a)));
      expect(services.map((p) => p.args.find((a) => a.endsWith('main.js'))!.split('/').at(-3)).sort()).toEqual(['desk', 'ingest', 'responder', 'triage']);
      for (const service of services) expect(service.env.NODE_OPTIONS).toBe(nodeOptions);
      for (const port of Object.values(PORTS)) {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        expect(res.status).toBe(200);
      }
      const desk = await fetch('http://127.0.0.1:4350/');
      expect(desk.status).toBe(200);
      expect(await desk.text()).toContain('<div id="root">');
      // With the fake drivers, demo accounts are created and printed, and they work.
      expect(run.output()).toMatch(/officer\s+officer@demo\.desk\s+password: demo-officer-pass/);
      expect(run.output()).toMatch(/press\s+press@demo\.desk/);
      expect(run.output()).toMatch(/manager\s+manager@demo\.desk/);
      const login = await fetch('http://127.0.0.1:4350/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'officer@demo.desk', password: 'demo-officer-pass' }),
      });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { user: { role: string } }).user.role).toBe('officer');
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
    for (const port of Object.values(PORTS)) {
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    }
  });

  it('with no credentials, runs the demo feed through the real webhooks and mailbox so the desk has work at once', async () => {
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    const started = new Date();
    const run = launch({ DEMO_FEED: 'on' });
    try {
      await until(() => /demo feed: sent \d+ items/.test(run.output()), 90_000, 'the demo feed', run.output);
      expect(run.output()).not.toContain('not delivered');
      // The webhooks are stored as they are answered; mail arrives when ingest next reads the mailbox.
      const wanted = ['x', 'x_dm', 'facebook', 'instagram', 'email'];
      const wantedRoutes = ['urgent_safety', 'media', 'clinical', 'complaint', 'praise'];
      let rows: Array<{ channel: string; route: string; origin: string | null }> = [];
      const deadline = Date.now() + 45_000;
      for (let first = true; ; first = false) {
        if (!first) await new Promise((r) => setTimeout(r, 500));
        ({ rows } = await db.query(
          `SELECT channel, route, raw->'origin'->>'kind' AS origin FROM inbound_item WHERE ingested_at >= $1 AND triaged_at IS NOT NULL`,
          [started],
        ));
        const complete = wanted.every((c) => rows.some((r) => r.channel === c)) && wantedRoutes.every((route) => rows.some((r) => r.route === route));
        if (complete || Date.now() > deadline) break;
      }
      const channels = new Set(rows.map((r) => r.channel));
      for (const channel of wanted) expect(channels).toContain(channel);
      const routes = new Set(rows.map((r) => r.route));
      for (const route of wantedRoutes) expect(routes).toContain(route);
      // Email came over IMAP from the demo mailbox when Dovecot is installed (it is on CI).
      if (run.output().includes('email by IMAP')) expect(rows.some((r) => r.channel === 'email' && r.origin === 'imap')).toBe(true);
      const login = await fetch('http://127.0.0.1:4350/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'officer@demo.desk', password: 'demo-officer-pass' }),
      });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const queue = (await (await fetch('http://127.0.0.1:4350/api/queue', { headers: { cookie } })).json()) as { rows: unknown[] };
      expect(queue.rows.length).toBeGreaterThan(5);
    } finally {
      run.child.kill('SIGTERM');
      await db.end();
    }
    expect(await run.exited).toBe(0);
  }, 150_000);
});
