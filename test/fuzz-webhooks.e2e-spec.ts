/**
 * Malformed and hostile input against every webhook route ingest serves, with fast-check, on a
 * real ingest process: random bytes, random JSON, plausible deliveries with wrong types, missing
 * fields, huge strings, deep nesting, unicode and control characters, bad and truncated signatures,
 * wrong content types, and (the interesting case) correctly signed deliveries whose content is
 * garbage. The routes (from the controllers):
 *
 *   POST /webhooks/meta   signed delivery        GET /webhooks/meta   subscription handshake
 *   POST /webhooks/x      signed delivery        GET /webhooks/x      CRC challenge
 *
 * What is promised (webhook-errors.ts, the controllers and the parsers) and checked here: a bad
 * signature is 401 before anything is parsed; a signed body that is not a delivery at all is 400
 * "malformed"; a body over the cap is 413; every refusal is JSON `{ error, message }`; a signed
 * delivery is 200 `{ received, stored, ignored }` in which every unusable event is counted as
 * ignored (and logged with its reason), never dropped silently, while the usable events beside it
 * are stored; no 5xx, no hang, no crash, no log line that is not JSON. Last, hostile mail dropped in
 * the same process's spool: every message stored (unreadable ones flagged, their bytes kept), and
 * the webhooks answering all the while (the email reader's own fuzzing is read-mail.fuzz.spec.ts).
 *
 * One fast-check seed for the whole run: FUZZ_SEED=<n> to explore others (fast-check prints the
 * seed and path of a failure, so `FUZZ_SEED=<seed>` replays it).
 */
import { jest } from '@jest/globals';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { FAKE_CREDENTIALS, redisConnectionOptions } from '@desk/config';
import { ensureDatabase, runMigrations } from '@desk/persistence';
import { metaSignature } from './fakes/meta-webhook.js';
import { expectedCrcAnswer, freshId, signXBody } from './fakes/x-webhook.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';

const PORT = 4800;
const BASE = `http://127.0.0.1:${PORT}`;
const BODY_LIMIT = 64 * 1024;
/** Every request answers well within this; past it the request is aborted and the case fails as a hang. */
const REQUEST_TIMEOUT_MS = 5_000;
const SEED = Number(process.env.FUZZ_SEED ?? 92026);
const US = FAKE_CREDENTIALS.x.userId;
const PAGE_ID = FAKE_CREDENTIALS.meta.pageIds[0];
const VERIFY_TOKEN = FAKE_CREDENTIALS.meta.verifyToken;

const prefix = testQueuePrefix('fuzz');
const redis = testRedis();
// A database of its own: the counts and the mail checks below are of everything stored, so no other
// suite's items may be in it, whatever order the suites run in.
const DATABASE_URL = TEST_DATABASE_URL.replace(/\/[^/]+$/, '/desk_test_fuzz_suite');
const db = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
const triage = new Queue('triage', { connection: redisConnectionOptions(TEST_REDIS_URL), prefix });
const spoolDir = mkdtempSync(join(tmpdir(), 'desk-fuzz-spool-'));
let ingest: RunningService;
let pid: number;
/** Items stored by this file's deliveries, as the answers reported them. */
let storedTotal = 0;
/** Answers by route and status, printed at the end: what the cases really exercised. */
const tally: Record<string, Record<number, number>> = {};
function count(route: string, status: number): void {
  tally[route] = { ...tally[route], [status]: (tally[route]?.[status] ?? 0) + 1 };
}

/** FUZZ_SCALE=10 runs ten times the cases (for a long local run); FUZZ_SHRINK=1 shrinks a failure (slow over HTTP). */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
// Each property takes a few seconds at scale 1; the time allowed grows with the cases asked for.
jest.setTimeout(30_000 * Math.max(1, SCALE) * (process.env.FUZZ_SHRINK ? 10 : 1));
function check<T>(property: fc.IAsyncProperty<T>, numRuns: number, examples: T[] = []): Promise<void> {
  return fc.assert(property, { seed: SEED, numRuns: Math.ceil(numRuns * SCALE), examples, endOnFailure: !process.env.FUZZ_SHRINK });
}

beforeAll(async () => {
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL);
  await db.query(`TRUNCATE inbound_item, inbound_attachment, conversation, contact, outbound_message, strike, checkpoint CASCADE`);
  await cleanPrefix(redis, prefix);
  ingest = await startHealthy('ingest', PORT, {
    DATABASE_URL,
    QUEUE_PREFIX: prefix,
    X_USER_ID: US,
    X_POLL_INTERVAL_MS: '0',
    WEBHOOK_BODY_LIMIT_BYTES: String(BODY_LIMIT),
    MAIL_SPOOL_DIR: spoolDir,
  });
  pid = (await health()).pid;
  expect(pid).toBe(ingest.process.pid);
}, 60_000);

