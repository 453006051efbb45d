/**
 * A real SMTP server for the end-to-end suites (smtp-server), on 127.0.0.1 without TLS. It keeps
 * every message it accepts, raw and parsed; it can refuse the next RCPT or DATA with a chosen
 * reply; it can hold or delay its final 250 (so a test can stop the sender between the server
 * taking a message and the sender hearing so); and, like Gmail and Microsoft 365, it can file a
 * copy of each accepted message in an IMAP "Sent" mailbox (the test Dovecot) before answering.
 */
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { ImapTestClient } from '../support/dovecot.js';

export interface SaveToSent {
  host: string;
  port: number;
  user: string;
  password: string;
  mailbox: string;
}

export interface SmtpSinkOptions {
  port: number;
  /** Accounts for AUTH PLAIN/LOGIN. Without any, AUTH is not offered and mail needs no login. */
  users?: Record<string, string>;
  saveToSent?: SaveToSent;
  /** Largest message accepted (SIZE); larger ones get 552. */
  maxBytes?: number;
}

/** One accepted message. */
export interface SinkMessage {
  /** The message as received (dot-unstuffed), byte for byte. */
  raw: Buffer;
  envelope: { from: string; to: string[] };
  /** Who logged in to send it, if anyone did. */
  user?: string;
  /** Parsed headers, names lower-cased (mailparser's structured values). */
  headers: Map<string, unknown>;
  from?: string;
  /** Addresses in To, lower-cased. */
  to: string[];
  replyTo?: string;
  subject?: string;
  text?: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  receivedAt: Date;
}

export interface SmtpReply {
  /** The reply code, e.g. 450 or 550. */
  code: number;
  message: string;
  /** Which command gets it; DATA by default. */
  at?: 'rcpt' | 'data';
}

interface Waiter {
  count: number;
  resolve: (messages: SinkMessage[]) => void;
}

const LOCALHOST = new Set(['127.0.0.1', 'localhost', '::1']);

export class SmtpSink {
  /** Accepted messages, oldest first. */
  readonly messages: SinkMessage[] = [];
  /** Every AUTH attempt, for tests that check a login happened (or failed). */
  readonly logins: Array<{ user: string; ok: boolean }> = [];
  /** Called once a message is stored (and filed in Sent), before the final 250 is sent. */
  onAccepted?: (message: SinkMessage) => void | Promise<void>;
  /** Wait this long before each final 250. */
  responseDelayMs = 0;

  private readonly failures: Array<Required<SmtpReply>> = [];
  private readonly waiters: Waiter[] = [];
  private hold?: { promise: Promise<void>; release: () => void };

  private readonly server: SMTPServer;

  private constructor(
    readonly port: number,
    private readonly options: SmtpSinkOptions,
  ) {
    const users = options.users ?? {};
    const withAuth = Object.keys(users).length > 0;
    this.server = new SMTPServer({
      secure: false,
      disabledCommands: withAuth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !withAuth,
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      disableReverseLookup: true,
      size: options.maxBytes ?? 25 * 1024 * 1024,
      logger: false,
      banner: 'desk test sink',
      closeTimeout: 1_000,
      onAuth: (auth, _session, callback) => {
        const ok = typeof auth.username === 'string' && users[auth.username] !== undefined && users[auth.username] === auth.password;
        this.logins.push({ user: String(auth.username), ok });
        if (ok) return callback(null, { user: auth.username });
        callback(replyError(535, '5.7.8 Authentication credentials invalid'));
      },
      onRcptTo: (_address, _session, callback) => callback(this.takeFailure('rcpt')),
      onData: (stream, session, callback) => {
        this.receive(stream, session).then(
          (reply) => callback(null, reply),
          (error: Error) => callback(error),
        );
      },
    });
    // Client sockets that vanish (a sender killed mid-session) are expected here.
    this.server.on('error', () => undefined);
  }

