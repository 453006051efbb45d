// npm run bench:reports: the manager reports' API time at two million items over two years.
// Seeds its own database once (set-based SQL: items across all channels and routes, automatic and
// human replies, late and unanswered ones, re-routed deflections, press forwards, strikes), then
// backfills facts and rollups through the desk's own refresh code (the same path a live desk
// takes), starts the built desk and times each report over HTTP, one request at a time, after a
// warm-up, for ranges of 13 weeks, 12 months and 24 months. Before timing it checks the rollups
// against the facts summed afresh for the whole two years. A second run reuses the seed.
// Env: BENCH_ITEMS, BENCH_REQUESTS, BENCH_WARMUP, BENCH_DATABASE_URL, BENCH_RESEED=1, DESK_PORT,
// REDIS_URL, DIST_DIR; results also go to results/bench-reports.{md,json}.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { FactSource } from '@desk/domain';
import { dataSourceOptions, ensureDatabase, ReportFactsRepository, runMigrations } from '@desk/persistence';
import { itemFact, rollupDelta } from '@desk/reports';
import { defaultCalendar } from '@desk/sla';
import { hashPassword } from '../apps/desk/src/auth/passwords.js';
import { BenchClient, percentile } from './support/http.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 2_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const PORT = Number(process.env.DESK_PORT ?? 4770);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/desk_bench_reports';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DIST = process.env.DIST_DIR ?? 'dist';
const RESEED = process.env.BENCH_RESEED === '1';
const ROOT = process.cwd();
const PREFIX = `desk-bench-reports-${process.pid}`;
const ME = 'manager@bench.reports';
const PASSWORD = 'reports bench password 2024';
const TARGET_MS = 500;
/** Bump when the seed below changes. */
const SEED_VERSION = 1;
const DAYS = 730;

// ---------------------------------------------------------------------------------------------
// Seeding: proportions are guesses at a mid-sized trust, not measurements.