afterAll(async () => {
  await ingest?.stop();
  await triage.close();
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
  rmSync(spoolDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Talking to ingest, and what every answer must look like.

interface Answer {
  status: number;
  contentType: string;
  text: string;
  json: unknown;
}

interface Outgoing {
  method?: string;
  path: string;
  body?: Buffer | string | ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
}

async function send({ method = 'POST', path, body, headers = {} }: Outgoing): Promise<Answer> {
  const stream = body instanceof ReadableStream;
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    ...(stream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const text = await res.text();
  count(`${method} ${path.split('?')[0]}`, res.status);
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}

async function health(): Promise<{ status: string; pid: number }> {
  const res = await fetch(`${BASE}/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  expect(res.status).toBe(200);
  return (await res.json()) as { status: string; pid: number };
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A refusal a sender can act on: 4xx, JSON, a short machine code and a readable message. */
function expectRefusal(answer: Answer, status: number, code?: string): void {
  expect({ status: answer.status, body: answer.text.slice(0, 300) }).toMatchObject({ status });
  expect(answer.contentType).toMatch(/^application\/json/);
  const body = answer.json as { error?: unknown; message?: unknown };
  expect(typeof body?.error).toBe('string');
  expect(typeof body?.message).toBe('string');
  if (code) expect(body.error).toBe(code);
  const message = body.message as string;
  expect(message.length).toBeGreaterThan(0);
  expect(message.length).toBeLessThanOrEqual(300);
  expect(message).not.toMatch(CONTROL);
}

interface Delivery {
  received: number;
  stored: number;
  ignored: number;
}

function expectDelivery(answer: Answer, expected?: Delivery): Delivery {
  expect({ status: answer.status, body: answer.text.slice(0, 300) }).toMatchObject({ status: 200 });
  const body = answer.json as Delivery;
  expect(Object.keys(body).sort()).toEqual(['ignored', 'received', 'stored']);
  for (const n of Object.values(body)) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
  expect(body.stored + body.ignored).toBeLessThanOrEqual(body.received);
  if (expected) expect(body).toEqual(expected);
  storedTotal += body.stored;
  return body;
}

async function itemCount(): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_item');
  return rows[0]!.n;
}

async function bodiesOf(channel: string, ids: string[]): Promise<Map<string, string>> {
  const { rows } = await db.query<{ external_id: string; body: string }>(
    'SELECT external_id, body FROM inbound_item WHERE channel = $1 AND external_id = ANY($2)',
    [channel, ids],
  );
  return new Map(rows.map((r) => [r.external_id, r.body]));
}

/**
 * Runs `work` and checks that the database gained exactly the items the answers reported as
 * stored meanwhile: nothing is stored behind a refusal, and nothing beside what a delivery counts.
 */
async function storing(work: () => Promise<void>): Promise<void> {
  const [before, reported] = [await itemCount(), storedTotal];
  await work();
  expect(await itemCount()).toBe(before + storedTotal - reported);
}

// ---------------------------------------------------------------------------------------------
// Hostile values.

/** Characters that have broken parsers, databases, logs and screens before. */
const NASTY = fc.constantFrom(
  '\u0000', '\u0001', '\u0007', '\b', '\u001b[31m', '\u007f', '\u0085', '\u00a0', '\u2028', '\u2029', '\u202e', '\u2066',
  '\u200b', '\ufeff', '\ud800', '\udbff', '\udc00', '\udfff', '\ufffd', '\uffff', '\r\n', '\n', '\r', '\t', '"', '\\', "'",
  '<script>alert(1)</script>', '%00', '%s%n', '${x}', '{{7*7}}', '../../etc/passwd', '\u0301\u0301\u0301', '🏥', '👩🏽‍⚕️',
  '𝕳𝖊𝖑𝖑𝖔', 'ﷺ', '\u0000\u0000', 'null', 'undefined', 'NaN', '__proto__', 'constructor', 'toString',
);
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 120 }) },
  { weight: 3, arbitrary: fc.array(fc.oneof(NASTY, loneSurrogate, fc.string({ maxLength: 6 })), { maxLength: 40 }).map((a) => a.join('')) },
  // Huge: past the 10,000 (Meta) and 25,000 (X) character caps, sometimes past the body limit.
  { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }), NASTY), fc.integer({ min: 3_000, max: 30_000 })).map(([s, n]) => s.repeat(n).slice(0, 60_000)) },
);

/** Any JSON value, including the deep and the wide. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, -0, 2 ** 53 + 1, 1.5, '', [], {}) },
  { weight: 1, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map(deep) },
);

/**
 * A value nested `depth` levels deep, in objects and arrays by turns. It stands in the generated
 * value as a marker and is written out only by `serialise`: a real object that deep would overflow
 * the stack of the test's own JSON.stringify and of fast-check's printing of a counterexample.
 */
function deep(depth: number): string {
  return `__deep:${depth}__`;
}
const DEEP = /^__deep:(\d+)__$/;

function deepText(depth: number): string {
  const opens = Array.from({ length: depth }, (_, i) => (i % 2 ? '[' : '{"a":'));
  const closes = Array.from({ length: depth }, (_, i) => (i % 2 ? ']' : '}')).reverse();
  return `${opens.join('')}"deep"${closes.join('')}`;
}

/** JSON text of a generated value, with its deep markers written out. */
function serialise(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/"__deep:(\d+)__"/g, (_, n: string) => deepText(Number(n)));
}

/** A string as the server sees it: a deep marker is an object there. */
function isText(value: unknown): value is string {
  return typeof value === 'string' && !DEEP.test(value);
}

/** What is not a JSON object: what a delivery's parts must be, and sometimes are not. */
const notAnObject = fc.oneof(fc.jsonValue({ maxDepth: 2 }).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)), fc.constant(null), fc.constant([]));

/** A value that is not a usable id by `valid`: wrong strings, unsafe numbers, other types. */
function badId(valid: RegExp): fc.Arbitrary<unknown> {
  return fc
    .oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('', ' 1', '1 ', '12a', '-', '1.5', '١٢٣', '1\u0000', '9'.repeat(300), '1e5', '0x10', '1_2'),
      fc.constantFrom(-1, 1.5, 2 ** 53, 1e21, Number.MAX_VALUE, true, null),
      fc.jsonValue({ maxDepth: 1 }).filter((v) => typeof v === 'object'),
    )
    // Meta also takes safe non-negative integers as ids; X only strings.
    .filter((v) => (typeof v === 'string' ? !valid.test(v) : !(valid === META_ID && Number.isSafeInteger(v) && (v as number) >= 0)));
}

/** Extra keys a sender may add beside the ones we read; never ones the parsers read. */
function extraKeys(reserved: string[]): fc.Arbitrary<Array<[string, unknown]>> {
  return fc.uniqueArray(
    fc.tuple(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '')), fc.jsonValue({ maxDepth: 2 })),
    { maxLength: 4, selector: ([k]) => k },
  ).map((pairs) => pairs.filter(([k]) => !reserved.includes(k)));
}

/** An object with these own keys, `__proto__` included (a literal or spread would set the prototype). */
function objectOf(entries: Array<[string, unknown]>): Record<string, unknown> {
  return Object.fromEntries(entries);
}

/** The text stored: cut at the channel's cap (UTF-16 units, never half a pair), what Postgres refuses replaced. */
function storedText(text: unknown, max: number): string {
  if (!isText(text)) return '';
  let t = text.length <= max ? text : text.slice(0, max);
  if (text.length > max && /[\uD800-\uDBFF]$/.test(t)) t = t.slice(0, -1);
  // eslint-disable-next-line no-control-regex
  return t.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

let serial = 0;
/** A Graph-style numeric id of this run, never one another case used. */
function metaId(): string {
  serial += 1;
  return `7${String(Date.now() % 1e9).padStart(9, '0')}${serial}`;
}

// ---------------------------------------------------------------------------------------------
// Random bytes and random JSON, signed and not.

const randomBytes = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 512 }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: BODY_LIMIT - 64, maxLength: BODY_LIMIT + 64 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map((s) => new TextEncoder().encode(s)) },
).map((bytes) => Buffer.from(bytes));

const randomJsonBody = anyJson.map((v) => Buffer.from(serialise(v)));

/** Content types a sender might use (the signature is over the bytes, whatever they are called). */
const contentType = fc.oneof(
  fc.constantFrom(
    'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', '*/*', 'application/json; charset=utf-16',
    'application/json; charset=\u00ff', ';;;', '', 'application/json, text/html',
  ),
  fc.string({ maxLength: 40 }).filter((s) => !/[\r\n\0]/.test(s)),
);

/** A header value fetch will send (no CR, LF or NUL; Latin-1 only); anything else is refused client-side. */
const headerValue = fc.string({ unit: 'binary', maxLength: 90 }).map((s) => [...s].filter((c) => c.charCodeAt(0) > 0x1f && c.charCodeAt(0) < 0x100 && c !== '\u007f').join(''));

interface Route {
  name: 'meta' | 'x';
  path: string;
  header: string;
  sign: (body: Buffer | string) => string;
}

const META: Route = { name: 'meta', path: '/webhooks/meta', header: 'x-hub-signature-256', sign: (body) => metaSignature(body) };
const X: Route = { name: 'x', path: '/webhooks/x', header: 'x-twitter-webhooks-signature', sign: (body) => signXBody(body) };

/** Ways to spoil a correct signature, as data so a failure prints readably; the signature itself is made per run. */
type Spoil =
  | { kind: 'none' | 'uppercase' | 'no-prefix' | 'sha1' | 'other-secret' | 'hex-for-base64' | 'no-padding' | 'doubled' | 'appended' }
  | { kind: 'truncated'; at: number }
  | { kind: 'one-char'; at: number }
  | { kind: 'junk'; value: string };

const spoil: fc.Arbitrary<Spoil> = fc.oneof(
  fc.constantFrom<Spoil>(
    { kind: 'none' }, { kind: 'uppercase' }, { kind: 'no-prefix' }, { kind: 'sha1' }, { kind: 'other-secret' },
    { kind: 'hex-for-base64' }, { kind: 'no-padding' }, { kind: 'doubled' }, { kind: 'appended' },
  ),
  fc.nat().map((at): Spoil => ({ kind: 'truncated', at })),
  fc.nat().map((at): Spoil => ({ kind: 'one-char', at })),
  headerValue.map((value): Spoil => ({ kind: 'junk', value })),
);

/**
 * The header a spoiled signature sends (null: none), and whether it still proves the body: only an
 * upper-cased hex digest does (Meta's hex is case-insensitive; X's base64 is not).
 */
function spoiled(route: Route, good: string, how: Spoil): { value: string | null; valid: boolean } {
  const digest = good.slice('sha256='.length);
  switch (how.kind) {
    case 'none':
      return { value: null, valid: false };
    case 'uppercase':
      return { value: `sha256=${digest.toUpperCase()}`, valid: route.name === 'meta' || digest === digest.toUpperCase() };
    case 'no-prefix':
      return { value: digest, valid: false };
    case 'sha1':
      return { value: `sha1=${createHash('sha1').update(digest).digest('hex')}`, valid: false };
    case 'other-secret':
      return { value: route.name === 'meta' ? metaSignature('', 'another-secret') : signXBody('', 'another-secret'), valid: false };
    case 'hex-for-base64':
      return { value: route.name === 'meta' ? `sha256=${Buffer.from(digest, 'hex').toString('base64')}` : `sha256=${Buffer.from(digest, 'base64').toString('hex')}`, valid: false };
    case 'no-padding':
      return { value: good.replace(/=+$/, '').slice(0, -1), valid: false };
    case 'doubled':
      return { value: `${good}, ${good}`, valid: false };
    case 'appended':
      return { value: `${good}0`, valid: false };
    case 'truncated':
      return { value: good.slice(0, how.at % good.length), valid: false };
    case 'one-char': {
      // A character of the digest, changed to another (never the "=" padding: that would break the format only).
      const i = 7 + (how.at % (route.name === 'meta' ? digest.length : digest.length - 1));
      const other = good[i] === 'A' || good[i] === 'a' ? 'B' : 'A';
      return { value: good.slice(0, i) + other + good.slice(i + 1), valid: false };
    }
    case 'junk':
      return { value: how.value, valid: false };
  }
}

function headersFor(route: Route, body: Buffer | string, signature: string | null | undefined = route.sign(body), type = 'application/json'): Record<string, string> {
  return { 'content-type': type, ...(signature === null ? {} : { [route.header]: signature }) };
}

describe.each([META, X])('POST $path: bytes and JSON', (route) => {
  it('refuses unsigned or wrongly signed bodies of any kind with 401 bad_signature (413 past the cap), storing nothing', async () => {
    const badSignature = fc.oneof(
      fc.constant(null),
      headerValue,
      fc.constant(route.sign('something else')),
      fc.constant(route.name === 'meta' ? metaSignature('x', FAKE_CREDENTIALS.x.consumerSecret) : signXBody('x', FAKE_CREDENTIALS.meta.appSecret)),
    );
    await storing(() =>
      check(
        fc.asyncProperty(fc.oneof(randomBytes, randomJsonBody), badSignature, contentType, async (body, signature, type) => {
          const answer = await send({ path: route.path, body, headers: headersFor(route, body, signature, type) });
          if (body.length > BODY_LIMIT) expectRefusal(answer, 413, 'payload_too_large');
          else expectRefusal(answer, 401, 'bad_signature');
        }),
        500,
        [[Buffer.from('{not json'), null, 'application/json']],
      ),
    );
  });

  it('answers correctly signed random bytes and random JSON with 400 malformed, or 200 with nothing stored; never 5xx', async () => {
    await storing(() =>
      check(
        fc.asyncProperty(fc.oneof(randomBytes, randomJsonBody), contentType, async (body, type) => {
          const answer = await send({ path: route.path, body, headers: headersFor(route, body, undefined, type) });
          if (body.length > BODY_LIMIT) return expectRefusal(answer, 413, 'payload_too_large');
          if (answer.status === 400) return expectRefusal(answer, 400, 'malformed');
          expect(expectDelivery(answer).stored).toBe(0);
        }),
        700,
        [[Buffer.alloc(0), 'application/json'], [Buffer.from('[[[[[[[[[['), 'text/plain'], [Buffer.from(deepText(20_000)), 'application/json']],
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Meta: plausible deliveries, correctly signed.

type Channel = 'facebook' | 'instagram';
const COMMENT_FIELD = { facebook: 'feed', instagram: 'comments' } as const;
const OBJECT_OF = { facebook: 'page', instagram: 'instagram' } as const;
const META_ID = /^[0-9A-Za-z_-]{1,128}$/;

/** One change as planned: garbage (must be counted as ignored) or a usable comment (must be stored). */
type MetaChange = { usable: false; change: unknown } | { usable: true; value: Record<string, unknown> };
type MetaEntry = { shape: 'garbage'; entry: unknown } | { shape: 'entry'; extra: Array<[string, unknown]>; time: unknown; changes: MetaChange[] };

/** An author who is not us, in any of the shapes Meta has used, or none. */
const someoneElse = fc
  .oneof(
    fc.record({ id: fc.oneof(fc.constant('100000000000001'), fc.nat().map(String), hostileText, badId(META_ID)), name: fc.oneof(hostileText, anyJson) }, { requiredKeys: [] }),
    fc.record({ id: fc.nat().map(String), username: hostileText }, { requiredKeys: ['id'] }),
    anyJson,
  )
  .filter((from) => !JSON.stringify(from ?? null).includes(PAGE_ID));

const metaTime = fc.oneof(
  fc.integer({ min: 0, max: 2_000_000_000 }),
  fc.constantFrom('0000-01-01T00:00Z', '9999-12-31T23:59:59.999999999+99:99', '2026-02-30T25:61:61Z', '1', '9'.repeat(16), 1e300, -1, 0, Number.MAX_SAFE_INTEGER),
  anyJson,
);

function garbageMetaChange(channel: Channel): fc.Arbitrary<unknown> {
  const field = COMMENT_FIELD[channel];
  const common = [
    notAnObject,
    fc.record({ field: fc.oneof(hostileText, anyJson).filter((f) => f !== field), value: anyJson }, { requiredKeys: ['value'] }),
    fc.record({ field: fc.constant(field), value: notAnObject }),
  ];
  const facebook = [
    fc.record({ field: fc.constant(field), value: fc.record({ item: fc.oneof(hostileText, anyJson, fc.constantFrom('post', 'reaction', 'status', 'Comment')).filter((i) => i !== 'comment'), comment_id: fc.nat().map(String), verb: fc.constant('add') }) }),
    fc.record({ field: fc.constant(field), value: fc.record({ item: fc.constant('comment'), comment_id: badId(META_ID), verb: fc.constantFrom('add', 'edited', 'remove', 'hide'), message: hostileText }) }),
    fc.record({ field: fc.constant(field), value: fc.record({ item: fc.constant('comment'), comment_id: fc.nat().map(String), verb: fc.oneof(hostileText, anyJson, fc.constantFrom('ADD', 'add ', 'delete', 'edit', 'constructor')).filter((v) => !['add', 'edited', 'remove', 'hide', 'unhide'].includes(v as string)) }) }),
    fc.record({ field: fc.constant(field), value: fc.record({ item: fc.constant('comment'), comment_id: fc.nat().map(String), verb: fc.constant('add'), from: fc.constant({ id: PAGE_ID, name: 'Our Trust' }), message: hostileText }) }),
  ];
  const instagram = [
    fc.record({ field: fc.constant(field), value: fc.record({ id: badId(META_ID), text: hostileText, from: someoneElse }) }),
    fc.record({ field: fc.constant(field), value: fc.record({ id: fc.nat().map(String), text: hostileText, from: fc.constant({ id: PAGE_ID, username: 'our.trust' }) }) }),
  ];
  return fc.oneof(...common, ...(channel === 'facebook' ? facebook : instagram));
}

/** A comment that must be stored, whatever else its fields carry; its id is filled in per run. */
function usableMetaValue(channel: Channel): fc.Arbitrary<Record<string, unknown>> {
  if (channel === 'facebook') {
    return fc.record(
      {
        item: fc.constant('comment'),
        verb: fc.constant('add'),
        message: fc.oneof({ weight: 5, arbitrary: hostileText }, { weight: 1, arbitrary: anyJson }),
        from: someoneElse,
        post_id: fc.oneof(fc.constant(`${PAGE_ID}_1`), anyJson),
        parent_id: anyJson,
        created_time: metaTime,
        permalink_url: fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'https://user:pw@facebook.com/x', 'https://facebook.com.evil.example/'), hostileText),
        sender_name: hostileText,
      },
      { requiredKeys: ['item', 'verb'] },
    );
  }
  return fc.record(
    {
      text: fc.oneof({ weight: 5, arbitrary: hostileText }, { weight: 1, arbitrary: anyJson }),
      from: someoneElse,
      media: fc.oneof(fc.record({ id: fc.oneof(fc.nat().map(String), anyJson), media_product_type: hostileText }), anyJson),
      parent_id: anyJson,
      timestamp: metaTime,
      permalink: fc.oneof(fc.webUrl(), hostileText),
    },
    { requiredKeys: [] },
  );
}

function metaEntry(channel: Channel): fc.Arbitrary<MetaEntry> {
  const change: fc.Arbitrary<MetaChange> = fc.oneof(
    garbageMetaChange(channel).map((c) => ({ usable: false as const, change: c })),
    usableMetaValue(channel).map((value) => ({ usable: true as const, value })),
  );
  return fc.oneof(
    { weight: 1, arbitrary: fc.oneof(notAnObject, fc.record({ id: anyJson, time: anyJson, changes: notAnObject.filter((c) => !Array.isArray(c)) }, { requiredKeys: [] }), fc.constant({ messaging: [{ message: { text: 'hi' } }] })).map((entry) => ({ shape: 'garbage' as const, entry })) },
    { weight: 4, arbitrary: fc.record({ shape: fc.constant('entry' as const), extra: extraKeys(['id', 'time', 'changes', 'messaging', 'standby']), time: metaTime, changes: fc.array(change, { maxLength: 5 }) }) },
  );
}

/** A whole delivery, the events it must count, and the comments it must store (ids filled per run). */
function buildMeta(channel: Channel, extra: Array<[string, unknown]>, entries: MetaEntry[]) {
  const stored: Array<{ id: string; text: string }> = [];
  let received = 0;
  const entry = entries.map((e) => {
    received += e.shape === 'garbage' ? 1 : e.changes.length;
    if (e.shape === 'garbage') return e.entry;
    const changes = e.changes.map((c) => {
      if (!c.usable) return c.change;
      const id = metaId();
      stored.push({ id, text: storedText(channel === 'facebook' ? c.value.message : c.value.text, 10_000) });
      const value = channel === 'facebook' ? { ...c.value, comment_id: id } : { ...c.value, id };
      return { field: COMMENT_FIELD[channel], value };
    });
    return objectOf([...e.extra, ['id', channel === 'facebook' ? PAGE_ID : '0'], ['time', e.time], ['changes', changes]]);
  });
  const payload = objectOf([...extra, ['object', OBJECT_OF[channel]], ['entry', entry]]);
  return { payload, received, stored };
}

describe('POST /webhooks/meta: correctly signed deliveries with garbage inside', () => {
  const channel = fc.constantFrom<Channel>('facebook', 'instagram');
  const delivery = channel.chain((c) => fc.tuple(fc.constant(c), extraKeys(['object', 'entry']), fc.array(metaEntry(c), { maxLength: 4 })));

  it('counts every unusable entry and change as ignored, stores every usable comment beside them, and nothing else', async () => {
    await storing(() =>
      check(
        fc.asyncProperty(delivery, contentType, async ([c, extra, entries], type) => {
          const { payload, received, stored } = buildMeta(c, extra, entries);
          const body = serialise(payload);
          const answer = await send({ path: META.path, body, headers: headersFor(META, body, undefined, type) });
          if (Buffer.byteLength(body) > BODY_LIMIT) return expectRefusal(answer, 413, 'payload_too_large');
          expectDelivery(answer, { received, stored: stored.length, ignored: received - stored.length });
          const rows = await bodiesOf(c, stored.map((s) => s.id));
          for (const s of stored) expect(rows.get(s.id)).toBe(s.text);
        }),
        450,
      ),
    );
  });

  it('ignores, as one event, a delivery for an object it does not handle, whatever it carries', async () => {
    const object = fc.oneof(
      fc.constantFrom('user', 'permissions', 'whatsapp_business_account', 'Page', 'INSTAGRAM', '', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'),
      fc.string({ unit: 'binary', maxLength: 20 }),
    ).filter((o) => o !== 'page' && o !== 'instagram');
    await storing(() =>
      check(
        fc.asyncProperty(object, channel.chain((c) => fc.array(metaEntry(c), { maxLength: 3 })), async (o, entries) => {
          const { payload } = buildMeta('instagram', [], entries);
          const body = serialise({ ...payload, object: o });
          const answer = await send({ path: META.path, body, headers: headersFor(META, body) });
          if (Buffer.byteLength(body) > BODY_LIMIT) return expectRefusal(answer, 413, 'payload_too_large');
          expectDelivery(answer, { received: 1, stored: 0, ignored: 1 });
        }),
        300,
        // Found by this property: the topic was looked up in an object literal, so these were
        // "handled", and a change without a field was stored as an Instagram comment.
        [
          ['hasOwnProperty', [{ shape: 'entry', extra: [], time: 1, changes: [{ usable: false, change: {} }, { usable: false, change: {} }] }]],
          ['constructor', [{ shape: 'entry', extra: [], time: 1, changes: [{ usable: false, change: { value: { id: '55', text: 'hi', from: { id: '9' } } } }] }]],
          ['toString', []],
        ],
      ),
    );
  });

  it('refuses, with 400 malformed and a reason, a signed body that is not a Meta delivery at all', async () => {
    const shapes = fc.oneof(
      notAnObject.map((body) => ({ body, reason: 'body is not a JSON object' })),
      fc.record({ entry: fc.array(anyJson, { maxLength: 2 }), object: anyJson.filter((o) => typeof o !== 'string') }, { requiredKeys: ['entry'] }).map((body) => ({ body, reason: 'no "object" field' })),
      fc.record({ object: fc.constantFrom('page', 'instagram', 'user'), entry: anyJson.filter((e) => !Array.isArray(e)) }, { requiredKeys: ['object'] }).map((body) => ({ body, reason: 'no "entry" array' })),
    );
    await storing(() =>
      check(
        fc.asyncProperty(shapes, async ({ body, reason }) => {
          const text = serialise(body);
          const answer = await send({ path: META.path, body: text, headers: headersFor(META, text) });
          if (Buffer.byteLength(text) > BODY_LIMIT) return expectRefusal(answer, 413, 'payload_too_large');
          expectRefusal(answer, 400, 'malformed');
          expect((answer.json as { message: string }).message).toBe(reason);
        }),
        300,
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// X: plausible deliveries, correctly signed.

const SNOWFLAKE = /^[0-9]{1,20}$/;
const X_HANDLED = ['for_user_id', 'user_has_blocked', 'tweet_create_events', 'direct_message_events', 'users', 'apps'];

type XItem = { usable: false; event: unknown } | { usable: true; kind: 'tweet' | 'dm'; fields: Record<string, unknown> };

const notUs = (value: unknown) => !JSON.stringify(value ?? null).includes(US);
const someXUser = fc
  .oneof(
    fc.record({ id_str: fc.oneof(fc.nat().map(String), badId(SNOWFLAKE)), screen_name: fc.oneof(hostileText, fc.constantFrom('ok_handle', '../x', 'a b')), name: hostileText }, { requiredKeys: [] }),
    anyJson,
  )
  .filter(notUs);
const xTime = fc.oneof(fc.constantFrom('Wed Oct 10 20:19:24 +0000 2018', 'Fri Feb 30 99:99:99 +9999 0000', 'Mon Xyz 01 00:00:00 +0000 2020', '0', '9'.repeat(15)), anyJson);

const garbageTweet = fc.oneof(
  notAnObject,
  fc.record({ id_str: badId(SNOWFLAKE), text: hostileText, user: someXUser }, { requiredKeys: ['id_str'] }),
  fc.record({ id_str: fc.nat().map(String), text: hostileText, user: fc.constant({ id_str: US, screen_name: 'NHSTrustComms' }) }),
  fc.record({ id_str: fc.nat().map(String), text: hostileText, user: someXUser, retweeted_status: fc.dictionary(fc.string(), anyJson, { maxKeys: 3 }) }),
);

const garbageDm = fc.oneof(
  notAnObject,
  fc.record({ type: fc.oneof(hostileText, anyJson).filter((t) => t !== 'message_create'), id: fc.nat().map(String) }, { requiredKeys: [] }),
  fc.record({ type: fc.constant('message_create'), id: badId(SNOWFLAKE), message_create: anyJson }),
  fc.record({ type: fc.constant('message_create'), id: fc.nat().map(String), message_create: fc.record({ sender_id: badId(SNOWFLAKE), target: fc.constant({ recipient_id: US }) }, { requiredKeys: [] }) }),
  fc.record({ type: fc.constant('message_create'), id: fc.nat().map(String), message_create: fc.record({ sender_id: fc.constant(US), target: fc.constant({ recipient_id: '12' }), message_data: fc.record({ text: hostileText }) }) }),
  fc.record({ type: fc.constant('message_create'), id: fc.nat().map(String), message_create: fc.record({ sender_id: fc.constant('12'), target: fc.oneof(anyJson, fc.record({ recipient_id: fc.oneof(fc.constant('13'), badId(SNOWFLAKE)) })) }) }),
);

const usableTweet = fc.record(
  {
    text: fc.oneof({ weight: 5, arbitrary: hostileText }, { weight: 1, arbitrary: anyJson }),
    full_text: anyJson,
    extended_tweet: fc.oneof(fc.record({ full_text: fc.oneof(hostileText, anyJson) }, { requiredKeys: [] }), anyJson),
    user: someXUser,
    created_at: xTime,
    timestamp_ms: xTime,
    in_reply_to_status_id_str: fc.oneof(fc.nat().map(String), anyJson),
    edit_history: fc.oneof(anyJson, fc.record({ initial_tweet_id: badId(SNOWFLAKE) })),
    entities: anyJson,
  },
  { requiredKeys: [] },
);

const usableDm = fc.record({
  created_timestamp: xTime,
  text: fc.oneof({ weight: 5, arbitrary: hostileText }, { weight: 1, arbitrary: anyJson }),
  profile: someXUser,
});

/** X's choice of text: the extended tweet's, else full_text, else text; each capped at 25,000. */
function tweetText(t: Record<string, unknown>): string {
  const extended = t.extended_tweet !== null && typeof t.extended_tweet === 'object' && !Array.isArray(t.extended_tweet) ? (t.extended_tweet as Record<string, unknown>) : {};
  const first = [extended.full_text, t.full_text, t.text].find(isText);
  return storedText(first, 25_000);
}

function buildX(tweets: XItem[] | undefined, dms: XItem[] | undefined, extra: Array<[string, unknown]>) {
  const stored: Array<{ channel: 'x' | 'x_dm'; id: string; text: string }> = [];
  const users: Record<string, unknown> = {};
  const build = (item: XItem): unknown => {
    if (!item.usable) return item.event;
    const id = freshId();
    if (item.kind === 'tweet') {
      // An edit of an id that is itself stores under the id; any other initial id would be an edit.
      const tweet = { ...item.fields, id_str: id };
      stored.push({ channel: 'x', id, text: tweetText(tweet) });
      return tweet;
    }
    const sender = freshId();
    users[sender] = item.fields.profile;
    stored.push({ channel: 'x_dm', id, text: storedText(item.fields.text, 25_000) });
    return {
      type: 'message_create',
      id,
      created_timestamp: item.fields.created_timestamp,
      message_create: { sender_id: sender, target: { recipient_id: US }, message_data: { text: item.fields.text } },
    };
  };
  const entries: Array<[string, unknown]> = [...extra, ['for_user_id', US]];
  if (tweets) entries.push(['tweet_create_events', tweets.map(build)]);
  if (dms) entries.push(['direct_message_events', dms.map(build)]);
  entries.push(['users', users]);
  const received = (tweets?.length ?? 0) + (dms?.length ?? 0) + extra.length;
  return { payload: objectOf(entries), received, stored };
}

describe('POST /webhooks/x: correctly signed deliveries with garbage inside', () => {
  const tweets = fc.array(fc.oneof(garbageTweet.map((event) => ({ usable: false as const, event })), usableTweet.map((fields) => ({ usable: true as const, kind: 'tweet' as const, fields }))), { maxLength: 5 });
  const dms = fc.array(fc.oneof(garbageDm.map((event) => ({ usable: false as const, event })), usableDm.map((fields) => ({ usable: true as const, kind: 'dm' as const, fields }))), { maxLength: 5 });

  it('counts every unusable event and unknown key as ignored, stores every usable tweet and DM beside them, and nothing else', async () => {
    await storing(() =>
      check(
        fc.asyncProperty(fc.option(tweets, { nil: undefined }), fc.option(dms, { nil: undefined }), extraKeys(X_HANDLED), contentType, async (t, d, extra, type) => {
          const { payload, received, stored } = buildX(t, d, extra);
          const body = serialise(payload);
          const answer = await send({ path: X.path, body, headers: headersFor(X, body, undefined, type) });
          if (Buffer.byteLength(body) > BODY_LIMIT) return expectRefusal(answer, 413, 'payload_too_large');
          expectDelivery(answer, { received, stored: stored.length, ignored: received - stored.length });
          for (const channel of ['x', 'x_dm'] as const) {
            const mine = stored.filter((s) => s.channel === channel);
            const rows = await bodiesOf(channel, mine.map((s) => s.id));
            for (const s of mine) expect(rows.get(s.id)).toBe(s.text);
          }
        }),
        450,
      ),
    );
  });

  it('ignores, as one event, a delivery for another account, whatever it carries', async () => {
    const forUser = fc.oneof(fc.nat().map(String), anyJson, fc.constantFrom(Number(US), ` ${US}`, `${US}\u0000`, [US])).filter((v) => v !== US);
    await storing(() =>
      check(
        fc.asyncProperty(forUser, fc.option(tweets, { nil: undefined }), async (who, t) => {
          const { payload } = buildX(t, undefined, []);
          const body = serialise({ ...payload, for_user_id: who });
          const answer = await send({ path: X.path, body, headers: headersFor(X, body) });
          if (Buffer.byteLength(body) > BODY_LIMIT) return expectRefusal(answer, 413, 'payload_too_large');
          expectDelivery(answer, { received: 1, stored: 0, ignored: 1 });
        }),
        250,
      ),
    );
  });

  it('refuses, with 400 malformed and a reason, event lists that are not lists and users that is not an object', async () => {
    const shapes = fc.oneof(
      notAnObject.map((body) => ({ body, reason: 'body is not a JSON object' })),
      anyJson.filter((v) => v !== undefined && !Array.isArray(v)).map((v) => ({ body: { for_user_id: US, tweet_create_events: v }, reason: 'tweet_create_events is not a list' })),
      anyJson.filter((v) => v !== undefined && !Array.isArray(v)).map((v) => ({ body: { for_user_id: US, direct_message_events: v }, reason: 'direct_message_events is not a list' })),
      notAnObject.map((v) => ({ body: { for_user_id: US, users: v }, reason: 'users is not an object' })),
    );
    await storing(() =>
      check(
        fc.asyncProperty(shapes, async ({ body, reason }) => {
          const text = serialise(body);
          const answer = await send({ path: X.path, body: text, headers: headersFor(X, text) });
          if (Buffer.byteLength(text) > BODY_LIMIT) return expectRefusal(answer, 413, 'payload_too_large');
          expectRefusal(answer, 400, 'malformed');
          expect((answer.json as { message: string }).message).toBe(reason);
        }),
        300,
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Signatures: a good delivery with the signature broken in every way, and bodies changed after signing.

describe.each([META, X])('POST $path: signatures', (route) => {
  /** A small, good delivery of this route, with a fresh id each time. */
  function goodBody(): string {
    if (route.name === 'meta') {
      return JSON.stringify({ object: 'page', entry: [{ id: PAGE_ID, time: 1_700_000_000, changes: [{ field: 'feed', value: { item: 'comment', verb: 'add', comment_id: metaId(), message: 'hello', from: { id: '100000000000001' } } }] }] });
    }
    return JSON.stringify({ for_user_id: US, tweet_create_events: [{ id_str: freshId(), text: '@trust hello', user: { id_str: '12', screen_name: 'someone' } }] });
  }

  it('accepts only a signature over exactly these bytes with our secret; every other is 401', async () => {
    await storing(() =>
      check(
        fc.asyncProperty(spoil, contentType, async (how, type) => {
          const body = goodBody();
          const signature = spoiled(route, route.sign(body), how);
          const answer = await send({ path: route.path, body, headers: headersFor(route, body, signature.value, type) });
          if (signature.valid) expectDelivery(answer, { received: 1, stored: 1, ignored: 0 });
          else expectRefusal(answer, 401, 'bad_signature');
        }),
        400,
        [[{ kind: 'uppercase' }, 'text/plain'], [{ kind: 'none' }, 'application/json']],
      ),
    );
  });

  it('refuses a signed body changed after signing: truncated, extended, or one byte different', async () => {
    const change = fc.oneof(
      fc.nat().map((n) => (b: Buffer) => b.subarray(0, n % b.length)),
      fc.uint8Array({ minLength: 1, maxLength: 20 }).map((extra) => (b: Buffer) => Buffer.concat([b, extra])),
      fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([i, x]) => (b: Buffer) => {
        const copy = Buffer.from(b);
        copy[i % copy.length] = copy[i % copy.length]! ^ x;
        return copy;
      }),
    );
    await storing(() =>
      check(
        fc.asyncProperty(change, async (mutate) => {
          const original = Buffer.from(goodBody());
          const body = mutate(original);
          const answer = await send({ path: route.path, body, headers: headersFor(route, body, route.sign(original)) });
          expectRefusal(answer, 401, 'bad_signature');
        }),
        300,
      ),
    );
  });

  it('reads a signed body however it is chunked, and refuses one over the cap mid-stream with 413', async () => {
    await storing(() =>
      check(
        fc.asyncProperty(fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), async (cuts, oversized) => {
          const body = Buffer.from(oversized ? `${goodBody()}${' '.repeat(BODY_LIMIT)}` : goodBody());
          const points = [...new Set(cuts.map((c) => c % body.length))].sort((a, b) => a - b);
          const pieces = [0, ...points].map((start, i) => body.subarray(start, [...points, body.length][i]));
          const stream = new ReadableStream<Uint8Array>({
            start(controller) {
              for (const piece of pieces) if (piece.length) controller.enqueue(new Uint8Array(piece));
              controller.close();
            },
          });
          // No Content-Length: the cap has to be enforced while reading, not from the header.
          const answer = await send({ path: route.path, body: stream, headers: headersFor(route, body) });
          if (oversized) return expectRefusal(answer, 413, 'payload_too_large');
          expectDelivery(answer, { received: 1, stored: 1, ignored: 0 });
        }),
        150,
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The GET routes: Meta's subscription handshake and X's CRC check.

/** Query parameters as a list (a key may repeat), built by URLSearchParams as a sender would. */
function query(pairs: Array<[string, string]>): string {
  return new URLSearchParams(pairs).toString();
}

/** What the server reads back from that query: the same decoding on both sides. */
function readBack(qs: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(qs)) values.set(k, [...(values.get(k) ?? []), v]);
  return values;
}

const queryText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.stringMatching(/^[\x21-\x7e]{1,300}$/) },
  { weight: 2, arbitrary: fc.array(fc.oneof(NASTY, loneSurrogate), { maxLength: 8 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '+', '%', '%zz', '&', '=', '#', '[]', '[0]', '1158201444') },
);

describe('GET /webhooks/meta: the subscription handshake', () => {
  const param = (key: string, right: string) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant<Array<[string, string]>>([[key, right]]) },
      { weight: 2, arbitrary: queryText.map((v): Array<[string, string]> => [[key, v]]) },
      { weight: 1, arbitrary: fc.constant<Array<[string, string]>>([]) },
      { weight: 1, arbitrary: fc.constant<Array<[string, string]>>([[key, right], [key, right]]) },
      { weight: 1, arbitrary: fc.constant<Array<[string, string]>>([[`${key}[]`, right]]) },
      { weight: 1, arbitrary: fc.constant<Array<[string, string]>>([[`${key}[x]`, right]]) },
    );

  it('echoes the challenge as plain text only to subscribe + our verify token + a printable challenge; otherwise 403 with no echo', async () => {
    const challenge = fc.oneof(fc.nat().map(String), queryText, fc.stringMatching(/^[\x21-\x7e]{250,260}$/));
    await storing(() =>
      check(
        fc.asyncProperty(
          fc
            .tuple(
              param('hub.mode', 'subscribe'),
              param('hub.verify_token', VERIFY_TOKEN),
              challenge.chain((c) => fc.oneof(fc.constant<Array<[string, string]>>([['hub.challenge', c]]), param('hub.challenge', c))),
              fc.array(fc.tuple(queryText, queryText), { maxLength: 4 }),
            )
            .chain((parts) => {
              const all = parts.flat();
              return fc.shuffledSubarray(all, { minLength: all.length });
            }),
          async (pairs) => {
            const qs = query(pairs);
            const seen = readBack(qs);
            const one = (k: string) => (seen.get(k)?.length === 1 ? seen.get(k)![0] : undefined);
            const echo = one('hub.challenge');
            const ok = one('hub.mode') === 'subscribe' && one('hub.verify_token') === VERIFY_TOKEN && echo !== undefined && /^[\x21-\x7e]{1,256}$/.test(echo);
            const answer = await send({ method: 'GET', path: `/webhooks/meta?${qs}` });
            if (ok) {
              expect({ status: answer.status, text: answer.text }).toEqual({ status: 200, text: echo });
              expect(answer.contentType).toMatch(/^text\/plain/);
            } else {
              expectRefusal(answer, 403, 'forbidden');
              expect(answer.json).toEqual({ error: 'forbidden', message: 'verification refused' });
            }
          },
        ),
        1_000,
      ),
    );
  });
});

describe('GET /webhooks/x: the CRC check', () => {
  it('answers one crc_token of 1 to 1,024 characters with its HMAC, and anything else with 400 malformed', async () => {
    const token = fc.oneof(
      { weight: 4, arbitrary: queryText },
      { weight: 1, arbitrary: fc.integer({ min: 1000, max: 1100 }).map((n) => 'a'.repeat(n)) },
      { weight: 1, arbitrary: fc.integer({ min: 1010, max: 1040 }).chain((n) => fc.string({ unit: 'grapheme-ascii', minLength: n, maxLength: n })) },
    );
    const params = token.chain((t) =>
      fc.oneof(
        { weight: 5, arbitrary: fc.constant<Array<[string, string]>>([['crc_token', t]]) },
        { weight: 1, arbitrary: fc.constant<Array<[string, string]>>([]) },
        { weight: 1, arbitrary: fc.constant<Array<[string, string]>>([['crc_token', t], ['crc_token', t]]) },
        { weight: 1, arbitrary: fc.constant<Array<[string, string]>>([['crc_token[]', t]]) },
        { weight: 1, arbitrary: fc.constant<Array<[string, string]>>([['crc_token[a]', t]]) },
        { weight: 1, arbitrary: fc.constant<Array<[string, string]>>([['CRC_TOKEN', t]]) },
      ),
    );
    await storing(() =>
      check(
        fc.asyncProperty(params, fc.array(fc.tuple(queryText, queryText), { maxLength: 3 }), async (p, extra) => {
          const qs = query([...extra.filter(([k]) => k !== 'crc_token'), ...p]);
          const seen = readBack(qs).get('crc_token');
          const t = seen?.length === 1 ? seen[0]! : undefined;
          const answer = await send({ method: 'GET', path: `/webhooks/x?${qs}` });
          if (t !== undefined && t.length >= 1 && t.length <= 1024) {
            expect({ status: answer.status, body: answer.json }).toEqual({ status: 200, body: expectedCrcAnswer(t) });
          } else {
            expectRefusal(answer, 400, 'malformed');
            expect(['no crc_token', 'crc_token too long']).toContain((answer.json as { message: string }).message);
          }
        }),
        1_000,
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Below fetch: requests only a raw socket can send.

/** Writes raw bytes, half-closes, and resolves with what came back (or '' when the server just closed). */
function rawRequest(bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(PORT, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer and no close within ${REQUEST_TIMEOUT_MS} ms`));
    }, REQUEST_TIMEOUT_MS);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.end(bytes);
  });
}

