// npm run bench:ingest: signed Meta comment webhooks sent to a real ingest process at a fixed
// concurrency. Reports items/s stored and queued and p50/p99 acknowledgement latency, then checks
// that every acknowledged item is in Postgres and has its triage job.
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { FAKE_CREDENTIALS, redisConnectionOptions } from '@desk/config';
import { ensureDatabase, runMigrations } from '@desk/persistence';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const PORT = Number(process.env.BENCH_PORT ?? 4490);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/desk_bench';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `desk-bench-${process.pid}`;
const ROOT = process.cwd();
const SECRET = FAKE_CREDENTIALS.meta.appSecret;
const PAGE = FAKE_CREDENTIALS.meta.pageIds[0];

function payload(i: number, run: string): Buffer {
  const now = Math.floor(Date.now() / 1000);
  return Buffer.from(
    JSON.stringify({
      object: 'page',
      entry: [
        {
          id: PAGE,
          time: now,
          changes: [
            {
              field: 'feed',
              value: {
                item: 'comment',
                verb: 'add',
                comment_id: `${run}_${i}`,
                post_id: `${PAGE}_post${i % 50}`,
                parent_id: `${PAGE}_post${i % 50}`,
                from: { id: `${1_000_000 + (i % 700)}`, name: `Member of the public ${i % 700}` },
                created_time: now,
                message: `Comment ${i}: how do I get to the outpatients department from the car park?`,
              },
            },
          ],
        },
      ],
    }),
  );
}

function post(agent: Agent, body: Buffer): Promise<{ status: number; ms: number }> {
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: PORT, path: '/webhooks/meta', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-hub-signature-256': signature } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - start) / 1e6 }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function healthy(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${PORT}/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('ingest did not become healthy');
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

await ensureDatabase(DATABASE_URL);
{
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await client.end();
}
await runMigrations(DATABASE_URL);

const spool = mkdtempSync(join(tmpdir(), 'bench-spool-'));
const ingest = spawn(process.execPath, [join(ROOT, 'dist/apps/ingest/src/main.js')], {
  env: { PATH: process.env.PATH, DATABASE_URL, REDIS_URL, QUEUE_PREFIX: PREFIX, INGEST_PORT: String(PORT), X_POLL_INTERVAL_MS: '0', MAIL_SPOOL_DIR: spool, LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const queue = new Queue('triage', { connection: redisConnectionOptions(REDIS_URL), prefix: PREFIX });
try {
  await healthy();
  const run = randomUUID().slice(0, 8);
  const bodies = Array.from({ length: ITEMS }, (_, i) => payload(i, run));
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  for (let i = 0; i < 50; i++) await post(agent, payload(i, `warm${run}`)); // JIT and pool warm-up, not counted
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const { status, ms } = await post(agent, bodies[next++]!);
        latencies.push(ms);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();

  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  const stored = Number((await client.query(`SELECT count(*) FROM inbound_item WHERE external_id LIKE $1`, [`${run}\\_%`])).rows[0].count);
  const ids = (await client.query(`SELECT id FROM inbound_item WHERE external_id LIKE $1`, [`${run}\\_%`])).rows.map((r) => r.id as string);
  await client.end();
  let queued = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const jobs = await Promise.all(ids.slice(i, i + 500).map((id) => queue.getJob(`triage-item-${id}`)));
    queued += jobs.filter(Boolean).length;
  }

  latencies.sort((a, b) => a - b);
  const result = {
    at: new Date().toISOString(),
    node: process.version,
    items: ITEMS,
    concurrency: CONCURRENCY,
    seconds,
    acknowledgedPerSecond: ITEMS / seconds,
    statuses: Object.fromEntries(statuses),
    stored,
    queued,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1),
  };
  const table = [
    `Ingest webhook benchmark: ${ITEMS} signed Meta comment webhooks, concurrency ${CONCURRENCY}, one ingest process, node ${process.version}`,
    '',
    '| items | seconds | items/s stored and queued | p50 ack | p99 ack | max ack | 200s | stored | triage jobs |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${ITEMS} | ${seconds.toFixed(2)} | ${Math.round(ITEMS / seconds)} | ${result.p50Ms.toFixed(1)} ms | ${result.p99Ms.toFixed(1)} ms | ${result.maxMs!.toFixed(1)} ms | ${statuses.get(200) ?? 0} | ${stored} | ${queued} |`,
  ].join('\n');
  console.log(table);
  mkdirSync(join(ROOT, 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'results', 'bench-ingest.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(ROOT, 'results', 'bench-ingest.md'), `${table}\n`);
  if (stored !== ITEMS || queued !== ITEMS || statuses.get(200) !== ITEMS) {
    console.error(`LOSS: ${ITEMS} sent, ${statuses.get(200) ?? 0} acknowledged, ${stored} stored, ${queued} queued`);
    process.exitCode = 1;
  }
} finally {
  await queue.close();
  ingest.kill('SIGTERM');
  await new Promise((resolve) => ingest.once('exit', resolve));
  // Leave nothing of the run in Redis.
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
    cursor = nextCursor;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}