  static async start(options: SmtpSinkOptions): Promise<SmtpSink> {
    if (options.saveToSent && !LOCALHOST.has(options.saveToSent.host)) throw new Error('saveToSent must be the local test Dovecot');
    const sink = new SmtpSink(options.port, options);
    await new Promise<void>((resolve, reject) => {
      sink.server.once('error', reject);
      sink.server.listen(options.port, '127.0.0.1', () => {
        sink.server.off('error', reject);
        resolve();
      });
    });
    return sink;
  }

  /** The next RCPT TO (for `at: 'rcpt'`) or DATA (the default) is answered with this reply. */
  failNext(reply: SmtpReply): void {
    this.failures.push({ at: 'data', ...reply });
  }

  /** Final 250s wait from now on, until releaseResponses(). Messages are still stored at once. */
  holdResponses(): void {
    if (this.hold) return;
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.hold = { promise, release };
  }

  releaseResponses(): void {
    this.hold?.release();
    this.hold = undefined;
  }

  /** Resolves with the messages once at least `count` have been accepted. */
  waitFor(count: number, timeoutMs = 10_000): Promise<SinkMessage[]> {
    if (this.messages.length >= count) return Promise.resolve([...this.messages]);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { count, resolve: (m) => (clearTimeout(timer), resolve(m)) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`the SMTP sink has ${this.messages.length} messages after ${timeoutMs} ms, not ${count}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Forgets accepted messages, pending failures and the hold, between tests. */
  reset(): void {
    this.messages.length = 0;
    this.logins.length = 0;
    this.failures.length = 0;
    this.onAccepted = undefined;
    this.responseDelayMs = 0;
    this.releaseResponses();
  }

  async stop(): Promise<void> {
    this.releaseResponses();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private takeFailure(at: 'rcpt' | 'data'): Error | null {
    const index = this.failures.findIndex((f) => f.at === at);
    if (index < 0) return null;
    const [failure] = this.failures.splice(index, 1);
    return replyError(failure!.code, failure!.message);
  }

  /** Reads one message; resolves with the 250 text once it is stored, or rejects with an SMTP error. */
  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    if (stream.sizeExceeded) throw replyError(552, '5.3.4 Message size exceeds fixed maximum message size');
    const failure = this.takeFailure('data');
    if (failure) throw failure;

    const raw = Buffer.concat(chunks);
    const message = await parse(raw, session);
    if (this.options.saveToSent) await saveCopy(this.options.saveToSent, raw);
    this.messages.push(message);
    this.wake();
    await this.onAccepted?.(message);
    if (this.responseDelayMs > 0) await new Promise((r) => setTimeout(r, this.responseDelayMs));
    await this.hold?.promise;
    return `2.0.0 Ok: queued as ${this.messages.length}`;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      if (this.messages.length < waiter.count) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve([...this.messages]);
    }
  }
}

function replyError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase())).filter(Boolean);
}

async function parse(raw: Buffer, session: SMTPServerSession): Promise<SinkMessage> {
  const parsed = await simpleParser(raw);
  const references = parsed.references === undefined ? [] : Array.isArray(parsed.references) ? parsed.references : [parsed.references];
  return {
    raw,
    envelope: {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((r) => r.address),
    },
    user: typeof session.user === 'string' ? session.user : undefined,
    headers: parsed.headers as Map<string, unknown>,
    from: parsed.from?.text,
    to: addresses(parsed.to),
    replyTo: parsed.replyTo?.text,
    subject: parsed.subject,
    text: parsed.text,
    html: parsed.html === false ? undefined : parsed.html,
    messageId: parsed.messageId,
    inReplyTo: parsed.inReplyTo,
    references,
    receivedAt: new Date(),
  };
}

/**
 * APPENDs the message to the Sent mailbox, as the big providers file what is submitted to them.
 * Their Sent mailbox always exists, so a missing one is created on first use.
 */
async function saveCopy(sent: SaveToSent, raw: Buffer): Promise<void> {
  const client = await ImapTestClient.login(sent.port, sent.user, sent.password);
  try {
    await client.append(sent.mailbox, raw).catch(async (error: Error) => {
      if (!/TRYCREATE|NONEXISTENT/i.test(error.message)) throw error;
      await client.create(sent.mailbox);
      await client.append(sent.mailbox, raw);
    });
  } finally {
    await client.logout();
  }
}
