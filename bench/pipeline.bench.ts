// npm run bench: the whole pipeline under load. Starts ingest, triage, the responder and the desk as
// separate processes against local Postgres and Redis (fake X and Graph APIs, a private Dovecot for
// mail), sends a fixed mix of signed Meta and X webhooks and IMAP mail at stepped rates, and reports
// per step: items/s accepted, items/s triaged, arrival-to-visible latency (send → the desk's live
// stream announcing the triaged item, when the queue API returns it), queue depths, CPU and peak
// memory per service. Before any service starts, a baseline on the same machine: as many rows
// inserted and jobs passed through BullMQ as the steps offer, with no work at all, and our
// throughput as a ratio of it (measured first, on an idle machine, so it doesn't move with
// whatever the services are still doing after the steps). Finally it
// checks nothing was lost or doubled: every accepted item stored once and triaged once, every
// automatic reply sent once. Env: BENCH_STEPS (items/s, comma-separated), BENCH_STEP_SECONDS,
// BENCH_DATABASE_URL, REDIS_URL, DIST_DIR, BENCH_NO_MAIL=1, BENCH_NODE_FLAGS (node flags for each service,
// e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_TIMELINE (a path: each step also writes
// <path>-<rate>.json, one [sent ms, arrival→visible ms, channel] per item). Results: results/bench-pipeline.{md,json}.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { FAKE_CREDENTIALS, redisConnectionOptions } from '@desk/config';
import { ensureDatabase, runMigrations } from '@desk/persistence';
import { deskEventsChannel } from '@desk/runtime';
import { hashPassword } from '../apps/desk/src/auth/passwords.js';
import { FakeGraphApi } from '../test/fakes/graph-api.js';
import { feedCommentPayload, instagramCommentPayload, metaSignature } from '../test/fakes/meta-webhook.js';
import { FakeXApi } from '../test/fakes/x-api.js';
import { freshId, serialise, signXBody, tweetCreateDelivery, v1Tweet } from '../test/fakes/x-webhook.js';
import { startDovecot, type Dovecot, type ImapTestClient } from '../test/support/dovecot.js';
import { cleanPrefix } from '../test/support/redis.js';
import { BenchClient, percentile } from './support/http.js';

const STEPS = (process.env.BENCH_STEPS ?? '50,200,500,1000,2000').split(',').map(Number);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 10);
const DRAIN_TIMEOUT_MS = Number(process.env.BENCH_DRAIN_SECONDS ?? 120) * 1000;
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/desk_bench_pipeline';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DIST = process.env.DIST_DIR ?? 'dist';
const NO_MAIL = process.env.BENCH_NO_MAIL === '1';
const ROOT = process.cwd();
const PREFIX = `desk-bench-pipeline-${process.pid}`;
const PORTS = { ingest: 4821, triage: 4822, responder: 4823, desk: 4824, graph: 4825, x: 4826 };
const PAGE_ID = FAKE_CREDENTIALS.meta.pageIds[0]!;
const X_USER = FAKE_CREDENTIALS.x.userId;
const MAX_IN_FLIGHT = 1_000;
/**
 * Of every 20 items: Facebook 9, Instagram 3, X 6, email 2. Mail only while its share (a tenth of
 * the rate) is at most MAIL_MAX_RATE, so one connection's APPENDs keep up; above, its slots are
 * Facebook comments.
 */
const MIX: Array<'facebook' | 'instagram' | 'x' | 'email'> = [
  ...Array<'facebook'>(9).fill('facebook'), ...Array<'instagram'>(3).fill('instagram'), ...Array<'x'>(6).fill('x'), ...Array<'email'>(2).fill('email'),
];
const MAIL_MAX_RATE = 40;
const PASSWORD = 'pipeline bench password';

