// npm run bench:responder: a real responder process sends a mixed batch of outbound rows (X replies,
// Facebook replies, emails) to the local fake X and Graph APIs and an SMTP sink. Reports sends per
// second from first job to last row recorded, then checks every row is sent and every provider
// holds exactly one of each.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { FAKE_CREDENTIALS, redisConnectionOptions } from '@desk/config';
import { ensureDatabase, runMigrations } from '@desk/persistence';

const ROWS = Number(process.env.BENCH_ROWS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/desk_bench';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORTS = { health: 4494, x: 4495, graph: 4496, smtp: 4497 };
const PREFIX = `desk-bench-responder-${process.pid}`;
const ROOT = process.cwd();
const ME = FAKE_CREDENTIALS.x.userId;
const PAGE = '1234567890';

// The fakes read fixtures relative to the source tree; the build sits one level deeper.
process.env.X_FIXTURES_DIR ??= join(ROOT, '..', 'shared', 'fixtures', 'x');
const { FakeXApi } = await import('../test/fakes/x-api.js');
const { FakeGraphApi } = await import('../test/fakes/graph-api.js');
const { SmtpSink } = await import('../test/fakes/smtp-sink.js');

type Kind = 'x' | 'facebook' | 'email';
const kindOf = (i: number): Kind => (['x', 'facebook', 'email'] as const)[i % 3]!;

await ensureDatabase(DATABASE_URL);
const db = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
await runMigrations(DATABASE_URL);

const x = await FakeXApi.start(PORTS.x);
for (const endpoint of Object.keys(x.limits) as Array<keyof typeof x.limits>) x.limits[endpoint] = 1_000_000;
const graph = await FakeGraphApi.start(PORTS.graph, { tokens: { [PAGE]: 'bench-page-token' } });
const sink = await SmtpSink.start({ port: PORTS.smtp });

/** Items and their outbound rows, written in bulk as triage would leave them. */
async function seed(run: string): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < ROWS; start += 500) {
    const batch = Array.from({ length: Math.min(500, ROWS - start) }, (_, j) => start + j);
    const values = batch.map((i) => {
      const kind = kindOf(i);
      const external = kind === 'x' ? `${1_800_000_000_000_000_000n + BigInt(i)}` : kind === 'facebook' ? `${run}_${i}` : `<bench-${run}-${i}@example.org>`;
      if (kind === 'facebook') graph.addComment('facebook', { id: external, accountId: PAGE, message: `Comment ${i}`, fromId: `${7_000_000 + i}` });
      return { i, kind, external };
    });
    const { rows } = await db.query(
      `WITH c AS (
         INSERT INTO contact (platform, external_id, handle, display_name)
         SELECT CASE WHEN k = 'email' THEN 'email' ELSE k END, CASE WHEN k = 'email' THEN 'person' || i || '@example.org' ELSE (9000000 + i)::text END, 'person' || i, 'Person ' || i
           FROM unnest($1::int[], $2::text[]) AS t(i, k)
         RETURNING id, display_name),
       items AS (
         INSERT INTO inbound_item (channel, external_id, contact_id, received_at, subject, body, raw, status, route, due_at, triaged_at)
         SELECT t.k, t.e, c.id, now() - interval '1 minute', CASE WHEN t.k = 'email' THEN 'Question ' || t.i END,
                'Question number ' || t.i, CASE WHEN t.k = 'facebook' THEN jsonb_build_object('entry', jsonb_build_object('id', $4::text)) ELSE '{}'::jsonb END,
                'triaged', 'clinical', now() + interval '1 day', now()
           FROM unnest($1::int[], $2::text[], $3::text[]) AS t(i, k, e) JOIN c ON c.display_name = 'Person ' || t.i
         RETURNING id, channel, body)
       INSERT INTO outbound_message (idempotency_key, kind, channel, inbound_item_id, automatic, template, body)
       SELECT id || ':reply-clinical', CASE WHEN channel = 'email' THEN 'email' ELSE 'reply' END, channel, id, true, 'clinical',
              'We can''t give medical advice here. Please call NHS 111. (' || body || ')'
         FROM items RETURNING id`,
      [values.map((v) => v.i), values.map((v) => v.kind), values.map((v) => v.external), PAGE],
    );
    ids.push(...rows.map((r: { id: string }) => r.id));
  }
  return ids;
}