async function seed(db: pg.Client): Promise<Array<[string, number]>> {
  const phases: Array<[string, number]> = [];
  const phase = async (name: string, sql: string, values: unknown[] = []) => {
    const t = performance.now();
    await db.query(sql, values);
    phases.push([name, Math.round((performance.now() - t) / 100) / 10]);
  };
  const hash = await hashPassword(PASSWORD);
  await phase(
    'users',
    `INSERT INTO "user" (email, name, initials, role, password_hash, team)
     SELECT 'officer' || g || '@bench.reports', 'Officer ' || g, 'O' || chr(64 + g), 'officer', $1, CASE WHEN g <= 6 THEN 'Digital' ELSE 'Comms' END
       FROM generate_series(1, 12) g
     UNION ALL SELECT $2, 'Bench Manager', 'BM', 'manager', $1, NULL`,
    [hash, ME],
  );
  await phase(
    'contacts',
    `INSERT INTO contact (platform, external_id, handle, display_name, flagged_for_block_at)
     SELECT (ARRAY['x','facebook','instagram','email'])[1 + g % 4], 'c' || g, 'person_' || g, 'Person ' || g,
            CASE WHEN g % 250 = 0 THEN now() - (g % ${DAYS}) * interval '1 day' END
       FROM generate_series(1, 20000) g`,
  );
  await phase(
    'conversations',
    `INSERT INTO conversation (channel, contact_id, status, route, assignee_id)
     SELECT 'x', (SELECT id FROM contact ORDER BY id LIMIT 1), 'closed', 'general',
            CASE WHEN g % 10 < 7 THEN (SELECT id FROM "user" WHERE role = 'officer' ORDER BY email OFFSET (g % 12) LIMIT 1) END
       FROM generate_series(1, 20000) g`,
  );
  // One pass of random draws per item: day, hour (most in office hours), channel, route, outcome.
  await phase(
    'items',
    `WITH convs AS MATERIALIZED (SELECT array_agg(id ORDER BY id) AS ids FROM conversation),
          contacts AS MATERIALIZED (SELECT array_agg(id ORDER BY id) AS ids FROM contact),
          draws AS (
            SELECT g, random() AS rc, random() AS rr, random() AS ro, random() AS rt, random() AS rh,
                   date_trunc('day', now()) - ((g % ${DAYS}) * interval '1 day') AS day FROM generate_series(1, $1) g),
          shaped AS (
            SELECT g, ro, rt, day + (CASE WHEN rh < 0.75 THEN 8 + floor(rh / 0.75 * 10) ELSE floor((rh - 0.75) / 0.25 * 24) END) * interval '1 hour'
                                   + floor(random() * 3600) * interval '1 second' AS received_at,
                   CASE WHEN rc < 0.34 THEN 'x' WHEN rc < 0.44 THEN 'x_dm' WHEN rc < 0.68 THEN 'facebook' WHEN rc < 0.80 THEN 'instagram' ELSE 'email' END AS channel,
                   CASE WHEN rr < 0.005 THEN 'urgent_safety' WHEN rr < 0.10 THEN 'complaint' WHEN rr < 0.13 THEN 'media' WHEN rr < 0.18 THEN 'abuse'
                        WHEN rr < 0.38 THEN 'general' WHEN rr < 0.43 THEN 'story' WHEN rr < 0.55 THEN 'praise' WHEN rr < 0.72 THEN 'clinical'
                        WHEN rr < 0.90 THEN 'appointment' ELSE 'spam' END AS route
              FROM draws)
     INSERT INTO inbound_item (channel, external_id, conversation_id, contact_id, received_at, ingested_at, body, raw, status, kind, route,
                               due_at, triaged_at, first_response_at, first_response_automatic, hidden_at, rerouted_from)
     SELECT s.channel, 'b' || s.g, (SELECT ids[1 + s.g % 20000] FROM convs), (SELECT ids[1 + s.g % 20000] FROM contacts),
            least(s.received_at, now()), now(), 'bench item ' || s.g, '{}', 'triaged', 'message',
            CASE WHEN s.route IN ('clinical','appointment') AND s.rt < 0.03 THEN 'complaint' ELSE s.route END,
            least(s.received_at, now()) + interval '3 days' + (CASE WHEN extract(isodow FROM s.received_at) >= 3 THEN interval '2 days' ELSE interval '0' END),
            least(s.received_at, now()),
            CASE WHEN s.route IN ('clinical','appointment','urgent_safety','media') THEN least(s.received_at, now()) + interval '40 seconds'
                 WHEN s.route IN ('spam','abuse') THEN NULL
                 WHEN s.ro < CASE WHEN s.received_at > now() - interval '20 days' THEN 0.6 ELSE 0.985 END
                   THEN least(least(s.received_at, now()) + s.ro * s.rt * interval '7 days', now()) END,
            CASE WHEN s.route IN ('clinical','appointment','urgent_safety','media') THEN true
                 WHEN s.route IN ('spam','abuse') THEN NULL
                 WHEN s.ro < CASE WHEN s.received_at > now() - interval '20 days' THEN 0.6 ELSE 0.985 END THEN false END,
            CASE WHEN s.route IN ('spam','abuse') THEN least(s.received_at, now()) + interval '5 seconds' END,
            CASE WHEN s.route IN ('clinical','appointment') AND s.rt < 0.03 THEN s.route END
       FROM shaped s`,
    [ITEMS],
  );
  await phase(
    'press forwards',
    `INSERT INTO outbound_message (idempotency_key, kind, channel, inbound_item_id, conversation_id, automatic, body, status, sent_at, created_at, press_answered_at)
     SELECT 'press-' || i.id, 'press_forward', 'email', i.id, i.conversation_id, true, 'forward', 'sent', i.received_at + interval '1 minute',
            i.received_at + interval '1 minute', CASE WHEN random() < 0.85 THEN greatest(least(i.received_at + random() * interval '3 days', now()), i.received_at + interval '1 minute') END
       FROM inbound_item i WHERE i.route = 'media'`,
  );
  await phase(
    'strikes',
    `INSERT INTO strike (contact_id, inbound_item_id, reason, created_at)
     SELECT i.contact_id, i.id, 'abuse', i.received_at FROM inbound_item i WHERE i.route = 'abuse' AND i.external_id LIKE '%3'`,
  );
  await phase('analyze', `ANALYZE`);
  return phases;
}

