/**
 * A local X API v2 for the end-to-end suites, built from the published exchanges in
 * ../shared/fixtures/x: the mention timeline (since_id, pagination) and DM events, with X's
 * field selection, OAuth 1.0a user-context signatures checked, rate-limit headers on every
 * answer, 429s on demand, and a log of every request it received. For the responder: posting
 * replies, the account's own timeline, DMs to one person and their conversation, hiding replies,
 * and hooks to act (or crash) between X accepting a post and its answer arriving.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { x } from '@desk/channels';
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

export type Endpoint = 'mentions' | 'dm_events' | 'tweets_create' | 'user_tweets' | 'dm_send' | 'dm_with_events' | 'hide';
/** The endpoints that change something at X: their answers can be delayed or held. */
export type WriteEndpoint = 'tweets_create' | 'dm_send' | 'hide';

export interface RecordedRequest {
  /** When it arrived (ms since the epoch, our clock). */
  at: number;
  method: string;
  path: string;
  endpoint?: Endpoint;
  /** The account the OAuth token names (whether or not its signature was good). */
  account?: string;
  query: Record<string, string>;
  /** A write's JSON body, as parsed. */
  body?: unknown;
  status: number;
  /** Ids of the tweets or DM events in the answer. */
  returnedIds: string[];
  /** The answer's meta.next_token, when it had one. */
  nextToken?: string;
  /** On a 429: the `x-rate-limit-reset` sent (epoch seconds). */
  rateLimitReset?: number;
  /** The tweet or DM event a write created. */
  createdId?: string;
}

/** A tweet an account posted through the fake. */
export interface FakePost {
  id: string;
  author_id: string;
  /** The text as the request sent it. */
  text: string;
  /** The text as X holds and returns it: reply @mention first, links as t.co, &, < and > escaped. */
  storedText: string;
  in_reply_to_tweet_id?: string;
  created_at: string;
}

export interface FakeSentDm {
  id: string;
  sender_id: string;
  participant_id: string;
  dm_conversation_id: string;
  text: string;
  created_at: string;
}

/** What `onAccepted` is told: X has acted, and its answer is not yet on the wire. */
export interface AcceptedWrite {
  endpoint: WriteEndpoint;
  account: string;
  /** The tweet or DM event created, or the tweet hidden. */
  id: string;
  body: unknown;
}