describe('raw HTTP on the webhook routes', () => {
  it('answers lying lengths, broken chunking, duplicate and garbage headers with 4xx or a close; never 5xx', async () => {
    const request = fc.record({
      method: fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'POST ', 'P\u00d6ST'),
      path: fc.constantFrom('/webhooks/meta', '/webhooks/x', '/webhooks/x?crc_token=a', '/webhooks/meta/', '/webhooks//x', '/webhooks/%ff', '/webhooks/x/../meta', '/webhooks/meta?hub.mode=subscribe&hub.mode'),
      framing: fc.oneof(
        fc.constant({ kind: 'exact' as const }),
        fc.integer({ min: -50, max: 200 }).map((delta) => ({ kind: 'length' as const, delta })),
        fc.constant({ kind: 'two-lengths' as const }),
        fc.constantFrom('1\r\n{\r\n0\r\n\r\n', 'zz\r\nabc\r\n0\r\n\r\n', 'ffffffffffffffff\r\n{}', '5\r\n{}\r\n', '-1\r\n\r\n', '').map((chunks) => ({ kind: 'chunked' as const, chunks })),
      ),
      headers: fc.array(fc.tuple(fc.constantFrom('x-hub-signature-256', 'x-twitter-webhooks-signature', 'content-type', 'content-encoding', 'expect', 'X-Junk', 'transfer-encoding'), fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('latin1').replace(/[\r\n]/g, ''))), { maxLength: 4 }),
      body: fc.oneof(randomBytes.filter((b) => b.length < 4096), randomJsonBody),
    });
    await storing(() =>
      check(
        fc.asyncProperty(request, async ({ method, path, framing, headers, body }) => {
          const lines = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${PORT}`, ...headers.map(([k, v]) => `${k}: ${v}`)];
          let payload = body;
          if (framing.kind === 'exact') lines.push(`Content-Length: ${body.length}`);
          if (framing.kind === 'length') lines.push(`Content-Length: ${Math.max(0, body.length + framing.delta)}`);
          if (framing.kind === 'two-lengths') lines.push(`Content-Length: ${body.length}`, `Content-Length: ${body.length + 1}`);
          if (framing.kind === 'chunked') {
            lines.push('Transfer-Encoding: chunked');
            payload = Buffer.from(framing.chunks, 'latin1');
          }
          const reply = await rawRequest(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload]));
          const statuses = [...reply.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));
          if (!statuses.length) count('raw', 0);
          for (const status of statuses) {
            count('raw', status);
            expect({ status, reply: reply.slice(0, 300) }).toMatchObject({ status: expect.any(Number) });
            expect(status).toBeLessThan(500);
          }
        }),
        300,
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile mail, read by the same process: the mail store's contract, and the webhooks beside it.

/** Email items stored by the mail test, and the slowest webhook answer meanwhile, for the summary at the end. */
let mailStored = 0;
let slowest = 0;

/** Writes beside the spool and moves the file in, as a mail drop should, so it is never read half-written. */
function drop(name: string, bytes: Buffer): void {
  const staging = join(spoolDir, '..', `${name}.${process.pid}.tmp`);
  writeFileSync(staging, bytes);
  renameSync(staging, join(spoolDir, name));
}

describe('hostile mail in the mailbox of the same process', () => {
  it('stores every message, the unreadable flagged with their bytes kept, while the webhooks keep answering', async () => {
    const junk = fc.sample(
      fc.oneof(
        fc.uint8Array({ maxLength: 4_000 }).map((b) => Buffer.from(b)),
        fc.tuple(fc.constantFrom('From: a@example.org\r\n', 'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n', 'From: =?x-bogus?B?////?= <b@example.org>\r\nSubject: =?utf-7?Q?+AGE-?=\r\n\r\n'), fc.uint8Array({ maxLength: 2_000 }))
          .map(([head, rest]) => Buffer.concat([Buffer.from(head), rest])),
      ),
      { seed: SEED, numRuns: 24 },
    );
    const hostile = [
      // Each of these held mailparser (and with it every webhook) for seconds before the header cap.
      Buffer.from(`From: flood@example.org\r\nSubject: flood\r\n${'References:a\r\n'.repeat(70_000)}\r\nbody\r\n`),
      Buffer.from(`From: groups@example.org\r\nReply-To: ${'a:'.repeat(400_000)}\r\n\r\nbody\r\n`),
      Buffer.from(`From: parts@example.org\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n${`--B\r\nTo: ${'a:'.repeat(60_000)}\r\n\r\nx\r\n`.repeat(8)}--B--\r\n`),
    ];
    // One message per distinct content: a redelivery of the same bytes is rightly stored once.
    const seen = new Set<string>();
    const messages = [...hostile, ...junk].filter((b) => {
      const key = b.toString('latin1').replace(/\r\n/g, '\n');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const names = messages.map((_, i) => `fuzz-${String(i).padStart(3, '0')}.eml`);
    const before = await itemCount();
    messages.forEach((bytes, i) => drop(names[i]!, bytes));

    const deadline = Date.now() + 60_000;
    for (;;) {
      const started = performance.now();
      const answer = await send({ method: 'GET', path: '/webhooks/x?crc_token=still-there' });
      expect(answer.status).toBe(200);
      slowest = Math.max(slowest, performance.now() - started);
      const left = readdirSync(spoolDir).filter((f) => f.endsWith('.eml'));
      if (!left.length) break;
      if (Date.now() > deadline) throw new Error(`mail not all read in time: ${left.length} left; ingest output:\n${ingest.output().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // A webhook waits for at most one header block's parsing, never for a whole hostile message.
    expect(slowest).toBeLessThan(1_500);

    const { rows } = await db.query<{ file: string; parse_error: string | null; kept: boolean }>(
      `SELECT raw->'origin'->>'file' AS file, parse_error, raw ? 'source' AS kept FROM inbound_item WHERE channel = 'email'`,
    );
    expect(rows.map((r) => r.file).sort()).toEqual(names);
    for (const row of rows) expect(row.kept).toBe(row.parse_error !== null);
    // Over the header cap: kept raw, with the parser's reason; the parts just under it are read.
    for (const name of names.slice(0, 2)) expect(rows.find((r) => r.file === name)?.parse_error).toMatch(/Max header size/);
    mailStored = rows.length;
    expect(await itemCount()).toBe(before + mailStored);
  });
});

// ---------------------------------------------------------------------------------------------

describe('after all of it', () => {
  it('is the same process, still healthy, every stored item queued once, every log line JSON and none an error', async () => {
    const now = await health();
    expect(now).toMatchObject({ status: 'ok', pid });
    expect(ingest.process.exitCode).toBeNull();
    expect(ingest.process.signalCode).toBeNull();

    expect(await itemCount()).toBe(storedTotal + mailStored);
    // Every new message is queued for triage once (mail the reader took for a bounce or auto-reply is not).
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbound_item WHERE kind = 'message'`);
    const counts = await triage.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(rows[0]!.n);

    const lines = ingest.output().trim().split('\n');
    const records = lines.map((line) => {
      try {
        return JSON.parse(line) as { level: string; message: string };
      } catch {
        throw new Error(`ingest wrote a line that is not JSON: ${line.slice(0, 300)}`);
      }
    });
    expect(records.filter((r) => r.level === 'error' || r.level === 'fatal')).toEqual([]);
    // Ignored events are logged with their reasons, never with the secrets.
    expect(records.some((r) => /delivery: \d+ events?, \d+ new, [1-9]\d* ignored \(/.test(r.message))).toBe(true);
    expect(ingest.output()).not.toContain(FAKE_CREDENTIALS.meta.appSecret);
    expect(ingest.output()).not.toContain(FAKE_CREDENTIALS.x.consumerSecret);
    console.log(`fuzz-webhooks: seed ${SEED}, stored ${storedTotal} by webhook and ${mailStored} by mail (slowest webhook meanwhile ${Math.round(slowest)} ms); answers by route and status (raw 0: closed without one): ${JSON.stringify(tally)}`);
  });
});
