import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startDovecot, type Dovecot } from './support/dovecot.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, waitHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, testQueuePrefix } from './support/test-env.js';

// Every real-world message in the shared fixtures (bounces, broken headers, odd encodings, huge
// HTML) through a real IMAP server and a real ingest process: each one is stored, read or flagged.
const FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'mime');
const MAILBOX = 'Fixtures';
const PORT = 4431;
const prefix = testQueuePrefix('ingest-mail-fixtures');
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
const redis = testRedis();
let dovecot: Dovecot;
let ingest: RunningService;

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  dovecot = await startDovecot();
  const client = await dovecot.client();
  await client.create(MAILBOX);
  await client.logout();
  ingest = await startHealthy('ingest', PORT, {
    QUEUE_PREFIX: prefix,
    X_POLL_INTERVAL_MS: '0',
    MAIL_DRIVER: 'live',
    IMAP_HOST: dovecot.host,
    IMAP_PORT: String(dovecot.port),
    IMAP_SECURE: 'false',
    IMAP_USER: dovecot.user,
    IMAP_PASSWORD: dovecot.password,
    IMAP_MAILBOX: MAILBOX,
  });
}, 60_000);

afterAll(async () => {
  await ingest?.stop();
  await dovecot?.stop();
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
});

/** A header's unfolded value, read with a plain regex (independent of the code under test). */
function headerOf(source: Buffer, name: string): string {
  const text = source.toString('latin1').replace(/\r\n/g, '\n');
  const head = text.split('\n\n')[0]!.replace(/\n[ \t]+/g, ' ');
  return new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
}

/** The headers its author's mail program wrote; transport adds others (Received, Sender, Resent-*). */
const AUTHOR_HEADERS = ['message-id', 'from', 'to', 'cc', 'date', 'subject', 'content-type', 'in-reply-to', 'references'];

/**
 * What makes two fixture files one message delivered twice: the same author headers and the same
 * body once line endings are normalised. Such a repeat must be stored once, not again; anything
 * else (even with a reused Message-ID) must be stored.
 */
function sameMessageKey(source: Buffer): string | undefined {
  if (!headerOf(source, 'message-id')) return undefined;
  const text = source.toString('latin1').replace(/\r\n/g, '\n');
  const body = text.slice(text.indexOf('\n\n') + 2);
  return createHash('sha256')
    .update([...AUTHOR_HEADERS.map((h) => headerOf(source, h).replace(/\s+/g, ' ')), body].join('\u0000'))
    .digest('hex');
}

describe('the shared MIME fixtures through IMAP', () => {
  it('stores every message, parsed or raw and flagged, without crashing the service', async () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.eml')).sort();
    expect(files).toHaveLength(115);

    const client = await dovecot.client();
    const appended: Array<{ file: string; uid: number; key?: string }> = [];
    let uidValidity = '';
    for (const file of files) {
      const source = readFileSync(join(FIXTURES, file));
      const result = await client.append(MAILBOX, source);
      uidValidity = result.uidValidity;
      appended.push({ file, uid: result.uid, key: sameMessageKey(source) });
    }
    await client.logout();
    const lastUid = Math.max(...appended.map((a) => a.uid));

    // The checkpoint moves only after a message is stored, so reaching the last UID means all were handled.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const res = await db.query(`SELECT value FROM checkpoint WHERE key = $1`, [`imap:${dovecot.user}:${MAILBOX}`]);
      const cp = res.rows[0]?.value;
      if (cp?.uidValidity === uidValidity && cp.lastUid >= lastUid) break;
      if (Date.now() > deadline) throw new Error(`ingest stopped at ${JSON.stringify(cp)} of UID ${lastUid}:\n${ingest.output().slice(-5000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    const rows = (
      await db.query(
        `SELECT (raw->'origin'->>'uid')::int AS uid, kind, parse_error, raw ? 'source' AS has_source
           FROM inbound_item WHERE channel = 'email' AND raw->'origin'->>'mailbox' = $1 AND raw->'origin'->>'uidValidity' = $2`,
        [MAILBOX, uidValidity],
      )
    ).rows as Array<{ uid: number; kind: string; parse_error: string | null; has_source: boolean }>;
    const byUid = new Map(rows.map((r) => [r.uid, r]));

    const firstOfKey = new Map<string, string>();
    const parsed: string[] = [];
    const flagged: string[] = [];
    const repeats: string[] = [];
    const lost: string[] = [];
    for (const a of appended) {
      const row = byUid.get(a.uid);
      const earlier = a.key ? firstOfKey.get(a.key) : undefined;
      if (a.key && !earlier) firstOfKey.set(a.key, a.file);
      if (row && earlier) lost.push(`${a.file}: stored again although it repeats ${earlier}`);
      else if (row?.parse_error) flagged.push(a.file);
      else if (row) parsed.push(a.file);
      else if (earlier) repeats.push(`${a.file} (= ${earlier})`);
      else lost.push(`${a.file}: not stored`);
      // A flagged message keeps its bytes; a parsed one does not carry them in raw.
      if (row) expect({ file: a.file, hasSource: row.has_source }).toEqual({ file: a.file, hasSource: Boolean(row.parse_error) });
    }
    console.log(
      `MIME fixtures: ${appended.length} appended = ${parsed.length} stored parsed + ${flagged.length} stored raw and flagged` +
        ` + ${repeats.length} repeats of an earlier fixture (stored once)\n  flagged: ${flagged.join(', ')}\n  repeats: ${repeats.join(', ')}`,
    );
    expect(lost).toEqual([]);
    expect(parsed.length + flagged.length + repeats.length).toBe(appended.length);
    expect(rows).toHaveLength(parsed.length + flagged.length);

    const kinds = new Map(appended.map((a) => [a.file, byUid.get(a.uid)?.kind]));
    for (const file of ['bounce.eml', 'delivery-status.eml', 'arf.eml', ...files.filter((f) => f.startsWith('multipart_report_emails__'))]) {
      if (byUid.has(appended.find((a) => a.file === file)!.uid)) expect({ file, kind: kinds.get(file) }).toEqual({ file, kind: 'bounce' });
    }

    // Attachments are kept with their bytes (all of these are under the default cap).
    const pdfUid = appended.find((a) => a.file === 'attachment_emails__attachment_pdf.eml')!.uid;
    const attachments = await db.query(
      `SELECT a.filename, a.content_type, a.size, length(a.content) AS stored FROM inbound_attachment a JOIN inbound_item i ON i.id = a.inbound_item_id
        WHERE i.raw->'origin'->>'mailbox' = $1 AND i.raw->'origin'->>'uidValidity' = $2 AND (i.raw->'origin'->>'uid')::int = $3`,
      [MAILBOX, uidValidity, pdfUid],
    );
    expect(attachments.rows).toHaveLength(1);
    expect(attachments.rows[0]).toMatchObject({ filename: 'broken.pdf', content_type: 'application/pdf' });
    expect(attachments.rows[0].stored).toBe(attachments.rows[0].size);

    // Still serving, and it never had to give up on the mailbox.
    expect(ingest.process.exitCode).toBeNull();
    await waitHealthy(ingest);
    expect(ingest.output()).not.toContain('reconnecting in');
  }, 150_000);
});
