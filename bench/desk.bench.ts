// npm run bench:desk: the queue page's API time at a million items. Seeds its own database once
// (set-based SQL: ~1M items in ~400k conversations from ~250k contacts over two years, all five
// channels, routes, flags, assignees, snoozes), starts the built desk, logs in, and times
// GET /api/queue over one keep-alive connection, one request at a time, after a warm-up, for the
// filters the desk offers: first page, a page 20 cursors deep, channel, route, assignee, flag,
// closed, and searches (common and very common word, rare word, author handle). Reports
// p50/p95/p99/max per case and checks every answer: 200, rows in (priority, due nulls last, id)
// order, and no conversation twice along a cursor walk. A second run finds the seed marker and
// only measures. Env: BENCH_ITEMS, BENCH_REQUESTS, BENCH_WARMUP, BENCH_DATABASE_URL, BENCH_RESEED=1,
// DESK_PORT, REDIS_URL, DIST_DIR; results also go to results/bench-desk.{md,json}.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { AUTO_CLOSED_ROUTES, ROUTE_PRIORITY, type QueuePage, type QueueRow, type Route } from '@desk/domain';
import { databaseName, dataSourceOptions, ensureDatabase, runMigrations } from '@desk/persistence';
import { hashPassword } from '../apps/desk/src/auth/passwords.js';
import { type Answer, BenchClient, percentile } from './support/http.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? Math.round(ITEMS * 0.4));
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? Math.round(ITEMS * 0.25));
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const DEEP = Number(process.env.BENCH_DEEP_PAGES ?? 20);
const PORT = Number(process.env.DESK_PORT ?? 4720);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/desk_bench_queue';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DIST = process.env.DIST_DIR ?? 'dist';
const RESEED = process.env.BENCH_RESEED === '1';
const COMMON_WORD = process.env.BENCH_COMMON_WORD ?? 'parking'; // in ~5% of items
const VERY_COMMON_WORD = process.env.BENCH_VERY_COMMON_WORD ?? 'thank'; // in ~17%
const RARE_WORD = process.env.BENCH_RARE_WORD ?? 'haemochromatosis';
const HANDLE_PREFIX = process.env.BENCH_HANDLE_PREFIX ?? 'amara_oka';
const PREFIX = `desk-bench-queue-${process.pid}`;
const ROOT = process.cwd();
const PASSWORD = 'queue bench password 2024';
const SLOW_MS = 200;
/** Bump when the seed below changes, so the next run seeds afresh. */
const SEED_VERSION = 5;
if (CONTACTS < 100 || CONVERSATIONS < 100 || ITEMS < CONVERSATIONS) {
  console.error('bench:desk: need BENCH_ITEMS >= BENCH_CONVERSATIONS >= 100 and BENCH_CONTACTS >= 100');
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// The data. Proportions are guesses at a mid-sized trust's year, not measurements.

/** [value, weight] pairs, turned into a CASE over one random() column. */
type Weights = ReadonlyArray<readonly [string, number]>;
const CHANNEL_WEIGHTS: Weights = [['x', 34], ['x_dm', 10], ['facebook', 24], ['instagram', 12], ['email', 20]];
/** Open and snoozed conversations hold what a person must answer; the automatic routes close. */
const OPEN_ROUTE_WEIGHTS: Weights = [['urgent_safety', 1], ['complaint', 18], ['media', 4], ['abuse', 8], ['general', 42], ['story', 7], ['praise', 20]];
const CLOSED_ROUTE_WEIGHTS: Weights = [
  ['urgent_safety', 0.5], ['complaint', 7], ['media', 2], ['abuse', 5], ['general', 25], ['story', 4], ['praise', 10],
  ['clinical', 18], ['appointment', 20], ['spam', 8.5],
];
const OPEN_SHARE = 0.1; // ~40k of 400k
const SNOOZED_SHARE = 0.008; // ~3k
/** Contacts are bucketed by id mod 100 into platforms; a conversation picks a contact of its platform. */
const PLATFORM_BUCKETS: Record<string, readonly [number, number]> = { x: [0, 43], facebook: [43, 68], instagram: [68, 80], email: [80, 100] };

const FIRST_NAMES = ['amara', 'oliver', 'sophie', 'mohammed', 'emily', 'jack', 'priya', 'liam', 'grace', 'noah', 'chloe', 'harry', 'zara', 'george', 'isla', 'arjun', 'lucy', 'daniel', 'megan', 'kwame', 'ruth', 'tom', 'hannah', 'yusuf', 'ellie', 'callum', 'fatima', 'ben', 'niamh', 'owen', 'aisha', 'rhys', 'jade', 'sam', 'bethan', 'connor', 'maya', 'lewis', 'holly', 'ryan'];
const SURNAMES = ['okafor', 'smith', 'jones', 'patel', 'williams', 'brown', 'taylor', 'khan', 'davies', 'evans', 'wilson', 'thomas', 'roberts', 'johnson', 'walker', 'wright', 'robinson', 'thompson', 'white', 'hughes', 'edwards', 'green', 'hall', 'wood', 'harris', 'lewis', 'martin', 'jackson', 'clarke', 'ahmed', 'begum', 'hussain', 'murphy', 'kelly', 'campbell', 'mensah', 'nowak', 'kowalski', 'singh', 'ali'];
const MAIL_DOMAINS = ['gmail.com', 'hotmail.co.uk', 'outlook.com', 'yahoo.co.uk', 'btinternet.com', 'icloud.com', 'nhs.net'];

const TEMPLATES: Record<Route, string[]> = {
  complaint: [
    'I waited {n} hours in {place} at {site} {time} and nobody told us what was happening.',
    'Absolutely disgusted with the way my {rel} was treated on {place} {time}.',
    'The parking charges at {site} are a scandal, £{n} to visit my {rel} on {place}.',
    'My appointment at {place} was cancelled for the {ord} time with no explanation.',
    "Staff on {place} were dismissive when I asked about my {rel}'s discharge {time}.",
    'Nobody answers the phone at {place}, I have tried {n} times since {time}.',
    'We were left on a trolley in a corridor at {site} for {n} hours {time}.',
    'Still waiting for a reply to my complaint about {place}, it has been {n} weeks.',
    'The toilets on {place} were filthy {time}, not acceptable for a hospital.',
    "My {rel}'s hearing aids went missing on {place} and no one will take responsibility.",
    'Waiting times in {place} are getting worse every month. {n} hours is not acceptable.',
    'There was no disabled parking left at {site} {time} and we missed the appointment.',
  ],
  general: [
    'What are the visiting times for {place} at {site}?',
    'Is there a cafe open at {site} in the evening?',
    'How do I get to {place} from the main entrance at {site}?',
    'Has {place} at {site} moved? The signs are confusing.',
    'Where is the best parking for {place} at {site}? Is there a drop-off point near the entrance?',
    'Can I bring flowers in for my {rel} on {place}?',
    'Is the number {n} bus still stopping outside {site}?',
    'Are face masks still required on {place}?',
    'Who do I contact about something left behind at {site} {time}?',
    'Is the pharmacy at {site} open on Sundays?',
    'How do I request a copy of my medical records from {site}?',
    'Are you recruiting healthcare assistants for {place}? Where can I apply?',
    'Is there free wifi for patients on {place}?',
    'Can I get a parking permit for a long stay on {place}?',
  ],
  praise: [
    'Huge thank you to the team on {place} at {site}, you were amazing with my {rel} {time}.',
    'Just wanted to say the midwives on {place} were incredible. Thank you {staff}!',
    'Shout out to {staff} in {place}, kind, patient and so reassuring.',
    'Brilliant care at {site} {time}. Seen within {n} minutes and everyone was lovely.',
    'The porters and cleaners at {site} never get enough credit. Thank you all.',
    'Thank you to everyone in {place} who looked after our little one {time}.',
    '{staff} on {place} went above and beyond for my {rel}. Please pass on our thanks.',
  ],
  story: [
    'Our family raised £{n}00 for {place} at {site} in memory of my {rel}. Would you like to share it?',
    'My daughter was born on {place} {n} years ago and is now training as a nurse at {site}!',
    'We ran the half marathon for the {place} appeal and would love to present the cheque.',
    'I have volunteered at {site} for {n} years and would love to share my story.',
  ],
  media: [
    "Hi, I'm a reporter at the {paper}. Can your press office comment on waiting times in {place} at {site}?",
    'Journalist at the {paper} here: we understand there was an incident at {site} {time}. Can you confirm?',
    'Producer from {paper} looking for a spokesperson on winter pressures in {place}. Deadline {time}.',
  ],
  abuse: [
    'You lot are useless, absolute clowns running {site}.',
    "Sack the idiots on {place}, they haven't got a clue.",
    'Incompetent morons, the whole of {site} should be shut down.',
    'Disgraceful bunch of liars, nobody believes a word you say.',
  ],
  urgent_safety: [
    "I can't cope any more and I don't want to be here. Please help.",
    'My friend says she is going to hurt herself tonight and I do not know what to do.',
    'There is a man collapsed in the car park at {site} and nobody is helping.',
    'I feel like ending it all, nobody listens.',
  ],
  clinical: [
    "I've had chest pain and a headache since {time}, should I come to {place}?",
    'Can I take ibuprofen with my new blood pressure medication?',
    'My son has a rash and a temperature of 3{n}.{n}, is this something to worry about?',
    'What are the side effects of the medication they gave me on {place}?',
    'I had surgery at {site} {n} days ago and the wound looks red and swollen.',
  ],
  appointment: [
    'I need to rearrange my appointment at {place} on the {n}th, how do I do that?',
    "Still waiting for my referral letter from {place}, it's been {n} weeks.",
    "Can I change my outpatient appointment at {site}? I'm at work that day.",
    "My appointment letter says {place} but the clinic says I'm not booked in.",
    'How long is the waiting list for {place} at {site} at the moment?',
  ],
  spam: [
    'Earn £{n}00 a day working from home!! DM me for details.',
    'Click here to claim your free supermarket vouchers bit.ly/{n}x{n}q',
    'Cheap followers and likes, message us now.',
    'Crypto giveaway! Send {n} and receive double back.',
  ],
};
const FILLERS = [
  '', '', '', 'Thanks in advance.', 'Any help would be appreciated.', "This is the {ord} time I've had to ask.",
  'My {rel} is in their eighties and has dementia, so it really matters to us.', 'We travelled an hour to get there.',
  "I've tried ringing the switchboard but it just rings out.", 'Please let me know as soon as you can.',
  "I don't want to make a fuss but someone should know.", 'The receptionist said to message you here.',
];
const GREETINGS = ['', '', '', 'Hi,', 'Hello,', 'Morning,', 'Hi there.', 'Good afternoon,'];
const SUBJECTS = ['Query', 'Complaint', 'Thank you', 'Visiting', 'My appointment', 'Feedback', 'Urgent', 'Question about {place}', 'Re: your letter', 'Parking at {site}'];
const SLOTS: Record<string, string[]> = {
  place: ['A&E', 'the emergency department', 'Ward 7', 'Ward 12', 'the maternity unit', "the children's ward", 'outpatients', 'radiology', 'the fracture clinic', 'the eye clinic', 'oncology', 'the stroke unit', 'cardiology', 'the discharge lounge', 'phlebotomy', 'the dermatology clinic', 'the renal unit', 'physiotherapy', 'the day surgery unit', 'the urgent treatment centre'],
  site: ["St Mary's", 'the General', 'Queen Elizabeth Hospital', 'the Royal Infirmary', 'Northgate Community Hospital', 'Riverside', 'the Treatment Centre'],
  time: ['yesterday', 'last night', 'this morning', 'on Monday', 'on Tuesday', 'at the weekend', 'last week', 'today', 'on Friday evening', 'over Christmas'],
  staff: ['Nurse Jenny', 'Dr Patel', 'the night staff', "Sister O'Brien", 'the healthcare assistants', 'the paramedics', 'Mo on reception', 'the physio team'],
  paper: ['Evening Chronicle', 'BBC Look North', 'Daily Gazette', 'Health Service Journal', 'Radio Riverside'],
  rel: ['mum', 'dad', 'nan', 'grandad', 'husband', 'wife', 'son', 'daughter', 'partner'],
  ord: ['second', 'third', 'fourth', 'fifth'],
};
/** Words a handful of items hold, for selective searches (the first is the bench's rare search). */
const RARE = [RARE_WORD, 'kintsugi', 'periwinkle', 'xylophone', 'quokka'];
const RARE_SHARE = 1 / 1500; // ~670 items at 1M, ~130 of them holding the first word

const USERS = [
  ['Priya Shah', 'PS', 'officer'], ['Tom Whitaker', 'TW', 'officer'], ['Aisha Bello', 'AB', 'officer'], ['Gareth Owen', 'GO', 'officer'],
  ['Mei Lin', 'ML', 'officer'], ['Sam Carter', 'SC', 'officer'], ['Hannah Doyle', 'HD', 'officer'], ['Kwame Mensah', 'KM', 'manager'],
  ['Ruth Evans', 'RE', 'manager'], ['Desk Admin', 'DA', 'admin'],
] as const;
const emailOf = (name: string) => `${name.toLowerCase().replace(' ', '.')}@trust.example`;
const ME = emailOf(USERS[0][0]);

/** A CASE expression choosing by weight over `r`, a random() in [0, 1). */
function pick(r: string, weights: Weights): string {
  const total = weights.reduce((n, [, w]) => n + w, 0);
  let at = 0;
  const arms = weights.slice(0, -1).map(([value, w]) => `WHEN ${r} < ${((at += w) / total).toFixed(6)} THEN '${value}'`);
  return `(CASE ${arms.join(' ')} ELSE '${weights.at(-1)![0]}' END)`;
}
/** A random element of the jsonb array parameter `param`. */
const oneOf = (param: string) => `(${param}::jsonb ->> floor(random() * jsonb_array_length(${param}::jsonb))::int)`;
/** Fills every {slot} of `text` with a random value (one per slot per row). */
function fill(text: string, slots: string): string {
  return Object.keys(SLOTS).reduce((expr, slot) => `replace(${expr}, '{${slot}}', ${oneOf(`(${slots}::jsonb -> '${slot}')`)})`, `replace(${text}, '{n}', (2 + floor(random() * 8))::text)`);
}
const PRIORITY_CASE = `(CASE route ${Object.entries(ROUTE_PRIORITY).map(([r, p]) => `WHEN '${r}' THEN ${p}`).join(' ')} END)`;
const AUTO_ROUTES = `ARRAY[${AUTO_CLOSED_ROUTES.map((r) => `'${r}'`).join(',')}]::text[]`;

/** The schema the seed was made for: a changed migration (an index edited in place) means a fresh seed. */
function schemaFingerprint(): string {
  const migrations = (dataSourceOptions({ url: DATABASE_URL }).migrations ?? []) as Array<{ toString(): string }>;
  return createHash('sha256').update(migrations.map((m) => m.toString()).join('\n')).digest('hex').slice(0, 16);
}

interface SeedMarker {
  version: number;
  items: number;
  conversations: number;
  contacts: number;
  schema: string;
  seededAt: string;
  seconds: number;
  /** In the order they ran (a jsonb object would sort its keys). */
  phases: Array<[string, number]>;
  counts: Record<string, number>;
}

async function seed(db: pg.Client): Promise<SeedMarker> {
  const phases: Record<string, number> = {};
  let last = process.hrtime.bigint();
  const started = last;
  const phase = async (name: string, sql: string, values: unknown[] = []) => {
    await db.query(sql, values);
    const now = process.hrtime.bigint();
    phases[name] = (phases[name] ?? 0) + Number(now - last) / 1e9;
    last = now;
  };
  await db.query(`SELECT setseed(0.2024)`); // the same data every time (random() runs in this backend only)
  await db.query(`SET synchronous_commit = off`);
  await db.query(`SET maintenance_work_mem = '512MB'`);
  await db.query(`SET work_mem = '256MB'`);
  // Bulk load without row-by-row foreign-key and touch triggers: every reference is made by
  // construction below and checked afterwards. Needs a superuser, as the default URL is. Nor are
  // the items marked for report facts: this bench measures the queue, and the desk's report-fact
  // backfill (issue 8's own bench) would otherwise run beside it and share the two cores.
  await db.query(`SET session_replication_role = replica`);

  // Secondary indexes are built once after the load, from their own definitions, rather than
  // maintained row by row (a GIN trigram index over a million bodies takes minutes that way).
  const tables = ['inbound_item', 'conversation', 'contact', 'strike'];
  const { rows: indexes } = await db.query<{ name: string; def: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.relname = ANY($1) AND t.relnamespace = 'public'::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)`,
    [tables],
  );
  for (const index of indexes) await db.query(`DROP INDEX "${index.name}"`);

  const hash = await hashPassword(PASSWORD);
  const { rows: users } = await db.query<{ id: string }>(
    `INSERT INTO "user" (email, name, initials, role, password_hash)
     SELECT lower(e), n, i, r, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(e, n, i, r)
     RETURNING id`,
    [USERS.map(([n]) => emailOf(n)), USERS.map(([n]) => n), USERS.map(([, i]) => i), USERS.map(([, , r]) => r), hash],
  );
  const assignees = users.slice(0, 9).map((u) => u.id); // officers and managers take conversations
  phases.users = Number(process.hrtime.bigint() - last) / 1e9;
  last = process.hrtime.bigint();

  const names = [JSON.stringify(FIRST_NAMES), JSON.stringify(SURNAMES), JSON.stringify(MAIL_DOMAINS)];
  const bucket = (platform: string) => PLATFORM_BUCKETS[platform]!;
  await phase(
    'contacts',
    `INSERT INTO contact (id, platform, external_id, handle, display_name, created_at, updated_at)
     SELECT md5('bench-contact-' || n)::uuid, platform,
            CASE platform WHEN 'email' THEN email ELSE (CASE platform WHEN 'x' THEN 1400000000 ELSE 17841400000 END + n)::text END,
            CASE platform WHEN 'facebook' THEN NULL WHEN 'email' THEN email ELSE f || '_' || s || (n % 1000) END,
            CASE WHEN platform = 'email' AND n % 7 = 0 THEN NULL ELSE initcap(f) || ' ' || initcap(s) END,
            at, at
       FROM (SELECT n, f, s, f || '.' || s || n || '@' || d AS email, now() - random() * interval '800 days' AS at,
                    CASE WHEN n % 100 < ${bucket('x')[1]} THEN 'x' WHEN n % 100 < ${bucket('facebook')[1]} THEN 'facebook'
                         WHEN n % 100 < ${bucket('instagram')[1]} THEN 'instagram' ELSE 'email' END AS platform
               FROM (SELECT n, ${oneOf('$1')} AS f, ${oneOf('$2')} AS s, ${oneOf('$3')} AS d FROM generate_series(0, $4 - 1) n) g) c`,
    [...names, CONTACTS],
  );

  // Conversations are shaped first (channel, status, route, contact, start), kept in a temporary
  // table so the items can follow them; the rows themselves go in after the items, with their due
  // and last-inbound times taken from their items.
  const blocks = Math.floor(CONTACTS / 100);
  const contactFor = (channel: string) => {
    const [lo, hi] = bucket(channel === 'x_dm' ? 'x' : channel);
    return `(100 * floor(power(random(), 1.5) * ${blocks}) + ${lo} + floor(random() * ${hi - lo}))::int`;
  };
  const uuidArray = `ARRAY[${assignees.map((id) => `'${id}'`).join(',')}]::uuid[]`;
  await phase(
    'shape',
    `CREATE TEMP TABLE bench_conversation AS
     SELECT k, md5('bench-conversation-' || k)::uuid AS id, channel, status, route, ${PRIORITY_CASE} AS priority,
            md5('bench-contact-' || CASE channel ${['x', 'x_dm', 'facebook', 'instagram', 'email'].map((c) => `WHEN '${c}' THEN ${contactFor(c)}`).join(' ')} END)::uuid AS contact_id,
            CASE status WHEN 'open' THEN now() - interval '2 minutes' - power(random(), 2.5) * interval '21 days'
                        WHEN 'snoozed' THEN now() - interval '2 minutes' - random() * interval '10 days'
                        ELSE now() - interval '1 hour' - random() * interval '730 days' END AS t0,
            status <> 'closed' AND random() < 0.85 AS awaiting,
            CASE WHEN random() < CASE status WHEN 'open' THEN 0.3 WHEN 'snoozed' THEN 0.8 ELSE 0.65 END
                 THEN (${uuidArray})[1 + floor(power(random(), 1.3) * ${assignees.length})::int] END AS assignee_id,
            CASE WHEN status = 'snoozed' THEN now() + interval '1 hour' + random() * interval '7 days' END AS snoozed_until
       FROM (SELECT k, channel, status,
                    CASE WHEN status = 'closed' THEN ${pick('rr', CLOSED_ROUTE_WEIGHTS)} ELSE ${pick('rr', OPEN_ROUTE_WEIGHTS)} END AS route
               FROM (SELECT k, ${pick('rc', CHANNEL_WEIGHTS)} AS channel,
                            CASE WHEN rs < ${OPEN_SHARE} THEN 'open' WHEN rs < ${OPEN_SHARE + SNOOZED_SHARE} THEN 'snoozed' ELSE 'closed' END AS status, rr
                       FROM (SELECT k, random() AS rc, random() AS rs, random() AS rr FROM generate_series(0, ${CONVERSATIONS - 1}) k) r) s) t`,
  );
  await phase('shape', `CREATE UNIQUE INDEX ON bench_conversation (k); ANALYZE bench_conversation`);

  // Items: the first CONVERSATIONS start one conversation each; the rest follow up, a fifth of
  // them in the 2% of conversations that become long threads.
  const longThreads = Math.max(1, Math.floor(CONVERSATIONS * 0.02));
  const body = `concat_ws(' ', nullif(${oneOf('$1')}, ''), ${fill(`(($2::jsonb -> route) ->> floor(random() * jsonb_array_length($2::jsonb -> route))::int)`, '$4')},
                 nullif(${fill(oneOf('$3'), '$4')}, ''),
                 CASE WHEN random() < ${RARE_SHARE} THEN 'My ' || ${oneOf("($4::jsonb -> 'rel')")} || ' was told about ' || ${oneOf('$6')} || ' and nobody could explain it.' END)`;
  await phase(
    'items',
    `INSERT INTO inbound_item
       (channel, external_id, conversation_id, contact_id, thread_key, received_at, ingested_at, subject, thread_subject, body, url, raw,
        status, route, flags, confidence, reasons, due_at, triaged_at, first_response_at, first_response_automatic, kind)
     SELECT channel, external_id, conversation_id, contact_id, thread_key, received_at, ingested_at, subject, subject, body, url,
            jsonb_build_object('id', external_id, 'text', body, 'created_at', received_at, 'lang', 'en', 'source', 'bench'),
            CASE WHEN answered THEN 'responded' ELSE 'triaged' END, route,
            array_remove(ARRAY[CASE WHEN random() < 0.025 THEN 'pii' END,
                               CASE WHEN extract(isodow FROM received_at AT TIME ZONE 'Europe/London') >= 6
                                      OR extract(hour FROM received_at AT TIME ZONE 'Europe/London') NOT BETWEEN 8 AND 17 THEN 'out_of_hours' END,
                               CASE WHEN route = 'abuse' AND random() < 0.35 THEN 'repeat_offender' END], NULL),
            round((0.55 + random() * 0.45)::numeric, 2)::real,
            jsonb_build_array(jsonb_build_object('signal', route, 'evidence', jsonb_build_array(split_part(body, ' ', 2)))),
            -- Milliseconds, as triage writes it from a JavaScript Date (the queue's cursor carries no more).
            date_trunc('milliseconds', received_at + interval '20 hours' + random() * interval '52 hours'), ingested_at + random() * interval '3 seconds',
            CASE WHEN answered THEN LEAST(now(), received_at + CASE WHEN auto THEN random() * interval '90 seconds'
                                                                    ELSE interval '5 minutes' + power(random(), 2) * interval '30 hours' END) END,
            CASE WHEN answered THEN auto END, 'message'
       FROM (SELECT *, LEAST(now(), received_at + random() * interval '40 seconds') AS ingested_at,
                    ${body} AS body,
                    CASE WHEN channel = 'email' THEN ${fill(oneOf('$5'), '$4')} END AS subject,
                    CASE channel WHEN 'x' THEN 'https://x.com/i/web/status/' || external_id END AS url
               FROM (SELECT c.channel, c.id AS conversation_id, c.contact_id, 'bench-thread-' || c.k AS thread_key, r.route,
                            r.route = ANY (${AUTO_ROUTES}) AS auto,
                            CASE WHEN g.first THEN c.t0 ELSE LEAST(now() - interval '1 minute', c.t0 + power(random(), 2) * interval '3 days') END AS received_at,
                            CASE c.channel WHEN 'x' THEN (1700000000000000000 + g.i)::text WHEN 'x_dm' THEN (1700000000000000000 + g.i)::text
                                           WHEN 'email' THEN '<bench.' || g.i || '@mail.example>'
                                           ELSE (1000000000 + g.k) || '_' || (5000000000 + g.i) END AS external_id,
                            c.status = 'closed' OR NOT c.awaiting OR (NOT g.first AND random() < 0.5) AS answered
                       FROM (SELECT i, i < $7 AS first,
                                    CASE WHEN i < $7 THEN i WHEN random() < 0.2 THEN floor(random() * ${longThreads})::int ELSE floor(random() * $7)::int END AS k
                               FROM generate_series(0, $8 - 1) i) g
                       JOIN bench_conversation c USING (k),
                       LATERAL (SELECT CASE WHEN g.first OR c.priority > 40 OR random() < 0.7 THEN c.route ELSE 'general' END AS route) r) x) y`,
    [JSON.stringify(GREETINGS), JSON.stringify(TEMPLATES), JSON.stringify(FILLERS), JSON.stringify(SLOTS), JSON.stringify(SUBJECTS), JSON.stringify(RARE), CONVERSATIONS, ITEMS],
  );

  // As triage leaves them: due is the earliest unanswered item a person must answer.
  await phase(
    'conversations',
    `INSERT INTO conversation (id, channel, contact_id, thread_key, status, route, priority, due_at, assignee_id, snoozed_until, last_inbound_at, created_at, updated_at)
     SELECT c.id, c.channel, c.contact_id, 'bench-thread-' || c.k, c.status, c.route, c.priority, a.due, c.assignee_id, c.snoozed_until,
            a.last, c.t0, a.last
       FROM bench_conversation c
       JOIN (SELECT conversation_id, max(received_at) AS last,
                    min(due_at) FILTER (WHERE first_response_at IS NULL AND removed_at IS NULL AND NOT (route = ANY (${AUTO_ROUTES}))) AS due
               FROM inbound_item GROUP BY conversation_id) a ON a.conversation_id = c.id`,
  );

  // Strikes for most abuse, and contacts with three or more flagged for a block.
  await phase(
    'strikes',
    `INSERT INTO strike (contact_id, inbound_item_id, reason, created_at)
     SELECT contact_id, id, 'abuse', triaged_at FROM inbound_item WHERE route = 'abuse' AND random() < 0.6;
     UPDATE contact SET flagged_for_block_at = s.at FROM (SELECT contact_id, max(created_at) AS at FROM strike GROUP BY contact_id HAVING count(*) >= 3) s
      WHERE contact.id = s.contact_id`,
  );
  await db.query(`SET session_replication_role = DEFAULT`);

  for (const index of indexes) await db.query(index.def);
  phases.indexes = Number(process.hrtime.bigint() - last) / 1e9;
  last = process.hrtime.bigint();

  const { rows: broken } = await db.query(
    `SELECT (SELECT count(*) FROM inbound_item i WHERE NOT EXISTS (SELECT 1 FROM conversation c WHERE c.id = i.conversation_id))::int
          + (SELECT count(*) FROM inbound_item i WHERE NOT EXISTS (SELECT 1 FROM contact c WHERE c.id = i.contact_id))::int
          + (SELECT count(*) FROM conversation v WHERE NOT EXISTS (SELECT 1 FROM contact c WHERE c.id = v.contact_id))::int AS n`,
  );
  if (broken[0].n !== 0) throw new Error(`seed made ${broken[0].n} dangling references`);
  await phase('check', 'SELECT 1');

  await phase('vacuum analyze', `VACUUM (ANALYZE) inbound_item, conversation, contact, strike, "user"`);
  const { rows: countRows } = await db.query(
    `SELECT (SELECT count(*) FROM inbound_item)::int AS items, (SELECT count(*) FROM contact)::int AS contacts,
            (SELECT count(*) FROM conversation)::int AS conversations,
            (SELECT count(*) FROM conversation WHERE status = 'open')::int AS open,
            (SELECT count(*) FROM conversation WHERE status = 'snoozed')::int AS snoozed,
            (SELECT count(*) FROM conversation WHERE status = 'closed')::int AS closed,
            (SELECT count(*) FROM conversation WHERE status = 'open' AND due_at IS NULL)::int AS "open without due",
            (SELECT count(*) FROM strike)::int AS strikes`,
  );
  const marker: SeedMarker = {
    version: SEED_VERSION,
    items: ITEMS,
    conversations: CONVERSATIONS,
    contacts: CONTACTS,
    schema: schemaFingerprint(),
    seededAt: new Date().toISOString(),
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    phases: Object.entries(phases).map(([k, v]) => [k, Math.round(v * 10) / 10]),
    counts: countRows[0],
  };
  await db.query(`INSERT INTO setting (key, value) VALUES ('bench_seed', $1)`, [JSON.stringify(marker)]);
  return marker;
}

// ---------------------------------------------------------------------------------------------
// HTTP

const client = new BenchClient(PORT);
const call = (method: 'GET' | 'POST', path: string, json?: unknown) => client.call(method, path, json);

const answersHealth = () => fetch(`http://127.0.0.1:${PORT}/health`).then((r) => r.ok, () => false);

async function healthy(): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (desk.exitCode !== null) throw new Error(`the desk exited with code ${desk.exitCode}`);
    if (await answersHealth()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the desk did not become healthy');
}

const queuePath = (query: Record<string, string>) => `/api/queue?${new URLSearchParams(query).toString()}`;

/** (priority, due nulls last, id) as the API promises; uuids compare as their lower-case text. */
function compareRows(a: QueueRow, b: QueueRow): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const da = a.dueAt ? Date.parse(a.dueAt) : Infinity;
  const dbt = b.dueAt ? Date.parse(b.dueAt) : Infinity;
  if (da !== dbt) return da < dbt ? -1 : 1;
  return a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0;
}

const problems: string[] = [];
function problem(text: string): void {
  if (problems.length < 20) console.error(`PROBLEM: ${text}`);
  problems.push(text);
}

/** Checks one page's answer; returns it parsed. */
function checkPage(name: string, answer: Answer, previous?: QueueRow): QueuePage | undefined {
  if (answer.status !== 200) {
    problem(`${name}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
    return undefined;
  }
  const page = JSON.parse(answer.body) as QueuePage;
  const rows = previous ? [previous, ...page.rows] : page.rows;
  for (let i = 1; i < rows.length; i++) {
    if (compareRows(rows[i - 1]!, rows[i]!) >= 0) {
      problem(`${name}: rows out of order at ${i}: ${JSON.stringify([rows[i - 1]!.priority, rows[i - 1]!.dueAt, rows[i - 1]!.conversationId])} then ${JSON.stringify([rows[i]!.priority, rows[i]!.dueAt, rows[i]!.conversationId])}`);
      break;
    }
  }
  return page;
}


// ---------------------------------------------------------------------------------------------

await ensureDatabase(DATABASE_URL);
const db = new pg.Client({ connectionString: DATABASE_URL });
await db.connect();
let marker: SeedMarker | undefined;
let seededNow = false;
{
  const exists = await db.query(`SELECT to_regclass('public.setting') IS NOT NULL AS ok`);
  if (exists.rows[0].ok && !RESEED) {
    const { rows } = await db.query(`SELECT value FROM setting WHERE key = 'bench_seed'`);
    const found = rows[0]?.value as SeedMarker | undefined;
    if (found && found.version === SEED_VERSION && found.items === ITEMS && found.conversations === CONVERSATIONS && found.contacts === CONTACTS && found.schema === schemaFingerprint()) marker = found;
    else if (found) console.log(`bench:desk: database seeded for ${found.items} items, another schema or another seed version; seeding afresh`);
    else if ((await db.query(`SELECT to_regclass('public.inbound_item') IS NOT NULL AS ok`)).rows[0].ok && (await db.query(`SELECT 1 FROM inbound_item LIMIT 1`)).rowCount) {
      // Not a database this bench made: don't wipe it without being asked.
      console.error(`bench:desk: ${databaseName(DATABASE_URL)} holds items but no bench seed; point BENCH_DATABASE_URL elsewhere or set BENCH_RESEED=1 to replace them`);
      process.exit(1);
    }
  }
  if (!marker) {
    console.log(`bench:desk: seeding ${ITEMS.toLocaleString('en-GB')} items, ${CONVERSATIONS.toLocaleString('en-GB')} conversations, ${CONTACTS.toLocaleString('en-GB')} contacts...`);
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    await runMigrations(DATABASE_URL);
    marker = await seed(db);
    seededNow = true;
  } else {
    await runMigrations(DATABASE_URL); // nothing to do unless a migration was added
  }
}
const seedLine = `${seededNow ? 'seeded in' : 'seed reused (made'} ${marker.seconds.toFixed(1)} s${seededNow ? '' : ` on ${marker.seededAt})`}: ${marker.phases.map(([k, v]) => `${k} ${v} s`).join(', ')}`;
console.log(`bench:desk: ${seedLine}`);
const COUNTS = ['items', 'conversations', 'open', 'snoozed', 'closed', 'open without due', 'contacts', 'strikes'];
console.log(`bench:desk: ${COUNTS.map((k) => `${k} ${(marker.counts[k] ?? 0).toLocaleString('en-GB')}`).join(', ')}`);

if (await answersHealth()) {
  console.error(`bench:desk: something already answers on port ${PORT}; set DESK_PORT to a free one`);
  process.exit(1);
}
const staticDir = mkdtempSync(join(tmpdir(), 'bench-desk-static-'));
const desk = spawn(process.execPath, [join(ROOT, DIST, 'apps/desk/src/main.js')], {
  env: {
    PATH: process.env.PATH,
    DATABASE_URL,
    REDIS_URL,
    QUEUE_PREFIX: PREFIX,
    DESK_PORT: String(PORT),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DESK_STATIC_DIR: staticDir,
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const deskExit = new Promise((resolve) => desk.once('exit', resolve));
try {
  await healthy();
  const login = await client.login(ME, PASSWORD);
  const me = (JSON.parse(login.body) as { user: { id: string } }).user.id;

  // The cursor walk: DEEP pages from the first, checking order across pages and that no
  // conversation comes twice; the next page is the deep case.
  const seen = new Set<string>();
  let cursor: string | null = null;
  let previous: QueueRow | undefined;
  let deepPages = 0;
  for (let i = 0; i < DEEP; i++) {
    const page = checkPage(`walk page ${i + 1}`, await call('GET', queuePath(cursor ? { cursor } : {})), previous);
    if (!page) break;
    for (const row of page.rows) if (seen.has(row.conversationId)) problem(`walk page ${i + 1}: conversation ${row.conversationId} seen before`);
    if (!page.nextCursor) {
      console.warn(`walk: the open queue ended after ${i + 1} pages; the deep case times page ${i + 1}`);
      break;
    }
    for (const row of page.rows) seen.add(row.conversationId);
    previous = page.rows.at(-1);
    cursor = page.nextCursor;
    deepPages = i + 1;
  }
  const deepCursor = cursor ?? '';

  const cases: Array<{ name: string; query: Record<string, string> }> = [
    { name: 'first page (open, 50)', query: {} },
    { name: `deep page (after ${deepPages} cursors)`, query: deepCursor ? { cursor: deepCursor } : {} },
    { name: 'channel=instagram', query: { channel: 'instagram' } },
    { name: 'route=media', query: { route: 'media' } },
    { name: 'assignee=me', query: { assignee: 'me' } },
    { name: 'assignee=none', query: { assignee: 'none' } },
    { name: 'flag=pii', query: { flag: 'pii' } },
    { name: 'status=closed', query: { status: 'closed' } },
    { name: `search common word "${COMMON_WORD}"`, query: { q: COMMON_WORD } },
    { name: `search very common word "${VERY_COMMON_WORD}"`, query: { q: VERY_COMMON_WORD } },
    { name: `search rare word "${RARE_WORD}"`, query: { q: RARE_WORD } },
    { name: `search author handle "${HANDLE_PREFIX}"`, query: { q: HANDLE_PREFIX } },
  ];
  const timings = cases.map(() => [] as number[]);
  const rowCounts = cases.map(() => new Set<number>());
  for (let round = -WARMUP; round < REQUESTS; round++) {
    // Round robin, so a busy moment on a shared machine falls on every case alike.
    for (const [i, c] of cases.entries()) {
      const answer = await call('GET', queuePath(c.query));
      const page = checkPage(c.name, answer, c.query.cursor ? previous : undefined);
      if (round < 0) continue;
      timings[i]!.push(answer.ms);
      if (!page) continue;
      rowCounts[i]!.add(page.rows.length);
      if (c.query.assignee === 'me' && page.rows.some((r) => r.assignee?.id !== me)) problem(`${c.name}: a row assigned to someone else`);
      if (c.query.channel && page.rows.some((r) => r.channel !== c.query.channel)) problem(`${c.name}: a row on another channel`);
      if (c.query.route && page.rows.some((r) => r.route !== c.query.route)) problem(`${c.name}: a row on another route`);
      if (c.query.flag && page.rows.some((r) => !r.flags.includes(c.query.flag as QueueRow['flags'][number]))) problem(`${c.name}: a row without the flag`);
      if (page.rows.some((r) => r.status !== (c.query.status ?? 'open'))) problem(`${c.name}: a row of another status`);
      if (c.query.cursor && page.rows.some((r) => seen.has(r.conversationId))) problem(`${c.name}: a conversation from an earlier page`);
    }
  }

  const stats = cases.map((c, i) => {
    const sorted = [...timings[i]!].sort((a, b) => a - b);
    return { name: c.name, query: c.query.cursor ? { cursor: '…' } : c.query, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1)!, rows: [...rowCounts[i]!].sort((a, b) => a - b).join('–') };
  });
  const all = timings.flat().sort((a, b) => a - b);
  const overallP95 = percentile(all, 95);
  const worst = stats.reduce((w, s) => (s.p95 > w.p95 ? s : w));
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  const ms = (v: number) => v.toFixed(1);
  const n = (v: number) => v.toLocaleString('en-GB');
  const table = [
    `Queue API benchmark: GET /api/queue over HTTP, one keep-alive connection, sequential, ${REQUESTS} timed requests per case after ${WARMUP} warm-up rounds, round robin; node ${process.version}`,
    `Data: ${n(marker.counts.items!)} items, ${n(marker.counts.conversations!)} conversations (${n(marker.counts.open!)} open, ${n(marker.counts.snoozed!)} snoozed), ${n(marker.counts.contacts!)} contacts; ${seedLine}; load average ${load}`,
    '',
    '| case | p50 ms | p95 ms | p99 ms | max ms | rows |',
    '|---|---:|---:|---:|---:|---:|',
    ...stats.map((s) => `| ${s.name} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${s.rows} |`),
    `| **all cases** | ${ms(percentile(all, 50))} | **${ms(overallP95)}** | ${ms(percentile(all, 99))} | ${ms(all.at(-1)!)} | |`,
    '',
    `queue API p95 at ${n(marker.counts.items!)} items: ${ms(stats[0]!.p95)} ms (first page), ${ms(worst.p95)} ms (worst case: ${worst.name})`,
  ].join('\n');
  console.log(table);
  for (const s of stats) if (s.p95 > SLOW_MS) console.warn(`slow: ${s.name} p95 ${ms(s.p95)} ms > ${SLOW_MS} ms`);
  const result = { at: new Date().toISOString(), node: process.version, load, seed: marker, seededNow, requests: REQUESTS, warmup: WARMUP, overallP95, cases: stats, problems };
  mkdirSync(join(ROOT, 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'results', 'bench-desk.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(ROOT, 'results', 'bench-desk.md'), `${table}\n`);
  if (problems.length) {
    console.error(`FAILED: ${problems.length} problem(s) in the answers`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`bench:desk: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
} finally {
  client.agent.destroy();
  desk.kill('SIGTERM');
  await deskExit;
  await db.end();
  rmSync(staticDir, { recursive: true, force: true });
  // Leave nothing of the run in Redis; the database stays for the next run.
  const redis = new Redis(REDIS_URL);
  let next = '0';
  do {
    const [cursorNext, keys] = await redis.scan(next, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
    next = cursorNext;
    if (keys.length) await redis.del(...keys);
  } while (next !== '0');
  await redis.quit();
}