interface Example {
  channel: string;
  text: string;
  subject?: string;
}
const EXAMPLES: Example[] = readFileSync(join(ROOT, '..', 'shared', 'triage', 'dev.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Example);
const textsFor = (channel: string) => EXAMPLES.filter((e) => (channel === 'email' ? e.channel === 'email' : e.channel !== 'email' && e.channel !== 'x_dm'));
const SOCIAL = textsFor('x');
const MAILS = textsFor('email');

// ---------------------------------------------------------------------------------------------
// Services and their resources.

interface Service {
  name: string;
  child: ChildProcess;
  port: number;
}

/** BENCH_NODE_FLAGS go to each service's node (e.g. --cpu-prof, to see where its time goes). */
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
/** The node options `npm start` gives every service (the heap cap), so the bench measures what runs. */
const LAUNCH_NODE_OPTIONS = parseEnv(readFileSync(join(ROOT, '.env.example'), 'utf8')).NODE_OPTIONS ?? '';

function startService(name: keyof typeof PORTS, env: Record<string, string>): Service {
  const portVariable = { ingest: 'INGEST_PORT', triage: 'TRIAGE_HEALTH_PORT', responder: 'RESPONDER_HEALTH_PORT', desk: 'DESK_PORT' }[name as 'ingest'];
  const child = spawn(process.execPath, [...NODE_FLAGS, join(ROOT, DIST, `apps/${name}/src/main.js`)], {
    env: { PATH: process.env.PATH, NODE_OPTIONS: LAUNCH_NODE_OPTIONS, NODE_ENV: 'production', DATABASE_URL, REDIS_URL, QUEUE_PREFIX: PREFIX, LOG_LEVEL: 'warn', [portVariable]: String(PORTS[name]), ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return { name, child, port: PORTS[name] };
}

async function healthy(service: Service): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited with code ${service.child.exitCode}`);
    if (await fetch(`http://127.0.0.1:${service.port}/health`).then((r) => r.ok, () => false)) return;
    await sleep(100);
  }
  throw new Error(`${service.name} did not become healthy`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TICKS = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

/** CPU ticks of every process with this command name (all of Postgres's backends, Redis). */
function cpuTicksOf(command: string): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== command) continue;
      ticks += cpuTicks(Number(entry));
    } catch {
      // The process ended between listing and reading.
    }
  }
  return ticks;
}

/** What else the machine spends on the pipeline: the servers it uses, and this load generator. */
const SHARED = { postgres: () => cpuTicksOf('postgres'), redis: () => cpuTicksOf('redis-server'), bench: () => cpuTicks(process.pid) };

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : 0;
}