/** Facts and rollups through the desk's own refresh: the throughput a live desk backfills at. */
async function backfill(): Promise<{ seconds: number; items: number }> {
  const source = new DataSource({ ...dataSourceOptions({ url: DATABASE_URL }), migrationsRun: false });
  await source.initialize();
  const repository = new ReportFactsRepository(source);
  const calendar = defaultCalendar();
  const computation = { compute: (sources: FactSource[]) => sources.map((s) => itemFact(s, calendar)), delta: rollupDelta };
  const started = performance.now();
  let items = 0;
  for (;;) {
    const done = await repository.refresh(5_000, computation);
    items += done;
    if (items % 100_000 < 5_000) console.log(`bench:reports: backfilled ${items.toLocaleString('en-GB')} items (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    if (done === 0) break;
  }
  await source.destroy();
  return { seconds: (performance.now() - started) / 1000, items };
}

// ---------------------------------------------------------------------------------------------
// Measuring.

const client = new BenchClient(PORT);
const call = (method: 'GET' | 'POST', path: string, json?: unknown) => client.call(method, path, json);
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  const hasSetting = (await db.query(`SELECT to_regclass('public.setting') IS NOT NULL AS ok`)).rows[0].ok;
  const marker = hasSetting && !RESEED ? (await db.query(`SELECT value FROM setting WHERE key = 'bench_reports_seed'`)).rows[0]?.value : undefined;
  let seedLine: string;
  if (marker && marker.version === SEED_VERSION && marker.items === ITEMS) {
    await runMigrations(DATABASE_URL);
    seedLine = `seed reused (made ${marker.seededAt}: seeded in ${marker.seedSeconds} s, backfilled ${marker.backfill.items} items in ${marker.backfill.seconds} s)`;
  } else {
    if (hasSetting && !marker && (await db.query(`SELECT 1 FROM inbound_item LIMIT 1`)).rowCount && !RESEED) {
      throw new Error(`${DATABASE_URL} holds items but no bench seed; set BENCH_RESEED=1 to replace them`);
    }
    console.log(`bench:reports: seeding ${ITEMS.toLocaleString('en-GB')} items over ${DAYS} days...`);
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    await runMigrations(DATABASE_URL);
    const t = performance.now();
    const phases = await seed(db);
    const seedSeconds = Math.round((performance.now() - t) / 100) / 10;
    console.log(`bench:reports: seeded in ${seedSeconds} s (${phases.map(([k, v]) => `${k} ${v} s`).join(', ')}); backfilling facts and rollups...`);
    const filled = await backfill();
    const backfillMarker = { items: filled.items, seconds: Math.round(filled.seconds * 10) / 10 };
    await db.query(`VACUUM ANALYZE report_fact`);
    await db.query(`VACUUM ANALYZE report_count`);
    await db.query(`VACUUM ANALYZE report_hist`);
    await db.query(`INSERT INTO setting (key, value) VALUES ('bench_reports_seed', $1)`, [
      JSON.stringify({ version: SEED_VERSION, items: ITEMS, seededAt: new Date().toISOString(), seedSeconds, phases, backfill: backfillMarker }),
    ]);
    seedLine = `seeded in ${seedSeconds} s; facts and rollups backfilled through the desk's refresh: ${filled.items.toLocaleString('en-GB')} items in ${filled.seconds.toFixed(1)} s (${Math.round(filled.items / filled.seconds).toLocaleString('en-GB')} items/s)`;
  }
  console.log(`bench:reports: ${seedLine}`);
  const sizes = (
    await db.query(`SELECT (SELECT count(*) FROM inbound_item)::int AS items, (SELECT count(*) FROM report_fact)::int AS facts,
                           (SELECT count(*) FROM report_count)::int AS count_rows, (SELECT count(*) FROM report_hist)::int AS hist_rows,
                           (SELECT min(received_day)::text FROM report_fact) AS first_day, (SELECT max(received_day)::text FROM report_fact) AS last_day`)
  ).rows[0];
  console.log(`bench:reports: ${JSON.stringify(sizes)}`);

  // The rollups against the facts summed afresh, per day, for the whole two years.
  const check = (
    await db.query(`
      WITH fresh AS (
        SELECT received_day AS day, count(*)::int AS items, count(*) FILTER (WHERE owed)::int AS owed, count(*) FILTER (WHERE owed AND met)::int AS met,
               count(*) FILTER (WHERE owed AND first_response_automatic AND first_response_at IS NOT NULL)::int AS auto_answered,
               count(*) FILTER (WHERE out_of_hours)::int AS out_of_hours, count(*) FILTER (WHERE owed AND first_response_at IS NULL)::int AS unanswered
          FROM report_fact GROUP BY 1),
      rolled AS (SELECT day, items, owed, met, auto_answered, out_of_hours, unanswered FROM report_count WHERE cut = 'all' AND items <> 0)
      SELECT (SELECT count(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM rolled) a)::int AS differ, (SELECT count(*) FROM fresh)::int AS days`)
  ).rows[0];
  if (check.differ !== 0) throw new Error(`rollups differ from the facts on ${check.differ} of ${check.days} days`);
  console.log(`bench:reports: rollups equal the facts summed afresh on all ${check.days} days`);
  await db.end();

  const staticDir = mkdtempSync(join(tmpdir(), 'bench-reports-static-'));
  const desk = spawn(process.execPath, [join(ROOT, DIST, 'apps/desk/src/main.js')], {
    env: { PATH: process.env.PATH, DATABASE_URL, REDIS_URL, QUEUE_PREFIX: PREFIX, DESK_PORT: String(PORT), NODE_ENV: 'production', LOG_LEVEL: 'warn', DESK_STATIC_DIR: staticDir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => desk.once('exit', resolve));
  try {
    for (let i = 0; ; i++) {
      if (await fetch(`http://127.0.0.1:${PORT}/health`).then((r) => r.ok, () => false)) break;
      if (i > 150 || desk.exitCode !== null) throw new Error('the desk did not become healthy');
      await new Promise((r) => setTimeout(r, 200));
    }
    await client.login(ME, PASSWORD);

    const today = DateTime.now().setZone('Europe/London').startOf('day');
    const range = (back: { weeks?: number; months?: number }) => `from=${today.minus(back).toISODate()}&to=${today.toISODate()}`;
    const r13w = range({ weeks: 13 });
    const r12m = range({ months: 12 });
    const r24m = range({ months: 24 });
    const firstBreaches = JSON.parse((await call('GET', `/api/reports/breaches?${r12m}&limit=50`)).body) as { nextCursor: string | null; total: number };
    const cases: Array<{ name: string; path: string }> = [
      { name: 'SLA by channel per week, 13 weeks', path: `/api/reports/sla?${r13w}&by=channel&period=week` },
      { name: 'SLA by route per week, 12 months', path: `/api/reports/sla?${r12m}&by=route&period=week` },
      { name: 'SLA by officer per month, 12 months', path: `/api/reports/sla?${r12m}&by=officer&period=month` },
      { name: 'SLA by team per week, 24 months', path: `/api/reports/sla?${r24m}&by=team&period=week` },
      { name: 'SLA by route per week, 24 months', path: `/api/reports/sla?${r24m}&by=route&period=week` },
      { name: 'volumes and heatmap, 12 months', path: `/api/reports/volumes?${r12m}` },
      { name: 'volumes and heatmap, 24 months', path: `/api/reports/volumes?${r24m}` },
      { name: 'breaches, first page, 12 months', path: `/api/reports/breaches?${r12m}&limit=50` },
      { name: 'breaches, second page, 12 months', path: `/api/reports/breaches?${r12m}&limit=50&cursor=${firstBreaches.nextCursor ?? ''}` },
      { name: 'at risk now', path: `/api/reports/at-risk` },
      { name: 'deflections, 24 months', path: `/api/reports/deflections?${r24m}` },
      { name: 'press office, 24 months', path: `/api/reports/press?${r24m}` },
      { name: 'moderation, 24 months', path: `/api/reports/moderation?${r24m}` },
      { name: 'SLA CSV by route per month, 24 months', path: `/api/reports/sla.csv?${r24m}&by=route&period=month` },
    ];
    const results: Array<{ name: string; p50: number; p95: number; p99: number; max: number; bytes: number }> = [];
    const all: number[] = [];
    for (const c of cases) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < WARMUP + REQUESTS; i++) {
        const answer = await call('GET', c.path);
        if (answer.status !== 200) throw new Error(`${c.name}: HTTP ${answer.status} ${answer.body.slice(0, 300)}`);
        bytes = answer.body.length;
        if (i >= WARMUP) times.push(answer.ms);
      }
      times.sort((a, b) => a - b);
      all.push(...times);
      const row = { name: c.name, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), max: times.at(-1)!, bytes };
      results.push(row);
      console.log(`bench:reports: ${c.name}: p50 ${ms(row.p50)}, p95 ${ms(row.p95)}, p99 ${ms(row.p99)}, max ${ms(row.max)} (${bytes.toLocaleString('en-GB')} bytes)`);
    }
    all.sort((a, b) => a - b);
    const worst = results.reduce((w, r) => (r.p95 > w.p95 ? r : w));
    const lines = [
      `# bench:reports — ${new Date().toISOString()}`,
      '',
      `${sizes.items.toLocaleString('en-GB')} items (${sizes.facts.toLocaleString('en-GB')} counted), ${sizes.first_day} to ${sizes.last_day}; rollups: ${sizes.count_rows.toLocaleString('en-GB')} count rows, ${sizes.hist_rows.toLocaleString('en-GB')} histogram rows.`,
      `${seedLine}. Rollups checked equal to the facts summed afresh on all ${check.days} days. ${breachesLine(firstBreaches.total)}`,
      `${REQUESTS} timed requests per case after ${WARMUP} warm-up, one at a time over one keep-alive connection; load average at the end ${loadavg()[0]!.toFixed(2)}.`,
      '',
      '| case | p50 | p95 | p99 | max |',
      '|---|---|---|---|---|',
      ...results.map((r) => `| ${r.name} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} |`),
      `| **all cases** | ${ms(percentile(all, 50))} | **${ms(percentile(all, 95))}** | ${ms(percentile(all, 99))} | ${ms(all.at(-1)!)} |`,
      '',
      `Worst case p95: ${worst.name}, ${ms(worst.p95)} (target ${TARGET_MS} ms).`,
    ];
    mkdirSync(join(ROOT, 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'results', 'bench-reports.md'), lines.join('\n') + '\n');
    writeFileSync(join(ROOT, 'results', 'bench-reports.json'), JSON.stringify({ sizes, seed: seedLine, results }, null, 2));
    console.log(lines.join('\n'));
    if (worst.p95 > TARGET_MS) process.exitCode = 1;
  } finally {
    client.agent.destroy();
    desk.kill('SIGTERM');
    await exited;
  }
}

const breachesLine = (total: number) => `Breaches in the last 12 months: ${total.toLocaleString('en-GB')}.`;

await main();
