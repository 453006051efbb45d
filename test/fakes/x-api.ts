/**
 * A local X API v2 for the end-to-end suites, built from the published exchanges in
 * ../shared/fixtures/x: the mention timeline (since_id, pagination) and DM events, with X's
 * field selection, OAuth 1.0a user-context signatures checked, rate-limit headers on every
 * answer, 429s on demand, and a log of every request it received.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FAKE_CREDENTIALS } from '@desk/config';

export interface FixtureExchange {
  status: number;
  headers: Record<string, string | string[]>;
  body: unknown;
  request: { method: string; url: string };
}

const FIXTURES = process.env.X_FIXTURES_DIR ?? new URL('../../../shared/fixtures/x/', import.meta.url).pathname;

export function loadXFixture(name: string): FixtureExchange {
  return JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8')) as FixtureExchange;
}

export interface FakeUser {
  id: string;
  name: string;
  username: string;
}

export interface FakeTweet {
  id: string;
  text: string;
  edit_history_tweet_ids: string[];
  author_id?: string;
  created_at?: string;
  conversation_id?: string;
  in_reply_to_user_id?: string;
  referenced_tweets?: Array<{ type: 'replied_to' | 'quoted' | 'retweeted'; id: string }>;
  note_tweet?: { text: string };
}

export interface FakeDmEvent {
  id: string;
  event_type: 'MessageCreate' | 'ParticipantsJoin' | 'ParticipantsLeave';
  text?: string;
  created_at?: string;
  sender_id?: string;
  dm_conversation_id?: string;
  participant_ids?: string[];
}

export type Endpoint = 'mentions' | 'dm_events';

export interface RecordedRequest {
  /** When it arrived (ms since the epoch, our clock). */
  at: number;
  method: string;
  path: string;
  endpoint?: Endpoint;
  /** The account the OAuth token names (whether or not its signature was good). */
  account?: string;
  query: Record<string, string>;
  status: number;
  /** Ids of the tweets or DM events in the answer. */
  returnedIds: string[];
  /** The answer's meta.next_token, when it had one. */
  nextToken?: string;
  /** On a 429: the `x-rate-limit-reset` sent (epoch seconds). */
  rateLimitReset?: number;
}

interface Account {
  mentions: FakeTweet[];
  dmEvents: FakeDmEvent[];
  users: Map<string, FakeUser>;
  /** Per endpoint: the current 15-minute window, and any 429s asked for. */
  windows: Map<Endpoint, Window>;
}

interface Window {
  /** Epoch seconds the current 15-minute window began, and requests used in it. */
  start: number;
  used: number;
  /** Requests still let through before forced 429s, how many, and how far off their reset is. */
  forcedAfter: number;
  forced: number;
  forcedFor: number;
  /** Epoch seconds before which every request is refused. */
  blockedUntil: number;
}

const MENTIONS_OK = loadXFixture('users-mentions-200.json');
const DM_OK = loadXFixture('dm-conversations-id-dm-events-200.json');
const TOO_MANY = loadXFixture('429-rate-limit.json');
const UNAUTHORIZED = loadXFixture('401-unauthorized.json');

const DEFAULT_FIELDS = {
  tweet: ['id', 'text', 'edit_history_tweet_ids'],
  user: ['id', 'name', 'username'],
  dm: ['id', 'event_type', 'text'],
};
const WINDOW_S = 15 * 60;
/** The published limits, as the fixtures' x-rate-limit-limit headers give them. */
const LIMITS: Record<Endpoint, number> = {
  mentions: Number(MENTIONS_OK.headers['x-rate-limit-limit']),
  dm_events: Number(DM_OK.headers['x-rate-limit-limit']),
};