// ---------------------------------------------------------------------------------------------
// Sending.

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(port: number, path: string, body: Buffer, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...headers, 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

interface Sent {
  externalId: string;
  channel: string;
  at: number;
  status?: number;
}

let counter = 0;

function nextItem(run: string, mailAllowed: boolean): { channel: string; externalId: string; send: () => Promise<number> } {
  const n = counter++;
  let channel = MIX[n % MIX.length]!;
  if (channel === 'email' && (NO_MAIL || !mailbox || !mailAllowed)) channel = 'facebook';
  const example = channel === 'email' ? MAILS[n % MAILS.length]! : SOCIAL[n % SOCIAL.length]!;
  const text = `${example.text} [${run}-${n}]`;
  if (channel === 'facebook') {
    const commentId = `${PAGE_ID}_${run}${n}`;
    const body = Buffer.from(JSON.stringify(feedCommentPayload({ postId: `${PAGE_ID}_post${n % 50}`, commentId, text, from: { id: `1000${n % 5000}`, name: `Person ${n % 5000}` } })));
    return { channel, externalId: commentId, send: () => post(PORTS.ingest, '/webhooks/meta', body, { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(body) }) };
  }
  if (channel === 'instagram') {
    const id = `1780${run.replace(/\D/g, '').slice(0, 6)}${n}`;
    const body = Buffer.from(JSON.stringify(instagramCommentPayload({ id, mediaId: `1790${n % 50}`, text, accountId: PAGE_ID, from: { id: `1784${n % 5000}`, username: `person.${n % 5000}` } })));
    return { channel, externalId: id, send: () => post(PORTS.ingest, '/webhooks/meta', body, { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(body) }) };
  }
  if (channel === 'x') {
    const id = freshId();
    const user = { id: `9${n % 5000}`, screen_name: `person_${n % 5000}`, name: `Person ${n % 5000}` };
    const body = Buffer.from(serialise(tweetCreateDelivery(X_USER, [v1Tweet({ id, text: `@NorthvaleNHS ${text}`, user })])));
    return { channel, externalId: id, send: () => post(PORTS.ingest, '/webhooks/x', body, { 'content-type': 'application/json; charset=utf-8', 'x-twitter-webhooks-signature': signXBody(body) }) };
  }
  const messageId = `<${run}.${n}@bench.example>`;
  const raw = [
    `From: Person ${n} <person${n % 5000}@example.org>`,
    `To: communications@trust.example`,
    `Subject: ${example.subject ?? 'Question'}`,
    `Message-ID: ${messageId}`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    '',
  ].join('\r\n');
  return { channel, externalId: messageId, send: () => appendMail(raw) };
}

let mailbox: Dovecot | undefined;
let imap: ImapTestClient | undefined;
let mailChain: Promise<unknown> = Promise.resolve();

/** IMAP APPENDs go one at a time over one connection, as a mail server's delivery would. */
function appendMail(raw: string): Promise<number> {
  const done = mailChain.then(() => imap!.append('INBOX', raw, new Date())).then(
    () => 200,
    () => 0,
  );
  mailChain = done;
  return done;
}

// ---------------------------------------------------------------------------------------------
// Watching: the desk's live stream, queue depths, processes.

const visibleAt = new Map<string, number>();

/**
 * Triage announces each item on the install's event channel after its transaction commits: from
 * then the queue API returns it, and the desk relays it to open pages. Timed as it arrives here.
 */
async function followTriage(): Promise<() => Promise<void>> {
  const subscriber = new Redis(redisConnectionOptions(REDIS_URL));
  subscriber.on('message', (_channel: string, message: string) => {
    const now = performance.now();
    try {
      const event = JSON.parse(message) as { type?: string; itemId?: string };
      if (event.type === 'item.triaged' && event.itemId && !visibleAt.has(event.itemId)) visibleAt.set(event.itemId, now);
    } catch {
      // not an event we read
    }
  });
  await subscriber.subscribe(deskEventsChannel(PREFIX));
  return async () => {
    await subscriber.quit();
  };
}

interface StepResult {
  rate: number;
  sent: number;
  accepted: number;
  refused: number;
  /** Refused 503 by ingest's cap on deliveries in flight (a provider delivers them again). */
  busy: number;
  /** Connection errors with no HTTP answer. */
  noAnswer: number;
  seconds: number;
  acceptedPerSecond: number;
  triagedPerSecond: number;
  visible: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** p99 of the webhooks alone and of the mail alone (mail waits for the IMAP server's IDLE notice). */
  p99Webhooks: number | null;
  p99Mail: number | null;
  maxQueue: Record<string, number>;
  cpuPercent: Record<string, number>;
  /** Postgres (all backends), Redis and the load generator itself. */
  sharedCpuPercent: Record<string, number>;
  peakRssMb: Record<string, number>;
  lostOrLate: number;
  saturated: boolean;
}

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  const db = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await runMigrations(DATABASE_URL);
  await db.query(`INSERT INTO "user" (email, name, initials, role, password_hash) VALUES ('watcher@bench.pipeline', 'Bench Watcher', 'BW', 'officer', $1)`, [
    await hashPassword(PASSWORD),
  ]);
  await db.query(`UPDATE setting SET value = value || '{"press_office_email": "press@trust.example", "on_duty_email": "on-duty@trust.example"}' WHERE key = 'trust'`);

  const connection = redisConnectionOptions(REDIS_URL);
  // Production Postgres analyses and vacuums as it goes; a test machine's may not (this one's CI
  // config turns it off), and plans and bloat differ with it, so the report says which it was.
  const autovacuum = (await db.query('SHOW autovacuum')).rows[0].autovacuum as string;
  const baseline = await runBaseline(STEPS.reduce((sum, rate) => sum + rate * STEP_SECONDS, 0), connection);

  const graph = await FakeGraphApi.start(PORTS.graph, { tokens: { ...FAKE_CREDENTIALS.meta.pageTokens }, appSecret: FAKE_CREDENTIALS.meta.appSecret });
  graph.adoptUnknownComments = true;
  const x = await FakeXApi.start(PORTS.x);
  if (!NO_MAIL) {
    try {
      mailbox = await startDovecot();
      imap = await mailbox.client();
    } catch (error) {
      console.log(`bench: no Dovecot (${(error as Error).message}); email items become Facebook comments`);
    }
  }
  const common: Record<string, string> = {
    META_GRAPH_URL: graph.url,
    X_API_BASE_URL: x.url,
    X_POLL_INTERVAL_MS: '0',
    MAIL_OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'bench-outbox-')),
    MAIL_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'bench-spool-')),
    DESK_STATIC_DIR: mkdtempSync(join(tmpdir(), 'bench-static-')),
  };
  const mailEnv: Record<string, string> = mailbox
    ? { MAIL_DRIVER: 'live', IMAP_HOST: mailbox.host, IMAP_PORT: String(mailbox.port), IMAP_SECURE: 'false', IMAP_USER: mailbox.user, IMAP_PASSWORD: mailbox.password, IMAP_MAILBOX: 'INBOX' }
    : {};
  const services = [
    startService('ingest', { ...common, ...mailEnv }),
    startService('triage', common),
    startService('responder', common),
    startService('desk', common),
  ];
  const stop = async () => {
    for (const s of services) s.child.kill('SIGTERM');
    await Promise.all(services.filter((s) => s.child.exitCode === null).map((s) => new Promise((r) => s.child.once('exit', r))));
    await graph.close();
    await x.close();
    if (imap) await imap.logout().catch(() => undefined);
    if (mailbox) await mailbox.stop();
    // The run's jobs and events would otherwise stay in Redis (32,000 keys a run) and slow the next.
    const redis = new Redis(redisConnectionOptions(REDIS_URL));
    await cleanPrefix(redis, PREFIX);
    await redis.quit();
  };
  try {
    await Promise.all(services.map(healthy));
    const client = new BenchClient(PORTS.desk);
    await client.login('watcher@bench.pipeline', PASSWORD);
    const unfollow = await followTriage();
    // The desk's own live stream must carry the same news to a logged-in page.
    const deskStream = await client.call('GET', '/api/auth/me');
    if (deskStream.status !== 200) throw new Error('the desk did not accept the bench login');
    const queues = ['ingest', 'triage', 'outbound', 'desk'].map((name) => new Queue(name, { connection, prefix: PREFIX }));

    const results: StepResult[] = [];
    const allSent: Sent[] = [];
    for (const rate of STEPS) {
      results.push(await step(rate, db, queues, services, allSent));
      const last = results.at(-1)!;
      console.log(
        `bench: ${rate}/s: accepted ${last.acceptedPerSecond.toFixed(0)}/s (refused ${last.busy} busy, ${last.noAnswer} no answer), triaged ${last.triagedPerSecond.toFixed(0)}/s, ` +
          `arrival→visible p50 ${fmt(last.p50)} p95 ${fmt(last.p95)} p99 ${fmt(last.p99)} (webhooks ${fmt(last.p99Webhooks)}, mail ${fmt(last.p99Mail)}), not visible ${last.lostOrLate}, queues ${JSON.stringify(last.maxQueue)}, ` +
          `CPU ${JSON.stringify(last.cpuPercent)}, shared CPU ${JSON.stringify(last.sharedCpuPercent)}, peak RSS MB ${JSON.stringify(last.peakRssMb)}`,
      );
    }
    await unfollow();

    // Nothing lost, nothing doubled.
    await settleOutbound(db);
    const accepted = allSent.filter((s) => s.status === 200);
    const integrity = (
      await db.query(
        `SELECT count(*)::int AS stored, count(DISTINCT (channel, external_id))::int AS distinct_items,
                count(*) FILTER (WHERE triaged_at IS NOT NULL)::int AS triaged,
                (SELECT count(*)::int FROM outbound_message WHERE automatic AND kind IN ('reply','direct_message','email')) AS auto_replies,
                (SELECT count(*)::int FROM outbound_message WHERE automatic AND kind IN ('reply','direct_message','email') AND status = 'sent') AS auto_sent,
                (SELECT count(*)::int FROM outbound_message WHERE status = 'failed') AS failed
           FROM inbound_item WHERE kind = 'message'`,
      )
    ).rows[0];
    const graphReplies = graph.replies.length;
    const xReplies = x.posts.length;
    const providerSent = (
      await db.query(
        `SELECT count(*) FILTER (WHERE channel IN ('facebook','instagram'))::int AS graph, count(*) FILTER (WHERE channel = 'x')::int AS x
           FROM outbound_message WHERE status = 'sent' AND kind = 'reply'`,
      )
    ).rows[0];
    const duplicateGraph = graphReplies - new Set(graph.replies.map((r) => `${r.parentId}|${r.message}`)).size;

    await Promise.all(queues.map((q) => q.close()));

    const best = results.filter((r) => r.lostOrLate === 0).reduce<StepResult | undefined>((b, r) => (!b || r.triagedPerSecond > b.triagedPerSecond ? r : b), undefined);
    const lines = [
      `# bench (pipeline) — ${new Date().toISOString()}`,
      '',
      `Ingest, triage, responder and desk as separate processes on ${cpus().length} cores; fake X and Graph APIs${mailbox ? ', a private Dovecot for mail' : ''}. ` +
        `${STEP_SECONDS} s per step; mix per 20 items: Facebook 9, Instagram 3, X 6, email 2 (email while that is at most ${MAIL_MAX_RATE} mails/s, to ${MAIL_MAX_RATE * 10} items/s; Facebook above). ` +
        `Arrival → visible: from sending the webhook (or the IMAP APPEND) to triage announcing the committed item (from then GET /api/queue returns it). ` +
        `Mail can't be seen sooner than Dovecot tells an IDLE client of it, which it delays by 500 ms to gather changes (NOTIFY_DELAY_MSECS in its mailbox-watch.c), so webhooks and mail also have a p99 each.`,
      '',
      '| offered/s | accepted/s | refused (503 busy / no answer) | triaged/s | ratio to baseline | p50 | p95 | p99 | p99 webhooks / mail | not visible | max queue (ingest/triage/outbound/desk) | CPU % (ingest/triage/responder/desk) | CPU % (postgres/redis/bench) | peak RSS MB (ingest/triage/responder/desk) |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...results.map(
        (r) =>
          `| ${r.rate} | ${r.acceptedPerSecond.toFixed(0)} | ${r.busy} / ${r.noAnswer} | ${r.triagedPerSecond.toFixed(0)} | ${(r.triagedPerSecond / baseline.itemsPerSecond * 100).toFixed(0)}% | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.p99Webhooks)} / ${fmt(r.p99Mail)} | ${r.lostOrLate} | ` +
          `${['ingest', 'triage', 'outbound', 'desk'].map((q) => r.maxQueue[q] ?? 0).join(' / ')} | ${['ingest', 'triage', 'responder', 'desk'].map((s) => r.cpuPercent[s]?.toFixed(0)).join(' / ')} | ` +
          `${['postgres', 'redis', 'bench'].map((s) => r.sharedCpuPercent[s]?.toFixed(0)).join(' / ')} | ` +
          `${['ingest', 'triage', 'responder', 'desk'].map((s) => r.peakRssMb[s]?.toFixed(0)).join(' / ')} |`,
      ),
      '',
      `Baseline (no work: one INSERT per item, one BullMQ job added and consumed by a worker that does nothing, same concurrency; run before the services start): ` +
        `${baseline.items.toLocaleString('en-GB')} items in ${baseline.seconds.toFixed(1)} s = **${baseline.itemsPerSecond.toFixed(0)} items/s**.`,
      best ? `Best step without loss: ${best.rate}/s offered, ${best.triagedPerSecond.toFixed(0)} items/s triaged end to end = **${((best.triagedPerSecond / baseline.itemsPerSecond) * 100).toFixed(0)}% of the baseline**.` : 'No step finished without loss.',
      '',
      `Integrity: ${accepted.length.toLocaleString('en-GB')} accepted, ${integrity.stored.toLocaleString('en-GB')} stored (${integrity.distinct_items.toLocaleString('en-GB')} distinct), ${integrity.triaged.toLocaleString('en-GB')} triaged; ` +
        `automatic replies ${integrity.auto_sent}/${integrity.auto_replies} sent, ${integrity.failed} outbound rows failed; ` +
        `replies at the fake Graph API ${graphReplies} (duplicates ${duplicateGraph}), our sent Facebook/Instagram replies ${providerSent.graph}; X posts ${xReplies}, our sent X replies ${providerSent.x}. ` +
        `Load average at the end ${loadavg()[0]!.toFixed(2)}. Postgres autovacuum: ${autovacuum}.`,
    ];
    mkdirSync(join(ROOT, 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'results', 'bench-pipeline.md'), lines.join('\n') + '\n');
    writeFileSync(join(ROOT, 'results', 'bench-pipeline.json'), JSON.stringify({ steps: results, baseline, integrity, graphReplies, xReplies, providerSent }, null, 2));
    console.log(lines.join('\n'));
    const lost = accepted.length !== integrity.stored || integrity.stored !== integrity.distinct_items || integrity.triaged !== integrity.stored;
    if (lost) process.exitCode = 1;
  } finally {
    await stop();
    agent.destroy();
    await db.end();
  }
}