interface Account {
  mentions: FakeTweet[];
  /** What the account posted (newest first): its user timeline. */
  tweets: FakeTweet[];
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

interface Route {
  endpoint: Endpoint;
  /** The id in the path: a user, a tweet, or the DM participant. */
  id?: string;
}

interface Answer {
  status: number;
  body: unknown;
  ids?: string[];
  next?: string;
  created?: string;
}

const MENTIONS_OK = loadXFixture('users-mentions-200.json');
const DM_OK = loadXFixture('dm-conversations-id-dm-events-200.json');
const TWEET_CREATED = loadXFixture('tweets-create-201.json');
const DM_SENT = loadXFixture('dm-conversations-with-participant-messages-201.json');
const DM_WITH_OK = loadXFixture('dm-conversations-with-participant-dm-events-200.json');
const HIDDEN_OK = loadXFixture('tweets-hidden-200.json');
const TOO_MANY = loadXFixture('429-rate-limit.json');
const UNAUTHORIZED = loadXFixture('401-unauthorized.json');

const DEFAULT_FIELDS = {
  tweet: ['id', 'text', 'edit_history_tweet_ids'],
  user: ['id', 'name', 'username'],
  dm: ['id', 'event_type', 'text'],
};
const WINDOW_S = 15 * 60;
const limitOf = (exchange: FixtureExchange) => Number(exchange.headers['x-rate-limit-limit']);
/** The published limits, as the fixtures' x-rate-limit-limit headers give them (the user timeline has no fixture: X documents 900). */
const LIMITS: Record<Endpoint, number> = {
  mentions: limitOf(MENTIONS_OK),
  dm_events: limitOf(DM_OK),
  tweets_create: limitOf(TWEET_CREATED),
  user_tweets: 900,
  dm_send: limitOf(DM_SENT),
  dm_with_events: limitOf(DM_WITH_OK),
  hide: limitOf(HIDDEN_OK),
};
const API_VERSION: Partial<Record<Endpoint, FixtureExchange>> = {
  mentions: MENTIONS_OK,
  dm_events: DM_OK,
  tweets_create: TWEET_CREATED,
  dm_send: DM_SENT,
  dm_with_events: DM_WITH_OK,
};
const WRITES = new Set<Endpoint>(['tweets_create', 'dm_send', 'hide']);
const MAX_BODY_BYTES = 1 << 20;
const MAX_DM = 10_000;

/** X's words for the refusals the fake gives (v2 problem bodies as X sends them). */
const REPLY_TO_DELETED = { detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.', type: 'about:blank', title: 'Forbidden', status: 403 };
const DUPLICATE = { detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 };

export class FakeXApi {
  readonly requests: RecordedRequest[] = [];
  /** Every tweet posted through the fake, oldest first. */
  readonly posts: FakePost[] = [];
  /** Every DM sent through the fake, oldest first. */
  readonly dmsSent: FakeSentDm[] = [];
  /** Tweet id → whether it is hidden, for every tweet a hide request named. */
  readonly hidden = new Map<string, boolean>();
  /** Requests per 15-minute window, per endpoint: X's published limits unless a benchmark raises them. */
  readonly limits: Record<Endpoint, number> = { ...LIMITS };
  /** The most items one page holds, whatever max_results asks: small values force pagination. */
  pageSize = 100;
  /**
   * Called synchronously once a write has been acted on and recorded, before its answer is
   * written: the moment a crash test needs. If it throws, X has acted and answers 500.
   */
  onAccepted?: (write: AcceptedWrite) => void;
  /** Writes' answers wait this long after X acted (a slow X, or one slower than the client's timeout). */
  responseDelayMs = 0;
  /** Writes' answers wait until `releaseResponses()` or `dropHeldResponses()`. */
  holdResponses = false;
  private readonly held: Array<{ write: () => void; res: ServerResponse }> = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly accounts = new Map<string, Account>();
  private readonly deleted = new Set<string>();
  private readonly postedTexts = new Set<string>();
  private lastId = 0n;
  private sequence = 0n;

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
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.held.length = 0;
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

  /** A tweet already on the account's own timeline (as if posted elsewhere), e.g. a reply X reworded. */
  addOwnTweet(userId: string, tweet: FakeTweet): void {
    const account = this.account(userId);
    account.tweets.push({ author_id: userId, ...tweet });
    account.tweets.sort((a, b) => compare(b.id, a.id));
  }

  addDmEvent(userId: string, event: FakeDmEvent, sender?: FakeUser): void {
    const account = this.account(userId);
    if (sender) account.users.set(sender.id, sender);
    account.dmEvents.push(event);
    account.dmEvents.sort((a, b) => compare(b.id, a.id));
  }

  /** The tweet's author deleted it: replies to it are refused, as X refuses them. */
  deleteTweet(id: string): void {
    this.deleted.add(id);
  }

  /** Sends the held answers; returns how many. */
  releaseResponses(): number {
    const held = this.held.splice(0);
    for (const { write } of held) write();
    return held.length;
  }

  /** Closes the held answers' connections unanswered (X acted; the client sees a reset); returns how many. */
  dropHeldResponses(): number {
    const held = this.held.splice(0);
    for (const { res } of held) res.socket?.destroy();
    return held.length;
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
      dm_conversation_id: conversationId(other, userId),
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
      account = { mentions: [], tweets: [], dmEvents: [], users: new Map(), windows: new Map() };
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
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-transaction-id': randomBytes(8).toString('hex'), ...headers }).end(text);
    };
    const route = routeOf(record.method, url.pathname);
    record.endpoint = route?.endpoint;
    readBody(req)
      .then((raw) => this.answer(req, url, record, route, raw, send, res))
      .catch((error: unknown) => {
        console.error('fake X API failed', error);
        if (!res.headersSent) send(500, { title: 'Internal Server Error', detail: 'The fake failed.', type: 'about:blank', status: 500 });
      });
  }

  private answer(
    req: IncomingMessage,
    url: URL,
    record: RecordedRequest,
    route: Route | undefined,
    raw: string | undefined,
    send: (status: number, body: unknown, headers?: Record<string, string>) => void,
    res: ServerResponse,
  ): void {
    const auth = verifyOAuth(req, url);
    record.account = auth.account;
    if (!auth.ok) return send(401, UNAUTHORIZED.body);
    const account = auth.account;
    if (raw === undefined) return send(413, { title: 'Payload Too Large', detail: 'The request body is too large.', type: 'about:blank', status: 413 });
    if (!route) return send(404, { title: 'Not Found Error', detail: 'Sorry, that page does not exist.', type: 'https://api.twitter.com/2/problems/resource-not-found' });
    const endpoint = route.endpoint;

    let body: unknown;
    if (WRITES.has(endpoint)) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(400, { title: 'Invalid Request', detail: 'The request body is not valid JSON.', type: 'https://api.twitter.com/2/problems/invalid-request' });
      }
      record.body = body;
    }