export class FakeXApi {
  readonly requests: RecordedRequest[] = [];
  /** The most items one page holds, whatever max_results asks: small values force pagination. */
  pageSize = 100;
  private readonly accounts = new Map<string, Account>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(port = 4400): Promise<FakeXApi> {
    const server = createServer();
    const fake = new FakeXApi(server, port);
    server.on('request', (req, res) => fake.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The access token a test gives ingest so that this fake knows which account is asking. */
  static tokenFor(userId: string): string {
    // X's user access tokens begin with the user's id and a dash.
    return `${userId}-fakeaccesstoken`;
  }

  addMention(userId: string, tweet: FakeTweet, author?: FakeUser): void {
    const account = this.account(userId);
    if (author) account.users.set(author.id, author);
    account.mentions.push(tweet);
    account.mentions.sort((a, b) => compare(b.id, a.id));
  }

  addDmEvent(userId: string, event: FakeDmEvent, sender?: FakeUser): void {
    const account = this.account(userId);
    if (sender) account.users.set(sender.id, sender);
    account.dmEvents.push(event);
    account.dmEvents.sort((a, b) => compare(b.id, a.id));
  }

  /**
   * The recorded mentions (users-mentions-200.json) and DM events (dm-conversations-id-dm-events-200.json)
   * as this account's timeline. They were recorded with default fields only, so the fields the
   * poller asks for are filled in as X derives them: the time from the snowflake id, each tweet
   * its own conversation, authors from users-ids-200-default.json.
   */
  seedFromFixtures(userId: string): { mentions: FakeTweet[]; dmEvents: FakeDmEvent[]; users: FakeUser[] } {
    const users = (loadXFixture('users-ids-200-default.json').body as { data: FakeUser[] }).data.filter((u) => u.id !== userId);
    const tweets = (MENTIONS_OK.body as { data: FakeTweet[] }).data.map((t, i) => ({
      ...t,
      author_id: users[i % users.length]!.id,
      created_at: snowflakeTime(t.id),
      conversation_id: t.id,
    }));
    for (const [i, tweet] of tweets.entries()) this.addMention(userId, tweet, users[i % users.length]);
    const other = /dm_conversations\/(\d+)-(\d+)\//.exec(DM_OK.request.url)![1]!;
    const sender: FakeUser = { id: other, name: 'DM fixture sender', username: 'dm_fixture_sender' };
    const dmEvents = (DM_OK.body as { data: FakeDmEvent[] }).data.map((e) => ({
      ...e,
      created_at: snowflakeTime(e.id),
      sender_id: other,
      dm_conversation_id: compare(other, userId) < 0 ? `${other}-${userId}` : `${userId}-${other}`,
    }));
    for (const event of dmEvents) this.addDmEvent(userId, event, sender);
    return { mentions: tweets, dmEvents, users: [...users, sender] };
  }

  /**
   * After `after` more requests of this account to `endpoint`, the next `times` get a 429 whose
   * reset is `resetInSeconds` away; until that reset every request is refused again, as X does.
   */
  limitNext(userId: string, endpoint: Endpoint, { after = 0, times = 1, resetInSeconds = 2 } = {}): void {
    const window = this.window(this.account(userId), endpoint);
    window.forcedAfter = after;
    window.forced = times;
    window.forcedFor = resetInSeconds;
  }

  requestsFor(userId: string, endpoint: Endpoint): RecordedRequest[] {
    return this.requests.filter((r) => r.account === userId && r.endpoint === endpoint);
  }

  private account(userId: string): Account {
    let account = this.accounts.get(userId);
    if (!account) {
      account = { mentions: [], dmEvents: [], users: new Map(), windows: new Map() };
      this.accounts.set(userId, account);
    }
    return account;
  }

  private window(account: Account, endpoint: Endpoint): Window {
    const now = Math.floor(Date.now() / 1000);
    const window = account.windows.get(endpoint) ?? { start: now, used: 0, forcedAfter: 0, forced: 0, forcedFor: 0, blockedUntil: 0 };
    if (now >= window.start + WINDOW_S) Object.assign(window, { start: now, used: 0 });
    account.windows.set(endpoint, window);
    return window;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? `127.0.0.1:${this.port}`}`);
    const record: RecordedRequest = {
      at: Date.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      returnedIds: [],
    };
    this.requests.push(record);
    req.resume();
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(text);
    };

    const mentions = /^\/2\/users\/(\d{1,20})\/mentions$/.exec(url.pathname);
    const endpoint: Endpoint | undefined = req.method !== 'GET' ? undefined : mentions ? 'mentions' : url.pathname === '/2/dm_events' ? 'dm_events' : undefined;
    record.endpoint = endpoint;
    const auth = verifyOAuth(req, url);
    record.account = auth.account;
    if (!auth.ok) return send(401, UNAUTHORIZED.body);
    const account = auth.account;
    if (!endpoint) return send(404, { title: 'Not Found Error', detail: 'Sorry, that page does not exist.', type: 'https://api.twitter.com/2/problems/resource-not-found' });

    const owner = this.account(endpoint === 'mentions' ? mentions![1]! : account);
    const window = this.window(this.account(account), endpoint);
    const now = Math.floor(Date.now() / 1000);
    const reset = window.start + WINDOW_S;
    const forcedNow = window.forced > 0 && window.forcedAfter === 0;
    if (window.forced > 0 && window.forcedAfter > 0) window.forcedAfter--;
    if (forcedNow || Date.now() < window.blockedUntil * 1000 || window.used >= LIMITS[endpoint]) {
      let until = window.used >= LIMITS[endpoint] ? reset : window.blockedUntil;
      if (forcedNow) {
        window.forced--;
        until = now + window.forcedFor;
        window.blockedUntil = until;
      }
      record.status = 429;
      record.rateLimitReset = until;
      res
        .writeHead(429, {
          'content-type': String(TOO_MANY.headers['content-type']),
          'x-rate-limit-limit': String(LIMITS[endpoint]),
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(until),
        })
        .end(TOO_MANY.body as string);
      return;
    }
    window.used++;
    const limitHeaders = {
      'x-rate-limit-limit': String(LIMITS[endpoint]),
      'x-rate-limit-remaining': String(LIMITS[endpoint] - window.used),
      'x-rate-limit-reset': String(reset),
      'api-version': String((endpoint === 'mentions' ? MENTIONS_OK : DM_OK).headers['api-version']),
    };

    const page = endpoint === 'mentions' ? this.mentionsPage(owner, url.searchParams) : this.dmPage(owner, url.searchParams);
    if ('error' in page) return send(400, page.error, limitHeaders);
    record.returnedIds = page.ids;
    record.nextToken = page.next;
    send(200, page.body, limitHeaders);
  }

  private mentionsPage(account: Account, query: URLSearchParams): PageAnswer {
    const sinceId = query.get('since_id') ?? undefined;
    const candidates = account.mentions.filter((t) => !sinceId || compare(t.id, sinceId) > 0);
    const paged = this.paginate(candidates, query, 5);
    if ('error' in paged) return paged;
    const fields = requested(query, 'tweet.fields', DEFAULT_FIELDS.tweet);
    const data = paged.items.map((t) => pick(t, fields));
    const body: Record<string, unknown> = {};
    if (data.length) body.data = data;
    if (query.get('expansions')?.split(',').includes('author_id')) {
      const users = unique(paged.items.map((t) => t.author_id)).flatMap((id) => {
        const user = id ? account.users.get(id) : undefined;
        return user ? [pick(user, requested(query, 'user.fields', DEFAULT_FIELDS.user))] : [];
      });
      if (users.length) body.includes = { users };
    }
    body.meta = {
      result_count: data.length,
      ...(data.length ? { newest_id: paged.items[0]!.id, oldest_id: paged.items.at(-1)!.id } : {}),
      ...(paged.next ? { next_token: paged.next } : {}),
    };
    return { body, ids: paged.items.map((t) => t.id), next: paged.next };
  }

  private dmPage(account: Account, query: URLSearchParams): PageAnswer {
    const types = query.get('event_types')?.split(',');
    const candidates = account.dmEvents.filter((e) => !types || types.includes(e.event_type));
    const paged = this.paginate(candidates, query, 1);
    if ('error' in paged) return paged;
    const fields = requested(query, 'dm_event.fields', DEFAULT_FIELDS.dm);
    const data = paged.items.map((e) => pick(e, fields));
    const body: Record<string, unknown> = {};
    if (data.length) body.data = data;
    if (query.get('expansions')?.split(',').includes('sender_id')) {
      const users = unique(paged.items.map((e) => e.sender_id)).flatMap((id) => {
        const user = id ? account.users.get(id) : undefined;
        return user ? [pick(user, requested(query, 'user.fields', DEFAULT_FIELDS.user))] : [];
      });
      if (users.length) body.includes = { users };
    }
    body.meta = { result_count: data.length, ...(paged.next ? { next_token: paged.next } : {}) };
    return { body, ids: paged.items.map((e) => e.id), next: paged.next };
  }

  /** Newest first; a token names the last id handed out, so items added meanwhile do not shift pages. */
  private paginate<T extends { id: string }>(items: T[], query: URLSearchParams, minResults: number): { items: T[]; next?: string } | { error: unknown } {
    const max = Number(query.get('max_results') ?? 10);
    if (!Number.isInteger(max) || max < minResults || max > 100) {
      return { error: invalid('max_results', String(query.get('max_results'))) };
    }
    const token = query.get('pagination_token');
    let rest = items;
    if (token !== null) {
      const until = /^u([0-9a-z]{1,16})$/.exec(token);
      if (!until) return { error: invalid('pagination_token', token) };
      const last = parseBase36(until[1]!);
      rest = items.filter((item) => BigInt(item.id) < last);
    }
    const pageItems = rest.slice(0, Math.min(max, this.pageSize));
    const next = rest.length > pageItems.length ? `u${BigInt(pageItems.at(-1)!.id).toString(36)}` : undefined;
    return { items: pageItems, next };
  }
}

type PageAnswer = { body: unknown; ids: string[]; next?: string } | { error: unknown };

function parseBase36(text: string): bigint {
  let value = 0n;
  for (const ch of text) value = value * 36n + BigInt(parseInt(ch, 36));
  return value;
}

function invalid(parameter: string, value: string) {
  return {
    errors: [{ parameters: { [parameter]: [value] }, message: `The \`${parameter}\` query parameter value [${value}] is not valid` }],
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.twitter.com/2/problems/invalid-request',
  };
}