const fmt = (ms: number | null) => (ms === null ? '—' : `${ms.toFixed(0)} ms`);

async function step(rate: number, db: pg.Pool, queues: Queue[], services: Service[], allSent: Sent[]): Promise<StepResult> {
  const run = randomUUID().slice(0, 6);
  const total = rate * STEP_SECONDS;
  const sent: Sent[] = [];
  const pending = new Set<Promise<void>>();
  const cpuBefore = new Map(services.map((s) => [s.name, cpuTicks(s.child.pid!)]));
  const sharedBefore = Object.fromEntries(Object.entries(SHARED).map(([name, ticks]) => [name, ticks()]));
  const peak: Record<string, number> = {};
  const maxQueue: Record<string, number> = {};
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      for (const s of services) peak[s.name] = Math.max(peak[s.name] ?? 0, rssMb(s.child.pid!));
      await Promise.all(
        queues.map(async (q) => {
          const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
          maxQueue[q.name] = Math.max(maxQueue[q.name] ?? 0, c.waiting! + c.active! + c.delayed! + c.prioritized!);
        }),
      );
      await sleep(250);
    }
  })();
  const started = performance.now();
  let saturated = false;
  const mailAllowed = (rate * MIX.filter((c) => c === 'email').length) / MIX.length <= MAIL_MAX_RATE;
  // Open loop: items are due at a steady rate whatever the answers; a cap on requests in flight
  // keeps the sender honest when the service falls behind (and says so).
  // A slot freed wakes the sender. (Promise.race over the requests in flight would add a reaction
  // to each of them per wait, thousands per request at the cap: the sender itself became the
  // bottleneck, at ~200 requests/s.)
  let slotFreed: (() => void) | undefined;
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    while (pending.size >= MAX_IN_FLIGHT) {
      saturated = true;
      await new Promise<void>((resolve) => (slotFreed = resolve));
    }
    const item = nextItem(run, mailAllowed);
    // Latency counts from when the item was due, so a sender held back by a slow service does not
    // hide the wait (no coordinated omission).
    const record: Sent = { externalId: item.externalId, channel: item.channel, at: Math.min(due, performance.now()) };
    sent.push(record);
    const p = item.send().then((status) => {
      record.status = status;
    });
    pending.add(p);
    void p.finally(() => {
      pending.delete(p);
      slotFreed?.();
      slotFreed = undefined;
    });
  }
  await Promise.all(pending);
  const sendSeconds = (performance.now() - started) / 1000;
  const accepted = sent.filter((s) => s.status === 200);

  // Wait until every accepted item has been announced, or give up and count the rest.
  const ids = new Map<string, number>();
  const deadline = performance.now() + DRAIN_TIMEOUT_MS;
  // Item ids for the external ids, asked only for those not yet seen (the bench's own queries load Postgres too).
  const itemIds = new Map<string, string>();
  while (performance.now() < deadline) {
    const unknown = accepted.filter((s) => !itemIds.has(s.externalId)).map((s) => s.externalId);
    if (unknown.length) {
      const rows: Array<{ id: string; external_id: string }> = (await db.query(`SELECT id, external_id FROM inbound_item WHERE external_id = ANY ($1::text[])`, [unknown])).rows;
      for (const row of rows) itemIds.set(row.external_id, row.id);
    }
    if (itemIds.size === accepted.length && [...itemIds.values()].every((id) => visibleAt.has(id))) break;
    await sleep(500);
  }
  // What was announced by the deadline counts; the rest is reported as not visible.
  for (const [externalId, id] of itemIds) if (visibleAt.has(id)) ids.set(externalId, visibleAt.get(id)!);
  sampling = false;
  await sampler;
  const latencies: number[] = [];
  const bySource = { webhooks: [] as number[], mail: [] as number[] };
  let lastVisible = started;
  for (const s of accepted) {
    const at = ids.get(s.externalId);
    if (at) {
      latencies.push(at - s.at);
      bySource[s.channel === 'email' ? 'mail' : 'webhooks'].push(at - s.at);
      lastVisible = Math.max(lastVisible, at);
    }
  }
  for (const list of [latencies, bySource.webhooks, bySource.mail]) list.sort((a, b) => a - b);
  if (process.env.BENCH_TIMELINE) writeFileSync(`${process.env.BENCH_TIMELINE}-${rate}.json`, JSON.stringify(accepted.map((s) => [Math.round(s.at - started), ids.has(s.externalId) ? Math.round(ids.get(s.externalId)! - s.at) : null, s.channel])));
  const wall = (lastVisible - started) / 1000;
  const percentOf = (ticks: number) => (ticks / TICKS / Math.max(wall, sendSeconds)) * 100;
  const cpuPercent = Object.fromEntries(services.map((s) => [s.name, percentOf(cpuTicks(s.child.pid!) - cpuBefore.get(s.name)!)]));
  const sharedCpuPercent = Object.fromEntries(Object.entries(SHARED).map(([name, ticks]) => [name, percentOf(ticks() - sharedBefore[name]!)]));
  allSent.push(...sent);
  return {
    rate,
    sent: sent.length,
    accepted: accepted.length,
    refused: sent.length - accepted.length,
    busy: sent.filter((s) => s.status === 503).length,
    noAnswer: sent.filter((s) => s.status === 0).length,
    seconds: sendSeconds,
    acceptedPerSecond: accepted.length / sendSeconds,
    triagedPerSecond: latencies.length / Math.max(wall, 0.001),
    visible: latencies.length,
    p50: latencies.length ? percentile(latencies, 50) : null,
    p95: latencies.length ? percentile(latencies, 95) : null,
    p99: latencies.length ? percentile(latencies, 99) : null,
    p99Webhooks: bySource.webhooks.length ? percentile(bySource.webhooks, 99) : null,
    p99Mail: bySource.mail.length ? percentile(bySource.mail, 99) : null,
    maxQueue,
    cpuPercent,
    sharedCpuPercent,
    peakRssMb: peak,
    lostOrLate: accepted.length - latencies.length,
    saturated,
  };
}

