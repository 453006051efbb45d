import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import type { DeskUser, Role } from '@desk/domain';
import { hashPassword } from '../../apps/desk/src/auth/passwords.js';

/** Stays empty: one for every run, so none pile up. */
const EMPTY_DIR = join(tmpdir(), 'desk-test-web-empty');

/**
 * The desk's environment in the desk suites: its own queue prefix, and an empty web desk dir (the
 * API doesn't need the built web app, which another build step makes).
 */
export function deskEnv(prefix: string, over: Record<string, string> = {}): Record<string, string> {
  mkdirSync(EMPTY_DIR, { recursive: true });
  return {
    QUEUE_PREFIX: prefix,
    DESK_STATIC_DIR: EMPTY_DIR,
    LOG_LEVEL: 'log',
    ...over,
  };
}

export interface TestUser {
  id: string;
  email: string;
  name: string;
  initials: string;
  role: Role;
  password: string;
}

/** One argon2 hash per password per suite: hashing costs 64 MiB and a noticeable fraction of a second. */
const hashes = new Map<string, Promise<string>>();

export async function createUser(db: pg.Pool, over: Partial<Omit<TestUser, 'id'>> & { role: Role }): Promise<TestUser> {
  const tag = randomUUID().slice(0, 8);
  const user = {
    email: over.email ?? `${over.role}-${tag}@trust.example`,
    name: over.name ?? `${over.role[0]!.toUpperCase()}${over.role.slice(1)} ${tag}`,
    initials: over.initials ?? over.role.slice(0, 2).toUpperCase(),
    role: over.role,
    password: over.password ?? 'correct horse battery staple',
  };
  if (!hashes.has(user.password)) hashes.set(user.password, hashPassword(user.password));
  const [row] = (
    await db.query(`INSERT INTO "user" (email, name, initials, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
      user.email,
      user.name,
      user.initials,
      user.role,
      await hashes.get(user.password)!,
    ])
  ).rows;
  return { id: row.id, ...user };
}

export interface Session {
  /** The session cookie's value. */
  token: string;
  csrf: string;
  user: DeskUser;
  setCookie: string;
}

export interface Answer {
  status: number;
  /** Parsed JSON, loosely typed: the tests' expectations are what check its shape. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
  text: string;
}

/**
 * A session written straight into the table, as a login would leave it: for tests about something
 * else, so that each doesn't pay for an argon2 verification.
 */
export async function mintSession(db: pg.Pool, user: TestUser): Promise<Session> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  await db.query(`INSERT INTO desk_session (id, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + interval '1 hour')`, [
    createHash('sha256').update(token).digest('hex'),
    user.id,
    csrf,
  ]);
  const { password: _password, ...rest } = user;
  return { token, csrf, user: { ...rest, active: true, team: null }, setCookie: '' };
}

/** A small client for the desk's API: a session is a cookie and its CSRF token. */
export class DeskClient {
  constructor(readonly base: string) {}

  async login(email: string, password: string): Promise<Session> {
    const res = await this.request(undefined, 'POST', '/api/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${res.text}`);
    const setCookie = res.headers.get('set-cookie') ?? '';
    const token = /desk_session=([^;]*)/.exec(setCookie)?.[1];
    if (!token) throw new Error(`no session cookie in ${setCookie}`);
    return { token: decodeURIComponent(token), csrf: res.body.csrfToken, user: res.body.user, setCookie };
  }

  async loginAs(user: TestUser): Promise<Session> {
    return this.login(user.email, user.password);
  }

  /**
   * One request. A session sends its cookie and, unless `csrf` says otherwise, its CSRF token;
   * `csrf: null` sends none.
   */
  async request(session: Session | undefined, method: string, path: string, body?: unknown, options: { csrf?: string | null } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (session) headers.cookie = `desk_session=${encodeURIComponent(session.token)}`;
    const csrf = options.csrf === undefined ? session?.csrf : options.csrf;
    if (csrf !== null && csrf !== undefined) headers['x-csrf-token'] = csrf;
    const res = await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (the offences CSV)
    }
    return { status: res.status, body: parsed, headers: res.headers, text };
  }

  get(session: Session | undefined, path: string) {
    return this.request(session, 'GET', path);
  }

  post(session: Session | undefined, path: string, body: unknown = {}, options: { csrf?: string | null } = {}) {
    return this.request(session, 'POST', path, body, options);
  }

  /** Opens GET /api/events and collects what arrives until closed. */
  async events(session: Session | undefined): Promise<EventStream> {
    const controller = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (session) headers.cookie = `desk_session=${encodeURIComponent(session.token)}`;
    const res = await fetch(`${this.base}/api/events`, { headers, signal: controller.signal });
    return new EventStream(res, controller);
  }
}

export interface ServerEvent {
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

/** Reads a server-sent event stream into a list, as a browser's EventSource would. */
export class EventStream {
  readonly received: ServerEvent[] = [];
  /** The JSON error when the stream was refused. */
  error: unknown;
  private buffer = '';
  private readonly done: Promise<void>;

  constructor(
    readonly response: Response,
    private readonly controller: AbortController,
  ) {
    this.done = response.ok ? this.read() : response.json().then((body) => void (this.error = body));
  }

  get status(): number {
    return this.response.status;
  }