function requested(query: URLSearchParams, name: string, defaults: string[]): string[] {
  return unique([...defaults, ...(query.get(name)?.split(',') ?? [])]);
}

function pick<T extends object>(item: T, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([key]) => fields.includes(key)));
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function compare(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The time a snowflake id was minted, as X's `created_at` writes it. */
export function snowflakeTime(id: string): string {
  return new Date(Number((BigInt(id) >> 22n) + 1288834974657n)).toISOString();
}

/** RFC 3986 percent-encoding, as OAuth 1.0a signs. */
function enc(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Checks the OAuth 1.0a HMAC-SHA1 signature against the fake credentials. The account is the one
 * the token names (X's user tokens begin with the user's id), told even when the check fails.
 */
function verifyOAuth(req: IncomingMessage, url: URL): { ok: boolean; account: string } {
  const { consumerKey, consumerSecret, accessSecret, userId } = FAKE_CREDENTIALS.x;
  const header = req.headers.authorization;
  const oauth: Record<string, string> = {};
  for (const part of header?.startsWith('OAuth ') ? header.slice(6).split(',') : []) {
    const m = /^\s*([a-z_]+)="([^"]*)"\s*$/.exec(part);
    if (m) oauth[m[1]!] = decodeURIComponent(m[2]!);
  }
  const account = /^(\d{1,20})-/.exec(oauth.oauth_token ?? '')?.[1] ?? userId;
  if (oauth.oauth_consumer_key !== consumerKey || oauth.oauth_signature_method !== 'HMAC-SHA1' || !oauth.oauth_token || !oauth.oauth_signature) {
    return { ok: false, account };
  }
  const params = [...url.searchParams.entries(), ...Object.entries(oauth).filter(([k]) => k !== 'oauth_signature')]
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = [req.method ?? 'GET', enc(`${url.protocol}//${url.host}${url.pathname}`), enc(params)].join('&');
  const expected = createHmac('sha1', `${enc(consumerSecret)}&${enc(accessSecret)}`).update(base).digest();
  const given = Buffer.from(oauth.oauth_signature, 'base64');
  return { ok: given.length === expected.length && timingSafeEqual(given, expected), account };
}