/** The responder finishes what triage queued before the counts are read. */
async function settleOutbound(db: pg.Pool): Promise<void> {
  for (let i = 0; i < 240; i++) {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM outbound_message WHERE status IN ('pending','sending')`);
    if (rows[0].n === 0) return;
    await sleep(500);
  }
  console.log('bench: outbound rows still pending after 2 minutes');
}

/**
 * The floor: for each item one INSERT of a row as wide as an inbound item and one BullMQ job,
 * consumed by a worker that does nothing, at the same concurrency the services use.
 */
async function runBaseline(items: number, connection: ReturnType<typeof redisConnectionOptions>): Promise<{ items: number; seconds: number; itemsPerSecond: number }> {
  const db = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
  await db.query(`CREATE TABLE baseline_item (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), channel text NOT NULL, external_id text NOT NULL UNIQUE, body text NOT NULL, raw jsonb NOT NULL, received_at timestamptz NOT NULL)`);
  const prefix = `${PREFIX}-baseline`;
  const queue = new Queue('baseline', { connection, prefix });
  let done = 0;
  let finished: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const worker = new Worker(
    'baseline',
    async () => {
      if (++done === items) finished();
    },
    { connection, prefix, concurrency: 50 },
  );
  const started = performance.now();
  let next = 0;
  const body = 'x'.repeat(200);
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < items) {
        const i = next++;
        await db.query(`INSERT INTO baseline_item (channel, external_id, body, raw, received_at) VALUES ('facebook', $1, $2, $3, now())`, [`b${i}`, body, '{"entry":[]}']);
        await queue.add('noop', { i }, { jobId: `b-${i}`, removeOnComplete: true });
      }
    }),
  );
  await allDone;
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await db.end();
  return { items, seconds, itemsPerSecond: items / seconds };
}

await main();