    const window = this.window(this.account(account), endpoint);
    const now = Math.floor(Date.now() / 1000);
    const reset = window.start + WINDOW_S;
    const forcedNow = window.forced > 0 && window.forcedAfter === 0;
    if (window.forced > 0 && window.forcedAfter > 0) window.forcedAfter--;
    if (forcedNow || Date.now() < window.blockedUntil * 1000 || window.used >= this.limits[endpoint]) {
      let until = window.used >= this.limits[endpoint] ? reset : window.blockedUntil;
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
          'x-rate-limit-limit': String(this.limits[endpoint]),
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(until),
        })
        .end(TOO_MANY.body as string);
      return;
    }
    window.used++;
    const limitHeaders: Record<string, string> = {
      'x-rate-limit-limit': String(this.limits[endpoint]),
      'x-rate-limit-remaining': String(this.limits[endpoint] - window.used),
      'x-rate-limit-reset': String(reset),
      ...(API_VERSION[endpoint] ? { 'api-version': String(API_VERSION[endpoint].headers['api-version']) } : {}),
    };

    const answer = this.dispatch(route, account, url.searchParams, body);
    record.returnedIds = answer.ids ?? [];
    record.nextToken = answer.next;
    record.createdId = answer.created;
    if (!WRITES.has(endpoint) || answer.status >= 300) return send(answer.status, answer.body, limitHeaders);

    const write = () => send(answer.status, answer.body, limitHeaders);
    try {
      this.onAccepted?.({ endpoint: endpoint as WriteEndpoint, account, id: answer.created ?? route.id!, body });
    } catch (error) {
      console.error('onAccepted threw; answering 500 after acting', error);
      return send(500, { title: 'Internal Server Error', detail: 'Internal error.', type: 'about:blank', status: 500 });
    }
    if (this.holdResponses) {
      this.held.push({ write, res });
    } else if (this.responseDelayMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!res.destroyed) write();
      }, this.responseDelayMs);
      this.timers.add(timer);
    } else {
      write();
    }
  }

  private dispatch(route: Route, account: string, query: URLSearchParams, body: unknown): Answer {
    switch (route.endpoint) {
      case 'mentions':
        return pageAnswer(this.tweetsPage(this.account(route.id!), this.account(route.id!).mentions, query));
      case 'user_tweets':
        return pageAnswer(this.tweetsPage(this.account(route.id!), this.account(route.id!).tweets, query));
      case 'dm_events':
        return pageAnswer(this.dmPage(this.account(account), this.account(account).dmEvents, query));
      case 'dm_with_events':
        return pageAnswer(this.dmPage(this.account(account), this.conversation(account, route.id!), query));
      case 'tweets_create':
        return this.createTweet(account, body);
      case 'dm_send':
        return this.sendDm(account, route.id!, body);
      case 'hide':
        return this.hide(route.id!, body);
    }
  }

  private createTweet(author: string, body: unknown): Answer {
    if (!isRecord(body) || typeof body.text !== 'string') return { status: 400, body: invalidBody('text', 'is required') };
    const text = body.text;
    const reply = body.reply;
    const replyTo = isRecord(reply) && typeof reply.in_reply_to_tweet_id === 'string' && /^\d{1,20}$/.test(reply.in_reply_to_tweet_id) ? reply.in_reply_to_tweet_id : undefined;
    if (reply !== undefined && !replyTo) return { status: 400, body: invalidBody('reply.in_reply_to_tweet_id', 'must be a tweet id') };
    if (!text.trim()) return { status: 400, body: invalidBody('text', 'must not be empty') };
    if (x.xWeightedLength(text) > 280) return { status: 400, body: invalidBody('text', 'is too long: a post may have 280 characters') };
    if (replyTo && this.deleted.has(replyTo)) return { status: 403, body: REPLY_TO_DELETED };

    const target = replyTo ? this.findTweet(replyTo) : undefined;
    const mention = target?.author && target.author.id !== author ? `@${target.author.username} ` : '';
    const storedText = mention + asXStoresIt(text);
    // A template sent to two people is two texts to X (the @mention differs); to a tweet the fake does not know, assume a new person.
    const duplicateKey = [author, target?.author ? '' : (replyTo ?? ''), mention + text].join('\u0000');
    if (this.postedTexts.has(duplicateKey)) return { status: 403, body: DUPLICATE };
    this.postedTexts.add(duplicateKey);

    const id = this.mint(replyTo);
    const created_at = snowflakeTime(id);
    this.addOwnTweet(author, {
      id,
      text: storedText,
      edit_history_tweet_ids: [id],
      author_id: author,
      created_at,
      conversation_id: target?.tweet.conversation_id ?? replyTo ?? id,
      ...(target?.author ? { in_reply_to_user_id: target.author.id } : {}),
      ...(replyTo ? { referenced_tweets: [{ type: 'replied_to' as const, id: replyTo }] } : {}),
    });
    this.posts.push({ id, author_id: author, text, storedText, ...(replyTo ? { in_reply_to_tweet_id: replyTo } : {}), created_at });
    return { status: 201, body: { data: { id, text: storedText } }, created: id };
  }

  private sendDm(sender: string, participant: string, body: unknown): Answer {
    if (!isRecord(body) || typeof body.text !== 'string' || !body.text.trim()) return { status: 400, body: invalidBody('text', 'is required') };
    if ([...body.text].length > MAX_DM) return { status: 400, body: invalidBody('text', `is too long: a message may have ${MAX_DM} characters`) };
    const id = this.mint();
    const dm_conversation_id = conversationId(sender, participant);
    const created_at = snowflakeTime(id);
    const event: FakeDmEvent = { id, event_type: 'MessageCreate', text: asXStoresIt(body.text, false), created_at, sender_id: sender, dm_conversation_id };
    this.addDmEvent(sender, event);
    this.dmsSent.push({ id, sender_id: sender, participant_id: participant, dm_conversation_id, text: body.text, created_at });
    return { status: 201, body: { data: { dm_conversation_id, dm_event_id: id } }, created: id };
  }

  private hide(id: string, body: unknown): Answer {
    if (!isRecord(body) || typeof body.hidden !== 'boolean') return { status: 400, body: invalidBody('hidden', 'must be true or false') };
    if (this.deleted.has(id)) {
      return { status: 404, body: { errors: [{ detail: `Could not find tweet with id: [${id}].`, title: 'Not Found Error', resource_type: 'tweet', parameter: 'id', value: id, type: 'https://api.twitter.com/2/problems/resource-not-found' }] } };
    }
    this.hidden.set(id, body.hidden);
    return { status: 200, body: { data: { hidden: body.hidden } } };
  }

  /** The account's DMs with one person, either way. */
  private conversation(userId: string, participant: string): FakeDmEvent[] {
    const key = conversationId(userId, participant);
    return this.account(userId).dmEvents.filter((e) => (e.dm_conversation_id ? e.dm_conversation_id === key : e.sender_id === participant));
  }

  private findTweet(id: string): { tweet: FakeTweet; author?: FakeUser } | undefined {
    for (const [userId, account] of this.accounts) {
      const tweet = account.mentions.find((t) => t.id === id) ?? account.tweets.find((t) => t.id === id);
      if (!tweet) continue;
      const authorId = tweet.author_id ?? userId;
      const author = account.users.get(authorId) ?? [...this.accounts.values()].map((a) => a.users.get(authorId)).find(Boolean);
      return { tweet, author };
    }
    return undefined;
  }

  /** A snowflake-like id: from the clock, always above the last one and above the tweet replied to. */
  private mint(after?: string): string {
    const fromClock = ((BigInt(Date.now()) - 1288834974657n) << 22n) | (1023n << 12n) | (this.sequence = (this.sequence + 1n) % 4096n);
    let id = fromClock > this.lastId ? fromClock : this.lastId + 1n;
    if (after !== undefined && id <= BigInt(after)) id = BigInt(after) + 1n;
    this.lastId = id;
    return id.toString();
  }

  private tweetsPage(account: Account, tweets: FakeTweet[], query: URLSearchParams): PageAnswer {
    const sinceId = query.get('since_id') ?? undefined;
    const untilId = query.get('until_id') ?? undefined;
    const candidates = tweets.filter((t) => (!sinceId || compare(t.id, sinceId) > 0) && (!untilId || compare(t.id, untilId) < 0));
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

  private dmPage(account: Account, events: FakeDmEvent[], query: URLSearchParams): PageAnswer {
    const types = query.get('event_types')?.split(',');
    const candidates = events.filter((e) => !types || types.includes(e.event_type));
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

function routeOf(method: string, path: string): Route | undefined {
  const id = String.raw`(\d{1,20})`;
  const routes: Array<[string, RegExp, Endpoint]> = [
    ['GET', new RegExp(`^/2/users/${id}/mentions$`), 'mentions'],
    ['GET', /^\/2\/dm_events$/, 'dm_events'],
    ['POST', /^\/2\/tweets$/, 'tweets_create'],
    ['GET', new RegExp(`^/2/users/${id}/tweets$`), 'user_tweets'],
    ['POST', new RegExp(`^/2/dm_conversations/with/${id}/messages$`), 'dm_send'],
    ['GET', new RegExp(`^/2/dm_conversations/with/${id}/dm_events$`), 'dm_with_events'],
    ['PUT', new RegExp(`^/2/tweets/${id}/hidden$`), 'hide'],
  ];
  for (const [verb, pattern, endpoint] of routes) {
    const m = verb === method ? pattern.exec(path) : null;
    if (m) return { endpoint, ...(m[1] ? { id: m[1] } : {}) };
  }
  return undefined;
}

/** The body as text, or undefined when it is larger than any X request. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function pageAnswer(page: PageAnswer): Answer {
  return 'error' in page ? { status: 400, body: page.error } : { status: 200, body: page.body, ids: page.ids, next: page.next };
}

/** X's DM conversation id for two people: the lower id first. */
function conversationId(a: string, b: string): string {
  return compare(a, b) < 0 ? `${a}-${b}` : `${b}-${a}`;
}

/**
 * The text as X keeps it: links wrapped as t.co links (X also links bare hosts such as
 * 111.nhs.uk), and in tweets &, < and > HTML-escaped, as v2 returns tweet text.
 */
function asXStoresIt(text: string, escape = true): string {
  const linked = text.replace(/(?<![\w@./-])(?:https?:\/\/[^\s]+|(?:[a-z0-9-]+\.)+(?:uk|com|org|net)(?:\/[^\s]*)?)/giu, (link) => {
    const trailing = /[.,;:!?'")\]}]+$/.exec(link)?.[0] ?? '';
    return `https://t.co/${randomBytes(5).toString('hex')}${trailing}`;
  });
  return escape ? linked.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : linked;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalidBody(parameter: string, problem: string) {
  return {
    errors: [{ parameters: { [parameter]: [] }, message: `\`${parameter}\` ${problem}` }],
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.twitter.com/2/problems/invalid-request',
  };
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
