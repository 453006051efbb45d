import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, testQueuePrefix } from './support/test-env.js';

// The fake mail driver: a folder stands in for the mailbox, so the system runs without a mail server.
const PORT = 4432;
const prefix = testQueuePrefix('ingest-mail-spool');
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
const redis = testRedis();
const spool = mkdtempSync(join(tmpdir(), 'desk-mail-spool-'));
let ingest: RunningService;

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  ingest = await startHealthy('ingest', PORT, { QUEUE_PREFIX: prefix, X_POLL_INTERVAL_MS: '0', MAIL_DRIVER: 'fake', MAIL_SPOOL_DIR: spool });
});

afterAll(async () => {
  await ingest?.stop();
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
  rmSync(spool, { recursive: true, force: true });
});

/** Writes beside the spool and moves the file in, as a mail drop should, so it is never read half-written. */
function drop(name: string, source: string): void {
  const staging = join(spool, '..', `${name}.${randomUUID()}.tmp`);
  writeFileSync(staging, source);
  renameSync(staging, join(spool, name));
}

async function waitForItem(externalId: string): Promise<{ subject: string; body: string; parse_error: string | null; raw: { origin: unknown } }> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await db.query(`SELECT subject, body, parse_error, raw FROM inbound_item WHERE channel = 'email' AND external_id = $1`, [externalId]);
    if (res.rows[0]) return res.rows[0];
    if (Date.now() > deadline) throw new Error(`${externalId} not stored; ingest output:\n${ingest.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the fake mail driver (a spool folder)', () => {
  it('ingests a dropped .eml file and moves it to processed/', async () => {
    const messageId = `<${randomUUID()}@public.example>`;
    drop('question.eml', [`From: Sam <sam@example.org>`, 'Subject: Flu jab clinic', `Message-ID: ${messageId}`, '', 'Is there a clinic on Saturday?', ''].join('\r\n'));
    const row = await waitForItem(messageId);
    expect(row).toMatchObject({ subject: 'Flu jab clinic', body: 'Is there a clinic on Saturday?', parse_error: null, raw: { origin: { kind: 'spool', file: 'question.eml' } } });
    const deadline = Date.now() + 5_000;
    while (existsSync(join(spool, 'question.eml')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(spool).filter((f) => f.endsWith('.eml'))).toEqual([]);
    expect(readdirSync(join(spool, 'processed'))).toContain('question.eml');
  });

  it('stores a file that is not readable mail, flagged, instead of leaving it behind', async () => {
    const body = `not an email at all ${randomUUID()}`;
    drop('junk.eml', body);
    const deadline = Date.now() + 15_000;
    let row: { body: string; parse_error: string | null } | undefined;
    while (!row && Date.now() < deadline) {
      row = (await db.query(`SELECT body, parse_error FROM inbound_item WHERE channel = 'email' AND raw->'origin'->>'file' = 'junk.eml'`)).rows[0];
      if (!row) await new Promise((r) => setTimeout(r, 100));
    }
    expect(row?.parse_error).toMatch(/no readable sender/);
  });
});