  private async read(): Promise<void> {
    if (!this.response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.response.body) {
        this.buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          const block = this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length) this.received.push({ event, data: JSON.parse(data.join('\n')) });
        }
      }
    } catch {
      // aborted by close()
    }
  }

  async waitFor(match: (e: ServerEvent) => boolean, timeoutMs = 5_000): Promise<ServerEvent> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.received.find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no matching event within ${timeoutMs} ms; received: ${JSON.stringify(this.received)}`);
  }

  async close(): Promise<void> {
    // A refused stream is an ordinary JSON answer: read it to the end first.
    if (this.response.ok) this.controller.abort();
    await this.done;
  }
}

const PLATFORM: Record<string, string> = { x: 'x', x_dm: 'x', facebook: 'facebook', instagram: 'instagram', email: 'email' };

export interface SeedContact {
  handle?: string | null;
  displayName?: string | null;
  externalId?: string;
}

export interface SeedInbound {
  body?: string;
  subject?: string | null;
  url?: string | null;
  receivedAt?: Date;
  dueAt?: Date | null;
  route?: string | null;
  flags?: string[];
  firstResponseAt?: Date | null;
  hiddenAt?: Date | null;
}

export interface SeedConversation {
  channel: 'x' | 'x_dm' | 'facebook' | 'instagram' | 'email';
  contact?: SeedContact;
  /** An existing contact instead of a new one. */
  contactId?: string;
  status?: 'open' | 'snoozed' | 'closed';
  priority?: number;
  route?: string | null;
  dueAt?: Date | null;
  assigneeId?: string | null;
  snoozedUntil?: Date | null;
  items?: SeedInbound[];
}

export interface SeededConversation {
  conversationId: string;
  contactId: string;
  itemIds: string[];
}

/** A conversation with its contact and items, written as triage would have left them. */
export async function seedConversation(db: pg.Pool, seed: SeedConversation): Promise<SeededConversation> {
  let contactId = seed.contactId;
  if (!contactId) {
    const [contact] = (
      await db.query(`INSERT INTO contact (platform, external_id, handle, display_name) VALUES ($1, $2, $3, $4) RETURNING id`, [
        PLATFORM[seed.channel],
        seed.contact?.externalId ?? randomUUID(),
        seed.contact?.handle === undefined ? `person_${randomUUID().slice(0, 6)}` : seed.contact.handle,
        seed.contact?.displayName === undefined ? 'A Member Of The Public' : seed.contact.displayName,
      ])
    ).rows;
    contactId = contact.id as string;
  }
  const items = seed.items ?? [{}];
  const lastReceived = items.map((i) => i.receivedAt ?? new Date(Date.now() - 60_000)).sort((a, b) => b.getTime() - a.getTime())[0];
  const [conversation] = (
    await db.query(
      `INSERT INTO conversation (channel, contact_id, status, route, priority, due_at, assignee_id, snoozed_until, last_inbound_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        seed.channel,
        contactId,
        seed.status ?? 'open',
        seed.route === undefined ? 'general' : seed.route,
        seed.priority ?? 40,
        seed.dueAt === undefined ? new Date(Date.now() + 86_400_000) : seed.dueAt,
        seed.assigneeId ?? null,
        seed.snoozedUntil ?? null,
        lastReceived,
      ],
    )
  ).rows;
  const itemIds: string[] = [];
  for (const item of items) {
    const [row] = (
      await db.query(
        `INSERT INTO inbound_item (channel, external_id, conversation_id, contact_id, received_at, subject, body, url, raw, status, route,
                                   flags, due_at, triaged_at, first_response_at, hidden_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '{}', 'triaged', $9, $10, $11, now(), $12, $13) RETURNING id`,
        [
          seed.channel,
          randomUUID(),
          conversation.id,
          contactId,
          item.receivedAt ?? new Date(Date.now() - 60_000),
          item.subject ?? null,
          item.body ?? 'When is the hospital shop open?',
          item.url ?? null,
          item.route === undefined ? (seed.route === undefined ? 'general' : seed.route) : item.route,
          item.flags ?? [],
          item.dueAt === undefined ? (seed.dueAt === undefined ? new Date(Date.now() + 86_400_000) : seed.dueAt) : item.dueAt,
          item.firstResponseAt ?? null,
          item.hiddenAt ?? null,
        ],
      )
    ).rows;
    itemIds.push(row.id);
  }
  return { conversationId: conversation.id, contactId, itemIds };
}

export interface SeedRow {
  kind: 'reply' | 'direct_message' | 'hide' | 'unhide' | 'press_forward' | 'email' | 'alert';
  channel: string;
  itemId: string | null;
  conversationId: string | null;
  status?: 'pending' | 'sending' | 'sent' | 'failed';
  body?: string | null;
  error?: unknown;
  authorId?: string | null;
  automatic?: boolean;
  recipient?: string | null;
  template?: string | null;
  /** The default keeps Postgres's microseconds, as a real row has. */
  createdAt?: Date | string;
  sentAt?: Date;
}

/** An outbound row in any state, as the responder would have left it. */
export async function seedOutboundRow(db: pg.Pool, row: SeedRow): Promise<string> {
  const status = row.status ?? 'pending';
  const [out] = (
    await db.query(
      `INSERT INTO outbound_message (idempotency_key, kind, channel, inbound_item_id, conversation_id, author_id, automatic, template, body,
                                     status, attempts, error, recipient, sent_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, coalesce($15, now())) RETURNING id`,
      [
        `test-${randomUUID()}`,
        row.kind,
        row.channel,
        row.itemId,
        row.conversationId,
        row.authorId ?? null,
        row.automatic ?? row.authorId === undefined,
        row.template ?? null,
        row.body === undefined ? 'Please call NHS 111 for advice.' : row.body,
        status,
        status === 'pending' ? 0 : 1,
        row.error === undefined ? null : JSON.stringify(row.error),
        row.recipient ?? null,
        row.sentAt ?? (status === 'sent' ? new Date() : null),
        row.createdAt ?? null,
      ],
    )
  ).rows;
  return out.id;
}

/** Polls until `check` returns something truthy, or fails saying what was last seen. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
