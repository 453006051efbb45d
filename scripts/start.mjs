// `npm start`: checks Postgres and Redis, applies migrations, starts the four services as separate
// processes, waits until each is healthy, proves each queue is consumed, and says where the desk is.
// With the fake drivers it also runs the demo feed (scripts/lib/demo-feed.mjs; DEMO_FEED=off turns it
// off), which sends a realistic mix of messages through ingest's webhooks and mailbox.
// Ctrl+C (or SIGTERM) stops them all gracefully. `--json` passes the services' JSON logs through as is.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { demoFeedPlan, startDemoFeed } from './lib/demo-feed.mjs';
import { startDemoMailbox } from './lib/demo-mailbox.mjs';
import { launchEnv, ROOT } from './lib/env.mjs';
import { startFakeProviders } from './lib/fake-providers.mjs';

const SERVICES = [
  { name: 'desk', portVar: 'DESK_PORT', queue: 'desk' },
  { name: 'ingest', portVar: 'INGEST_PORT', queue: 'ingest' },
  { name: 'triage', portVar: 'TRIAGE_HEALTH_PORT', queue: 'triage' },
  { name: 'responder', portVar: 'RESPONDER_HEALTH_PORT', queue: 'outbound' },
];
const env = launchEnv();
const raw = process.argv.includes('--json');
const children = new Map();
let fakes = [];
/** The demo feed and its mailbox, when they run. */
let demoFeed;
let demoMailbox;
let stopping = false;

function say(line = '') {
  process.stdout.write(`${line}\n`);
}

function fail(lines) {
  process.stderr.write(`\n${lines.join('\n')}\n\n`);
  process.exit(1);
}

function where(url) {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? 6379 : 5432)}`;
}

async function checkPostgres() {
  const admin = new URL(env.DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    fail([
      `Cannot reach Postgres at ${where(env.DATABASE_URL)} (${error.code ?? error.message}).`,
      'Start it, for example:',
      '  sudo pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   (Debian/Ubuntu)',
      '  brew services start postgresql                                                 (macOS)',
      'or run everything in containers instead:  docker compose up',
      'Then run `npm start` again. To use another server, set DATABASE_URL in .env.',
    ]);
  } finally {
    await client.end().catch(() => {});
  }
}

async function checkRedis() {
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    fail([
      `Cannot reach Redis at ${where(env.REDIS_URL)} (${error.code ?? error.message}).`,
      'Start it, for example:',
      '  redis-server --daemonize yes --bind 127.0.0.1 --port 6379   (any Linux)',
      '  brew services start redis                                  (macOS)',
      'or run everything in containers instead:  docker compose up',
      'Then run `npm start` again. To use another server, set REDIS_URL in .env.',
    ]);
  } finally {
    redis.disconnect();
  }
}

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code));
  });
}

/** Creates the demo accounts if missing; returns the lines that name them (role, email, password). */
function demoUsers() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'tools', 'desk-user.js'), 'demo'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => {
      if (code !== 0) say('Demo accounts could not be created; see the message above. Create a user with `npm run desk:user -- create ...`.');
      resolve(code === 0 ? out.split('\n').filter((line) => line.trim()) : []);
    });
  });
}

function pretty(name, line) {
  if (raw) return `${line}`;
  try {
    const record = JSON.parse(line);
    const time = new Date(record.timestamp ?? Date.now()).toISOString().slice(11, 19);
    return `${time} ${name.padEnd(9)} ${String(record.level).padEnd(5)} ${record.message}`;
  } catch {
    return `${name.padEnd(9)} ${line}`;
  }
}

function startService({ name }, serviceEnv = env) {
  const entry = join(ROOT, 'dist', 'apps', name, 'src', 'main.js');
  const child = spawn(process.execPath, [entry], { cwd: ROOT, env: serviceEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => say(pretty(name, line)));
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      process.stderr.write(`\n${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping the others.\n`);
      void stopAll(1);
    }
  });
  children.set(name, child);
}

async function waitHealthy({ name, portVar }, timeoutMs = 30_000) {
  const url = `http://127.0.0.1:${env[portVar]}/health`;
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!stopping) {
    process.stderr.write(`${name} did not become healthy at ${url} within ${timeoutMs / 1000} s (${last}).\n`);
    await stopAll(1);
  }
}

/** Sends a probe through each queue and reports which service answered it. */
/**
 * Sends a ping through each queue and waits for its owner to answer. The job's own state is
 * polled, not awaited through queue events: a service that answers within milliseconds can finish
 * before an event listener has started reading, and the answer would look lost.
 */
