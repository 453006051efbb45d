import { ImapFlow } from 'imapflow';
import { backoffDelay, DEFAULT_BACKOFF, Wakeup, type BackoffSettings } from './backoff.js';
import { resumeFrom, type CheckpointStore } from './checkpoint.js';
import type { FetchedMail, MailLog, Mailbox, MailSink } from './types.js';

export interface ImapSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
}

export interface ImapMailboxOptions {
  imap: ImapSettings;
  maxMessageBytes: number;
  checkpoints: CheckpointStore;
  sink: MailSink;
  log: MailLog;
  backoff?: BackoffSettings;
  /**
   * How long an IDLE lasts before we look again anyway: under the 29 minutes servers allow, and a
   * safety net should a notification be missed.
   */
  idleRefreshMs?: number;
}

const IDLE_REFRESH_MS = 2 * 60_000;
/** Messages (and bytes of them) in the sink at once while the mailbox is read. */
const READ_AHEAD = 16;
const READ_AHEAD_BYTES = 8 * 1024 * 1024;
/**
 * Messages (and bytes) asked for in one FETCH: half the read-ahead, so one batch is fetched while
 * the one before it is being stored.
 */
const FETCH_BATCH = READ_AHEAD / 2;
const FETCH_BATCH_BYTES = READ_AHEAD_BYTES / 2;
/** UIDs stored between checkpoints while a long run of messages is read (and after the last). */
const CHECKPOINT_EVERY = 64;
const LOGOUT_WAIT_MS = 5_000;

/**
 * The communications mailbox over IMAP. Reads every message above the checkpoint, hands each to
 * the sink and advances the checkpoint only once the sink has stored it; then waits in IDLE for
 * new mail. Any failure (network, login, a mailbox that is gone) closes the connection, is logged
 * with its reason, and is retried with backoff. The mailbox is opened read-only: reading it
 * changes nothing a person using it sees.
 */
export class ImapMailbox implements Mailbox {
  private stopping = false;
  private running?: Promise<void>;
  private readonly wakeup = new Wakeup();
  private readonly label: string;
  /** A connection still being made, which a stop may cut short: there is no message in hand yet. */
  private connecting?: ImapFlow;

