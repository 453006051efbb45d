import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { redisConnectionOptions } from '@desk/config';
import { startDovecot, type Dovecot, type ImapTestClient } from './support/dovecot.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';

// The email channel end to end: a private Dovecot, a real ingest process on its IMAP mailbox,
// Postgres rows and the triage queue as the evidence.
const prefix = testQueuePrefix('ingest-mail');
const MAILBOX = 'Desk';
const PORT = 4430;
const OWN_ADDRESS = 'comms@trust.example.nhs.uk';
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
const redis = testRedis();
const triage = new Queue('triage', { connection: redisConnectionOptions(TEST_REDIS_URL), prefix });
let dovecot: Dovecot;
let imap: ImapTestClient;
let ingest: RunningService | undefined;
/** Output of ingest processes already stopped (the restart test replaces the first one). */
let earlierOutput = '';
/** Everything appended to the mailbox, in order, to append again after a UIDVALIDITY change. */
const appended: Array<{ source: string; uid: number; messageId: string }> = [];

function startIngest(): Promise<RunningService> {
  return startHealthy('ingest', PORT, {
    QUEUE_PREFIX: prefix,
    X_POLL_INTERVAL_MS: '0',
    LOG_LEVEL: 'debug',
    MAIL_DRIVER: 'live',
    IMAP_HOST: dovecot.host,
    IMAP_PORT: String(dovecot.port),
    IMAP_SECURE: 'false',
    IMAP_USER: dovecot.user,
    IMAP_PASSWORD: dovecot.password,
    IMAP_MAILBOX: MAILBOX,
    MAIL_OWN_ADDRESSES: OWN_ADDRESS,
  });
}

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  dovecot = await startDovecot();
  imap = await dovecot.client();
  await imap.create(MAILBOX);
  ingest = await startIngest();
  await waitFor('ingest to open the mailbox', async () => ingest!.output().includes(`/${MAILBOX}: open`));
}, 60_000);

afterAll(async () => {
  await ingest?.stop();
  await imap?.logout();
  await dovecot?.stop();
  await triage.close();
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
});

interface Compose {
  from: string;
  subject: string;
  body?: string;
  messageId?: string;
  headers?: Record<string, string>;
  contentType?: string;
}

function compose(m: Compose): { source: string; messageId: string } {
  const messageId = m.messageId ?? `<${randomUUID()}@public.example>`;
  const lines = [
    `From: ${m.from}`,
    `To: ${OWN_ADDRESS}`,
    `Subject: ${m.subject}`,
    `Date: Fri, 20 Nov 2026 10:00:00 +0000`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    `Content-Type: ${m.contentType ?? 'text/plain; charset=utf-8'}`,
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    '',
    m.body ?? 'Hello, I have a question about my appointment.',
    '',
  ];
  return { source: lines.join('\r\n'), messageId };
}