async function checkQueues() {
  const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const results = [];
  try {
    for (const { queue: name } of SERVICES) {
      const queue = new Queue(name, { connection, prefix: env.QUEUE_PREFIX });
      try {
        const nonce = randomUUID();
        const job = await queue.add('system.ping', { v: 1, nonce }, { jobId: `system-ping-start-${nonce}`, removeOnComplete: { age: 300 }, removeOnFail: { age: 300 } });
        const answer = await answerOf(queue, job.id, 10_000);
        results.push(`${name} → ${answer.service}`);
      } catch (error) {
        results.push(`${name} → no answer (${error.message})`);
      } finally {
        await queue.close();
      }
    }
  } finally {
    connection.disconnect();
  }
  return results;
}

async function answerOf(queue, jobId, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // One read of the job: its finish time, result and failure come from the same moment.
    const job = await Job.fromId(queue, jobId);
    if (job?.finishedOn) {
      if (job.failedReason) throw new Error(job.failedReason);
      return job.returnvalue;
    }
    if (Date.now() > deadline) throw new Error(`not answered within ${timeoutMs / 1000} s (job ${job ? 'not finished' : 'missing'})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  // No new demo items while the services finish their work.
  await (await demoFeed)?.close();
  const exits = [...children.values()].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children.values()) child.kill('SIGTERM');
  await Promise.all(exits);
  // After ingest, which logs out of the demo mailbox as it stops.
  await Promise.all([...fakes, demoMailbox].filter(Boolean).map((fake) => fake.close()));
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    say(`\n${signal}: stopping the services (work in hand is finished first)...`);
    void stopAll(0);
  });
}

if (!existsSync(join(ROOT, 'dist', 'apps', 'desk', 'src', 'main.js'))) {
  fail(['The build is missing. Run `npm run build` first (`npm start` does this for you).']);
}
await checkPostgres();
await checkRedis();
if ((await run(process.execPath, [join(ROOT, 'dist', 'tools', 'migrate.js')])) !== 0) {
  fail(['Migrations failed; see the message above. Nothing was started.']);
}
fakes = await startFakeProviders(env, say);
const demo = demoFeedPlan(env);
const fakeDrivers = ['X_DRIVER', 'META_DRIVER', 'MAIL_DRIVER'].every((name) => String(env[name] ?? 'fake').trim() !== 'live');
// Demo accounts only where nothing real is connected: their passwords are printed below.
let demoAccounts = [];
if (fakeDrivers && !stopping) demoAccounts = await demoUsers();
// The demo's email arrives over IMAP when Dovecot is here: ingest alone is pointed at a private
// mailbox (live IMAP driver); the other services, and the responder's mail, stay on the fake drivers.
let ingestEnv = env;
if (demo.on && demo.mail === 'imap' && !stopping) {
  demoMailbox = await startDemoMailbox();
  if (demoMailbox.unavailable) {
    say(`Demo mailbox not started: ${demoMailbox.unavailable}. The demo's email goes into the fake driver's spool folder (${env.MAIL_SPOOL_DIR || 'var/mail-spool'}) instead of IMAP.`);
    demoMailbox = undefined;
  } else {
    say(`Demo mailbox: ${demoMailbox.describe}; ingest reads it over IMAP.`);
    ingestEnv = { ...env, ...demoMailbox.ingestEnv };
  }
}
for (const service of SERVICES) startService(service, service.name === 'ingest' ? ingestEnv : env);
await Promise.all(SERVICES.map((service) => waitHealthy(service)));
if (!stopping) {
  const queues = await checkQueues();
  const host = env.BIND_HOST === '0.0.0.0' ? '127.0.0.1' : env.BIND_HOST;
  say('');
  say('Engagement desk is running.');
  say(`  Desk:      http://${host}:${env.DESK_PORT}`);
  say(`  Webhooks:  http://${host}:${env.INGEST_PORT}  (ingest)`);
  say(`  Health:    ${SERVICES.map((s) => `${s.name} :${env[s.portVar]}/health`).join(', ')}`);
  say(`  Queues:    ${queues.join(', ')}`);
  if (demoAccounts.length) {
    say('  Log in as (demo accounts, fake drivers only):');
    for (const line of demoAccounts) say(`  ${line}`);
  }
  say(`  Demo feed: ${demo.on ? `on, email by ${demoMailbox ? 'IMAP' : 'the spool folder'} (DEMO_FEED=off turns it off)` : `off (${demo.reason})`}`);
  say('Press Ctrl+C to stop.');
  say('');
  if (demo.on && !stopping) demoFeed = startDemoFeed(env, say, { mailbox: demoMailbox });
}