const responder = spawn(process.execPath, [join(ROOT, 'dist/apps/responder/src/main.js')], {
  env: {
    PATH: process.env.PATH,
    DATABASE_URL,
    REDIS_URL,
    QUEUE_PREFIX: PREFIX,
    RESPONDER_HEALTH_PORT: String(PORTS.health),
    RESPONDER_CONCURRENCY: String(CONCURRENCY),
    X_API_BASE_URL: x.url,
    X_ACCESS_TOKEN: FakeXApi.tokenFor(ME),
    META_GRAPH_URL: graph.url,
    META_PAGE_TOKENS: `${PAGE}=bench-page-token`,
    MAIL_DRIVER: 'live',
    MAIL_FROM: 'Communications team <communications@trust.example>',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(PORTS.smtp),
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const queue = new Queue('outbound', { connection: redisConnectionOptions(REDIS_URL), prefix: PREFIX });
try {
  for (let i = 0; i < 100; i++) {
    if (await fetch(`http://127.0.0.1:${PORTS.health}/health`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const run = randomUUID().slice(0, 8);
  const ids = await seed(run);
  const started = process.hrtime.bigint();
  await queue.addBulk(ids.map((id) => ({ name: 'outbound.send', data: { v: 1, outboundId: id }, opts: { jobId: `outbound-send-${id}`, attempts: 8 } })));
  let unfinished = ids.length;
  while (unfinished > 0) {
    await new Promise((r) => setTimeout(r, 100));
    unfinished = Number((await db.query(`SELECT count(*) FROM outbound_message WHERE status IN ('pending','sending')`)).rows[0].count);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const statuses = Object.fromEntries(
    (await db.query(`SELECT status, count(*)::int AS n FROM outbound_message GROUP BY status`)).rows.map((r: { status: string; n: number }) => [r.status, r.n]),
  );
  const expected = { x: ids.length - 2 * Math.floor(ids.length / 3) - (ids.length % 3 === 2 ? 1 : 0), facebook: 0, email: 0 };
  for (let i = 0; i < ids.length; i++) if (kindOf(i) !== 'x') expected[kindOf(i)]++;
  expected.x = ids.length - expected.facebook - expected.email;
  const atProviders = { x: x.posts.length, facebook: graph.replies.length, email: sink.messages.length };
  const result = { at: new Date().toISOString(), node: process.version, rows: ids.length, concurrency: CONCURRENCY, seconds, sendsPerSecond: ids.length / seconds, statuses, expected, atProviders };
  const table = [
    `Responder benchmark: ${ids.length} outbound rows (X replies, Facebook replies, emails in equal parts), one responder process, concurrency ${CONCURRENCY}, node ${process.version}, fakes in the benchmark process`,
    '',
    '| rows | seconds | sends/s | sent | failed | X posts | Graph replies | SMTP messages |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${ids.length} | ${seconds.toFixed(2)} | ${Math.round(ids.length / seconds)} | ${statuses.sent ?? 0} | ${statuses.failed ?? 0} | ${atProviders.x} | ${atProviders.facebook} | ${atProviders.email} |`,
  ].join('\n');
  console.log(table);
  mkdirSync(join(ROOT, 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'results', 'bench-responder.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(ROOT, 'results', 'bench-responder.md'), `${table}\n`);
  if (statuses.sent !== ids.length || atProviders.x !== expected.x || atProviders.facebook !== expected.facebook || atProviders.email !== expected.email) {
    console.error(`MISMATCH: expected ${JSON.stringify(expected)} at the providers and ${ids.length} sent`);
    process.exitCode = 1;
  }
} finally {
  await queue.close();
  responder.kill('SIGTERM');
  await new Promise((resolve) => responder.once('exit', resolve));
  await Promise.all([x.close(), graph.close(), sink.stop(), db.end()]);
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}