async function append(source: string, messageId: string, internalDate?: Date): Promise<number> {
  const { uid } = await imap.append(MAILBOX, source, internalDate);
  appended.push({ source, uid, messageId });
  return uid;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\ningest's mail log:\n${mailLog()}\ndovecot log:\n${dovecot.log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Ingest's own lines about the mailbox, for failure messages. */
function mailLog(): string {
  return (ingest?.output() ?? '')
    .split('\n')
    .filter((l) => l.includes('"context":"Mail"'))
    .slice(-30)
    .join('\n');
}

interface ItemRow {
  id: string;
  external_id: string;
  subject: string | null;
  body: string;
  kind: string;
  parse_error: string | null;
  thread_key: string;
  thread_subject: string | null;
  received_at: Date;
  raw: { origin: { mailbox: string; uid: number; uidValidity: string }; source?: string; fingerprint: string; headers: Record<string, unknown> };
  contact_id: string | null;
}

async function item(externalId: string): Promise<ItemRow | undefined> {
  const res = await db.query(`SELECT * FROM inbound_item WHERE channel = 'email' AND external_id = $1`, [externalId]);
  return res.rows[0];
}

const stored = (externalId: string, timeoutMs?: number) => waitFor(`item ${externalId}`, () => item(externalId), timeoutMs);

async function checkpoint(): Promise<{ uidValidity: string; lastUid: number } | undefined> {
  const res = await db.query(`SELECT value FROM checkpoint WHERE key = $1`, [`imap:${dovecot.user}:${MAILBOX}`]);
  return res.rows[0]?.value;
}

const reachedUid = (uid: number, uidValidity?: string) =>
  waitFor(`the checkpoint to reach UID ${uid}`, async () => {
    const cp = await checkpoint();
    return cp && cp.lastUid >= uid && (!uidValidity || cp.uidValidity === uidValidity) && cp;
  });

describe('the email channel over IMAP', () => {
  it('stores mail appended while ingest runs within seconds (IDLE), with its arrival time', async () => {
    const arrived = new Date(Date.now() - 2 * 3600_000);
    arrived.setMilliseconds(0);
    const { source, messageId } = compose({ from: 'Jane Public <Jane.Public@Example.org>', subject: 'Appointment letter', body: 'My letter has the wrong date.' });
    const started = Date.now();
    const uid = await append(source, messageId, arrived);
    const row = await stored(messageId, 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(row).toMatchObject({ subject: 'Appointment letter', body: 'My letter has the wrong date.', kind: 'message', parse_error: null });
    expect(row.received_at.toISOString()).toBe(arrived.toISOString());
    expect(row.raw.origin).toMatchObject({ mailbox: MAILBOX, uid });
    expect(row.raw.source).toBeUndefined();
    const contact = await db.query(`SELECT external_id, display_name FROM contact WHERE id = $1`, [row.contact_id]);
    expect(contact.rows[0]).toEqual({ external_id: 'jane.public@example.org', display_name: 'Jane Public' });
  });

  it('threads replies by their headers, and by subject only for the same sender', async () => {
    const parent = compose({ from: 'alice@example.org', subject: 'Parking at the Royal' });
    await append(parent.source, parent.messageId);
    const parentRow = await stored(parent.messageId);

    const reply = compose({ from: 'bob@example.org', subject: 'Re: Parking at the Royal', headers: { 'In-Reply-To': parent.messageId } });
    const otherSender = compose({ from: 'carol@example.org', subject: 'RE: Parking at the Royal' });
    const sameSender = compose({ from: 'Alice <ALICE@example.org>', subject: 'Re: Fwd:  parking at the royal' });
    for (const m of [reply, otherSender, sameSender]) await append(m.source, m.messageId);

    expect((await stored(reply.messageId)).thread_key).toBe(parentRow.thread_key);
    expect((await stored(otherSender.messageId)).thread_key).not.toBe(parentRow.thread_key);
    expect((await stored(sameSender.messageId)).thread_key).toBe(parentRow.thread_key);
    expect(parentRow.thread_subject).toBe('parking at the royal');
  });

  it('stores bounces and auto-replies with their kind and queues only messages for triage', async () => {
    const normal = compose({ from: 'dave@example.org', subject: 'Visiting hours' });
    const autoReply = compose({ from: 'erin@example.org', subject: 'Automatic reply: Visiting hours', headers: { 'Auto-Submitted': 'auto-replied' } });
    const bounce = compose({
      from: 'Mail Delivery System <MAILER-DAEMON@mx.example.org>',
      subject: 'Undelivered Mail Returned to Sender',
      contentType: 'multipart/report; report-type=delivery-status; boundary="b1"',
      body: [
        '--b1', 'Content-Type: text/plain', '', 'Your message could not be delivered.', '',
        '--b1', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.org', '',
        'Final-Recipient: rfc822; nobody@example.org', 'Action: failed', 'Status: 5.1.1', '', '--b1--',
      ].join('\r\n'),
    });
    for (const m of [normal, autoReply, bounce]) await append(m.source, m.messageId);

    const normalRow = await stored(normal.messageId);
    const autoRow = await stored(autoReply.messageId);
    const bounceRow = await stored(bounce.messageId);
    expect([normalRow.kind, autoRow.kind, bounceRow.kind]).toEqual(['message', 'auto_reply', 'bounce']);
    await waitFor('the triage job of the normal message', async () => (await triage.getJob(`triage-item-${normalRow.id}`)) !== undefined);
    expect(await triage.getJob(`triage-item-${autoRow.id}`)).toBeUndefined();
    expect(await triage.getJob(`triage-item-${bounceRow.id}`)).toBeUndefined();
  });

  it('ignores mail from our own address but reads past it', async () => {
    const own = compose({ from: `Comms Team <${OWN_ADDRESS.toUpperCase()}>`, subject: 'Our newsletter' });
    const ownUid = await append(own.source, own.messageId);
    await reachedUid(ownUid);
    expect(await item(own.messageId)).toBeUndefined();
  });

  it('stores mail the parser cannot read, raw and flagged', async () => {
    // More MIME parts than the parser allows: it gives up on the message.
    const parts = Array.from({ length: 1_100 }, (_, i) => `--p\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join('');
    const broken = compose({ from: 'frank@example.org', subject: 'Many parts', contentType: 'multipart/mixed; boundary=p', body: `${parts}--p--` });
    await append(broken.source, broken.messageId);
    const row = await stored(broken.messageId);
    expect(row.parse_error).toMatch(/parser could not read it/);
    expect(Buffer.from(row.raw.source!, 'base64').toString()).toBe(broken.source);
    expect(row.body).toContain('part 1099');
  });

  it('resumes from the checkpoint after a restart, storing nothing twice', async () => {
    const before = compose({ from: 'gina@example.org', subject: 'Before the restart' });
    const beforeUid = await append(before.source, before.messageId);
    await reachedUid(beforeUid);
    const beforeRow = await stored(before.messageId);
    const exit = await ingest!.stop();
    // Nest re-raises SIGTERM once its shutdown hooks (the mailbox's included) have run.
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    earlierOutput += ingest!.output();
    ingest = undefined;

    // Taken out behind ingest's back: resuming from the checkpoint must not read it again.
    await db.query(`DELETE FROM inbound_item WHERE id = $1`, [beforeRow.id]);
    const during = [compose({ from: 'hugo@example.org', subject: 'While ingest was down' }), compose({ from: 'ines@example.org', subject: 'Also while down' })];
    let lastUid = 0;
    for (const m of during) lastUid = await append(m.source, m.messageId);

    ingest = await startIngest();
    await reachedUid(lastUid);
    expect(ingest.output()).toContain(`reading above UID ${beforeUid}`);
    for (const m of during) expect((await stored(m.messageId)).kind).toBe('message');
    expect(await item(before.messageId)).toBeUndefined();
    const dups = await db.query(
      `SELECT external_id FROM inbound_item WHERE channel = 'email' AND raw->'origin'->>'mailbox' = $1 GROUP BY external_id HAVING count(*) > 1`,
      [MAILBOX],
    );
    expect(dups.rows).toEqual([]);
  });

  it('keeps two messages with one Message-ID apart when they are read together', async () => {
    await ingest!.stop();
    earlierOutput += ingest!.output();
    ingest = undefined;
    // The first is slow to read; the second reuses its Message-ID and is read long before it is stored.
    const reused = `<${randomUUID()}@public.example>`;
    const slow = compose({ from: 'kim@example.org', subject: 'Long letter', messageId: reused, body: 'A long letter. '.repeat(200_000) });
    const quick = compose({ from: 'lee@example.org', subject: 'Short note', messageId: reused, body: 'A different message, same Message-ID.' });
    let lastUid = 0;
    for (const m of [slow, quick]) lastUid = await append(m.source, m.messageId);

    ingest = await startIngest();
    await reachedUid(lastUid);
    const both = await db.query(`SELECT subject FROM inbound_item WHERE channel = 'email' AND (external_id = $1 OR external_id LIKE $2) ORDER BY subject`, [reused, `${reused}#%`]);
    expect(both.rows.map((r) => r.subject)).toEqual(['Long letter', 'Short note']);
  });

  it('reads the mailbox again after a UIDVALIDITY change, losing nothing and storing nothing twice', async () => {
    const ids = appended.map((a) => a.messageId);
    const countOurs = async () =>
      Number((await db.query(`SELECT count(*) FROM inbound_item WHERE channel = 'email' AND external_id = ANY($1)`, [ids])).rows[0].count);
    const storedBefore = await countOurs();
    const oldValidity = (await checkpoint())!.uidValidity;

    const warnings = () => mailLog().split('\n').filter((l) => l.includes('reconnecting in')).length;
    const warnedBefore = warnings();
    // Ingest loses the mailbox (and retries) before it appears again, as when a server rebuilds one.
    const status = await imap.recreate(MAILBOX, async () => {
      await waitFor('ingest to lose the mailbox', async () => warnings() > warnedBefore);
    });
    expect(status.uidValidity).not.toBe(oldValidity);
    const admin = await dovecot.client();
    for (const a of [...appended]) await admin.append(MAILBOX, a.source);
    const fresh = compose({ from: 'jo@example.org', subject: 'After the mailbox was rebuilt' });
    const { uid: lastUid } = await admin.append(MAILBOX, fresh.source);
    await admin.logout();

    await reachedUid(lastUid, status.uidValidity);
    expect((await stored(fresh.messageId)).raw.origin.uidValidity).toBe(status.uidValidity);
    // Everything stored before is still stored once; the one deleted behind ingest's back is back.
    expect(await countOurs()).toBe(storedBefore + 1);
    expect(await item(appended.find((a) => a.source.includes('Before the restart'))!.messageId)).toBeDefined();
    const dups = await db.query(
      `SELECT external_id FROM inbound_item WHERE channel = 'email' AND external_id = ANY($1) GROUP BY external_id HAVING count(*) > 1`,
      [[...ids, fresh.messageId]],
    );
    expect(dups.rows).toEqual([]);
    expect(ingest!.output()).toContain(`UIDVALIDITY changed from ${oldValidity} to ${status.uidValidity}`);
  });

  it('never logs the IMAP password or what people wrote', () => {
    const output = earlierOutput + ingest!.output();
    expect(output).toContain('stored as item');
    expect(output).not.toContain(dovecot.password);
    expect(output).not.toContain('My letter has the wrong date.');
    expect(output).not.toContain('Hello, I have a question about my appointment.');
  });
});