  constructor(private readonly options: ImapMailboxOptions) {
    const { host, port, user, mailbox } = options.imap;
    this.label = `${user}@${host}:${port}/${mailbox}`;
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeup.wake();
    this.connecting?.close();
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.session(() => (failures = 0));
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        this.wakeup.clear();
        const delay = backoffDelay(failures, this.options.backoff ?? DEFAULT_BACKOFF);
        this.options.log.warn(`mailbox ${this.label}: ${describeError(error)}; reconnecting in ${delay} ms (attempt ${failures})`);
        await this.wakeup.wait(delay);
      }
    }
  }

  /**
   * One connection: open the mailbox, then read and IDLE until stopped or something fails.
   * `healthy` is called once a full read has succeeded, so a store that keeps failing after each
   * reconnect still backs off further.
   */
  private async session(healthy: () => void): Promise<void> {
    const client = this.connect();
    // Set by the client's events; `over` stops events after the session (the close our own logout
    // causes) from cutting the next backoff short.
    const state: { broken?: Error; newMail: boolean; over: boolean } = { newMail: false, over: false };
    const fail = (error: Error) => {
      if (state.over) return;
      state.broken ??= error;
      this.wakeup.wake();
    };
    client.on('error', fail);
    client.on('close', () => fail(new Error('the connection closed')));
    client.on('exists', () => {
      if (state.over) return;
      state.newMail = true;
      this.wakeup.wake();
    });
    try {
      this.connecting = client;
      await client.connect();
      const mailbox = await client.mailboxOpen(this.options.imap.mailbox, { readOnly: true });
      this.connecting = undefined;
      const uidValidity = mailbox.uidValidity.toString();
      const resume = resumeFrom(await this.options.checkpoints.load(), uidValidity);
      if (resume.rescan) this.options.log.warn(`mailbox ${this.label}: ${resume.rescan}; reading the whole mailbox again (stored messages are kept once)`);
      this.options.log.log(`mailbox ${this.label}: open (${mailbox.exists} messages), reading above UID ${resume.lastUid}`);
      let lastUid = resume.lastUid;
      while (!this.stopping) {
        if (state.broken) throw state.broken;
        state.newMail = false;
        lastUid = await this.readNew(client, uidValidity, lastUid);
        healthy();
        if (this.stopping || state.broken || state.newMail) continue;
        // Any command we send next ends the IDLE, so its promise is left to settle on its own.
        client.idle().catch(() => undefined);
        await this.wakeup.wait(this.options.idleRefreshMs ?? IDLE_REFRESH_MS);
      }
    } finally {
      this.connecting = undefined;
      state.over = true;
      await this.disconnect(client);
    }
  }

  private connect(): ImapFlow {
    const { host, port, secure, user, password } = this.options.imap;
    // Bounds on what the server may send us: a hostile or broken server must not exhaust memory.
    const maxLiteralSize = this.options.maxMessageBytes + 64 * 1024;
    return new ImapFlow({
      host,
      port,
      secure,
      auth: { user, pass: password },
      // Its logs can carry message data; we log what matters ourselves.
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: 30_000,
      greetingTimeout: 16_000,
      maxLiteralSize,
      maxResponseSize: maxLiteralSize + 1024 * 1024,
      maxLineLength: 64 * 1024 * 1024,
      clientInfo: { name: 'engagement-desk' },
    });
  }

  /**
   * Stores every message above `lastUid` and returns the last UID below which every message is
   * stored. Messages are handed to the sink in UID order, but up to READ_AHEAD of them (and
   * READ_AHEAD_BYTES) are in the sink at once: one at a time, each waited for its own commit and
   * checkpoint, and 20 mails a second took 2.3 s each to appear. The checkpoint only moves past a
   * message once it and every message before it are stored; a failure stops the reading after the
   * messages in hand have settled, and the next session reads again from the checkpoint.
   *
   * The waiting messages' UIDs and sizes come in one FETCH, and their sources in FETCHes of up to
   * FETCH_BATCH. With a FETCH (a round trip) a message, `npm run bench:mailbox` read a backlog of
   * 1,000 at 46 a second from a server 20 ms away and 320 from one on this machine; so, 320 and 1,285.
   */
  private async readNew(client: ImapFlow, uidValidity: string, lastUid: number): Promise<number> {
    const waiting = await this.waiting(client, lastUid);
    const inHand: Array<{ uid: number; bytes: number; stored: Promise<void> }> = [];
    let bytes = 0;
    let saved = lastUid;
    let failed = false;
    const settleOldest = async () => {
      const oldest = inHand.shift()!;
      bytes -= oldest.bytes;
      await oldest.stored.catch((error: unknown) => {
        failed = true;
        throw error;
      });
      lastUid = oldest.uid;
      if (lastUid - saved >= CHECKPOINT_EVERY) saved = await this.checkpoint(uidValidity, lastUid);
    };
    try {
      for (const batch of fetchBatches(waiting)) {
        // The messages in hand are finished before a stop takes effect: stored and checkpointed.
        if (this.stopping) break;
        const batchBytes = batch.reduce((sum, m) => sum + m.size, 0);
        while (inHand.length && (inHand.length + batch.length > READ_AHEAD || bytes + batchBytes > READ_AHEAD_BYTES)) await settleOldest();
        const fetched = await this.fetch(client, batch.map((m) => m.uid), uidValidity);
        for (const { uid } of batch) {
          const mail = fetched.get(uid);
          if (!mail) this.options.log.warn(`mailbox ${this.label}: UID ${uid} was removed before it could be read`);
          const stored = mail ? this.options.sink(mail) : Promise.resolve();
          // Awaited in order by settleOldest; until then a failure must not count as unhandled.
          stored.catch(() => undefined);
          inHand.push({ uid, bytes: mail?.size ?? 0, stored });
          bytes += mail?.size ?? 0;
        }
      }
      while (inHand.length) await settleOldest();
    } finally {
      // Left in hand by a failure: those stored in an unbroken run after the checkpoint still count.
      const settled = await Promise.allSettled(inHand.map((m) => m.stored));
      for (const [i, result] of settled.entries()) {
        if (failed || result.status === 'rejected') break;
        lastUid = inHand[i]!.uid;
      }
      if (lastUid > saved) await this.checkpoint(uidValidity, lastUid);
    }
    return lastUid;
  }

  private async checkpoint(uidValidity: string, lastUid: number): Promise<number> {
    await this.options.checkpoints.save({ uidValidity, lastUid });
    return lastUid;
  }

  /** The messages above `lastUid`, in UID order, with their sizes: one FETCH. */
  private async waiting(client: ImapFlow, lastUid: number): Promise<Waiting[]> {
    const found: Waiting[] = [];
    for await (const message of client.fetch(`${lastUid + 1}:*`, { uid: true, size: true }, { uid: true })) {
      // "n:*" always includes the highest UID, even when it is below n.
      if (message.uid > lastUid) found.push({ uid: message.uid, size: message.size ?? 0 });
    }
    return found.sort((a, b) => a.uid - b.uid);
  }

  /** The sources of `uids` (cut at the size limit), by UID; one FETCH. A UID missing was removed meanwhile. */
  private async fetch(client: ImapFlow, uids: number[], uidValidity: string): Promise<Map<number, FetchedMail>> {
    const max = this.options.maxMessageBytes;
    const fetched = new Map<number, FetchedMail>();
    const query = { uid: true, size: true, internalDate: true, source: { start: 0, maxLength: max } };
    for await (const message of client.fetch(uids.join(','), query, { uid: true })) {
      if (!message.source || !uids.includes(message.uid)) continue;
      fetched.set(message.uid, {
        source: message.source,
        size: message.size ?? message.source.length,
        receivedAt: message.internalDate ? new Date(message.internalDate) : new Date(Number.NaN),
        origin: { kind: 'imap', mailbox: this.options.imap.mailbox, uidValidity, uid: message.uid },
      });
    }
    return fetched;
  }

  private async disconnect(client: ImapFlow): Promise<void> {
    // The 'error' listener stays, so a late socket error is not thrown as unhandled.
    if (client.usable) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        client.logout().catch(() => undefined),
        new Promise((resolve) => (timer = setTimeout(resolve, LOGOUT_WAIT_MS))),
      ]);
      clearTimeout(timer);
    }
    client.close();
  }
}

interface Waiting {
  uid: number;
  size: number;
}

/** Runs of waiting messages to FETCH together: up to FETCH_BATCH of them and FETCH_BATCH_BYTES, or one larger. */
export function fetchBatches(waiting: readonly Waiting[]): Waiting[][] {
  const batches: Waiting[][] = [];
  let batch: Waiting[] = [];
  let bytes = 0;
  for (const message of waiting) {
    if (batch.length && (batch.length >= FETCH_BATCH || bytes + message.size > FETCH_BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(message);
    bytes += message.size;
  }
  if (batch.length) batches.push(batch);
  return batches;
}

/** Why an IMAP step failed, without anything secret: the server's answer and our error code. */
export function describeError(error: unknown): string {
  const e = error as { message?: string; code?: string; responseText?: string; serverResponseCode?: string; authenticationFailed?: boolean };
  const parts = [e?.authenticationFailed ? 'login failed' : (e?.message ?? String(error))];
  if (e?.responseText) parts.push(`server said: ${e.responseText}`);
  else if (e?.serverResponseCode) parts.push(`server code: ${e.serverResponseCode}`);
  if (e?.code) parts.push(`code ${e.code}`);
  return parts.join('; ').replace(/\s+/g, ' ').slice(0, 500);
}
