/**
 * A local Graph API for the end-to-end suites, speaking the published wire format (see
 * ../shared/fixtures/meta: error bodies with code, error_subcode, fbtrace_id; usage headers as in
 * the batch answer): Facebook Page comment replies (`/{id}/comments`), Instagram comment replies
 * (`/{id}/replies`), hiding (`is_hidden` / `hide`), Page tokens and appsecret_proof checked, usage
 * headers and rate limits on demand, and a log of every request it received.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type FakeNetwork = 'facebook' | 'instagram';

export interface FakeCommentSpec {
  id: string;
  /** The Page or Instagram account that owns the post the comment is on: only its token sees it. */
  accountId: string;
  message: string;
  fromId: string;
  fromName?: string;
  /** Set for a reply to another comment (lists under that comment's edge). */
  parentId?: string;
  createdAt?: Date;
}

export interface FakeComment extends Required<Omit<FakeCommentSpec, 'parentId' | 'fromName'>> {
  network: FakeNetwork;
  parentId?: string;
  fromName?: string;
  deleted: boolean;
}

/** A reply the fake created on request. */
export interface FakeReply {
  id: string;
  network: FakeNetwork;
  parentId: string;
  message: string;
  /** Who wrote it: the account whose token was used. */
  fromId: string;
  createdAt: Date;
}

export interface RecordedGraphRequest {
  at: number;
  method: string;
  /** Without the version prefix, e.g. "/555_777/comments". */
  path: string;
  version?: string;
  /** The URL's query as sent (a token here would be in a logged URL). */
  query: Record<string, string>;
  /** The form or JSON body as sent. */
  body: Record<string, string>;
  /** The access token used and where it came from. */
  token?: string;
  tokenIn?: 'body' | 'query' | 'header';
  appsecretProof?: string;
  /** The account the token belongs to, when it is one of ours. */
  account?: string;
  status: number;
}

export interface UsageCounters {
  call_count: number;
  total_cputime: number;
  total_time: number;
}

export interface BusinessUseCaseUsage extends UsageCounters {
  type: string;
  estimated_time_to_regain_access: number;
}

export interface FakeUsage {
  app?: UsageCounters;
  page?: UsageCounters;
  businessUseCase?: Record<string, BusinessUseCaseUsage[]>;
}

export type RateLimitCode = 4 | 17 | 32 | 613 | 80001 | 80002;

export interface FakeGraphOptions {
  tokens?: Record<string, string>;
  appSecret?: string;
  version?: string;
}

/** Graph's own wording for each rate limit (https://developers.facebook.com/docs/graph-api/overview/rate-limiting). */
const RATE_LIMIT_MESSAGES: Record<RateLimitCode, string> = {
  4: '(#4) Application request limit reached',
  17: '(#17) User request limit reached',
  32: '(#32) Page request limit reached',
  613: '(#613) Calls to this api have exceeded the rate limit.',
  80001: 'There have been too many calls to this Page account. Wait a bit and try again.',
  80002: 'There have been too many calls to this Instagram account. Wait a bit and try again.',
};

const FIELDS: Record<FakeNetwork, { node: string; edge: string; defaults: string[]; known: string[]; hideParam: string }> = {
  facebook: { node: 'Comment', edge: 'comments', defaults: ['created_time', 'from', 'message', 'id'], known: ['id', 'message', 'from', 'created_time', 'is_hidden', 'parent'], hideParam: 'is_hidden' },
  instagram: { node: 'IGComment', edge: 'replies', defaults: ['timestamp', 'text', 'id'], known: ['id', 'text', 'from', 'username', 'timestamp', 'hidden', 'parent_id', 'like_count'], hideParam: 'hide' },
};

const MAX_BODY_BYTES = 1 << 20;
const DEFAULT_PAGE_SIZE = 25;
const MAX_LIMIT = 100;

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Forced {
  times: number;
  answer: (account: string | undefined) => Answer;
  afterAction: boolean;
}

class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly error: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(error.message));
  }
}

export class FakeGraphApi {
  tokens: Record<string, string>;
  appSecret?: string;
  readonly version: string;
  readonly requests: RecordedGraphRequest[] = [];
  readonly replies: FakeReply[] = [];
  /** Comment id → hidden, as last set through the API. */
  readonly hidden = new Map<string, boolean>();
  /** Sent as X-App-Usage, X-Page-Usage and X-Business-Use-Case-Usage on every answer. */
  usage: FakeUsage = {};
  /** The most items one page of an edge holds, whatever `limit` asks: small values force paging. */
  pageSize = DEFAULT_PAGE_SIZE;
  /** Called after a reply is recorded and before its answer is written (a test can crash the caller here). */
  onAccepted?: (reply: FakeReply) => void;
  /**
   * For `npm start` with the fake driver: a comment the fake has not been told about is taken to
   * be one on the asking account's post, so the desk's replies have somewhere to go. Tests leave it off.
   */
  adoptUnknownComments = false;
  /** Answers to writes that acted (replies, hides) wait for releaseResponses(); reads still answer. */
  holdResponses = false;
  /** Answers to writes that acted are written this long after acting. */
  responseDelayMs = 0;

  private readonly comments = new Map<string, FakeComment>();
  private readonly forced: Forced[] = [];
  private readonly held: Array<() => void> = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private sequence = 0n;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    options: FakeGraphOptions,
  ) {
    this.tokens = { ...(options.tokens ?? {}) };
    this.appSecret = options.appSecret;
    this.version = options.version ?? 'v21.0';
  }

  static async start(port = 4470, options: FakeGraphOptions = {}): Promise<FakeGraphApi> {
    const server = createServer();
    const fake = new FakeGraphApi(server, port, options);
    // A bug in the fake (or a throwing onAccepted) must end that exchange, not the test process.
    server.on('request', (req, res) => {
      fake.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  /** The base URL with its version, as a client is configured with. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/${this.version}`;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.held.length = 0;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addComment(network: FakeNetwork, spec: FakeCommentSpec): FakeComment {
    const comment: FakeComment = { ...spec, createdAt: spec.createdAt ?? new Date(), network, deleted: false };
    this.comments.set(spec.id, comment);
    return comment;
  }

  /** The comment is gone: Graph answers 100/33 for it from now on. */
  deleteComment(id: string): void {
    const comment = this.comments.get(id);
    if (comment) comment.deleted = true;
  }

  comment(id: string): FakeComment | undefined {
    return this.comments.get(id);
  }

  commentsOf(network: FakeNetwork): FakeComment[] {
    return [...this.comments.values()].filter((c) => c.network === network);
  }

  /** The next `times` authenticated requests are refused with this rate-limit code and regain estimate. */
  limitNext({ times = 1, code = 4, regainMinutes = 0 }: { times?: number; code?: RateLimitCode; regainMinutes?: number } = {}): void {
    this.forced.push({ times, afterAction: false, answer: (account) => rateLimitAnswer(code, regainMinutes, account) });
  }

  /**
   * The next `times` authenticated requests get this status and body (a Graph "unexpected error"
   * by default). With afterAction the write is done first, as when Graph fails after committing.
   */
  failNext(status = 500, body?: unknown, { times = 1, afterAction = false }: { times?: number; afterAction?: boolean } = {}): void {
    const answer = () => ({ status, body: body ?? { error: { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', is_transient: true, code: 2, fbtrace_id: traceId() } } });
    this.forced.push({ times, afterAction, answer });
  }

  /**
   * Forgets comments, replies, requests and every setting made since start (tokens and app secret
   * stay). Suites share one fake: a server restarted on the same port between tests leaves the
   * client's keep-alive sockets pointing at the old one.
   */
  reset(): void {
    this.releaseResponses();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.comments.clear();
    this.hidden.clear();
    this.requests.length = 0;
    this.replies.length = 0;
    this.forced.length = 0;
    this.usage = {};
    this.pageSize = DEFAULT_PAGE_SIZE;
    this.onAccepted = undefined;
    this.holdResponses = false;
    this.responseDelayMs = 0;
  }

  releaseResponses(): void {
    for (const write of this.held.splice(0)) write();
  }

  requestsTo(path: string): RecordedGraphRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    const versioned = /^\/(v\d+\.\d+)(\/.*)$/.exec(url.pathname);
    const record: RecordedGraphRequest = {
      at: Date.now(),
      method: req.method ?? 'GET',
      path: versioned ? versioned[2]! : url.pathname,
      ...(versioned ? { version: versioned[1]! } : {}),
      query: Object.fromEntries(url.searchParams),
      body: {},
      status: 0,
    };
    this.requests.push(record);
    let acted = false;
    let answer: Answer;
    try {
      record.body = parseBody(await readBody(req), req.headers['content-type']);
      const params = { ...record.query, ...record.body };
      const account = this.authenticate(req, params, record);
      const forced = this.takeForced();
      if (forced && !forced.afterAction) {
        answer = forced.answer(account);
      } else {
        answer = this.route(record, params, account, url);
        acted = record.method === 'POST' && answer.status === 200;
        if (forced) answer = forced.answer(account);
      }
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      answer = errorAnswer(error);
    }
    record.status = answer.status;
    const write = () => this.write(res, answer);
    if (acted && this.holdResponses) this.held.push(write);
    else if (acted && this.responseDelayMs > 0) this.later(write, this.responseDelayMs);
    else write();
  }

  private write(res: ServerResponse, answer: Answer): void {
    if (res.destroyed || res.writableEnded) return;
    const body = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=UTF-8',
      'facebook-api-version': this.version,
      'x-fb-request-id': traceId(),
      'cache-control': 'private, no-cache, no-store, must-revalidate',
      ...this.usageHeaders(),
      ...(answer.headers ?? {}),
    });
    res.end(body);
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private usageHeaders(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.usage.app) headers['x-app-usage'] = JSON.stringify(this.usage.app);
    if (this.usage.page) headers['x-page-usage'] = JSON.stringify(this.usage.page);
    if (this.usage.businessUseCase) headers['x-business-use-case-usage'] = JSON.stringify(this.usage.businessUseCase);
    return headers;
  }

  private takeForced(): Forced | undefined {
    const forced = this.forced[0];
    if (!forced) return undefined;
    if (--forced.times <= 0) this.forced.shift();
    return forced;
  }

  /** The account whose token was used; Graph's answers for a missing or unknown token or a bad proof. */
  private authenticate(req: IncomingMessage, params: Record<string, string>, record: RecordedGraphRequest): string {
    const header = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [token, tokenIn] = record.body.access_token ? [record.body.access_token, 'body' as const] : record.query.access_token ? [record.query.access_token, 'query' as const] : header ? [header, 'header' as const] : [undefined, undefined];
    if (token) Object.assign(record, { token, tokenIn });
    if (params.appsecret_proof) record.appsecretProof = params.appsecret_proof;
    if (!token) throw new GraphError(400, { message: 'An access token is required to request this resource.', type: 'OAuthException', code: 104 });
    const account = Object.entries(this.tokens).find(([, t]) => t === token)?.[0];
    if (!account) throw new GraphError(400, { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 });
    record.account = account;
    if (this.appSecret) checkProof(token, this.appSecret, params.appsecret_proof);
    return account;
  }

  private route(record: RecordedGraphRequest, params: Record<string, string>, account: string, url: URL): Answer {
    const segments = record.path.split('/').filter(Boolean).map(decodeURIComponent);
    const [id, edge, ...rest] = segments;
    if (!id || rest.length > 0) throw unknownPath(record.path);
    const verb = record.method === 'POST' ? 'post' : 'get';
    const comment = this.visible(id, account, verb);
    if (edge === undefined) return verb === 'post' ? this.setHidden(comment, params) : { status: 200, body: this.fields(comment, params.fields) };
    if (edge !== FIELDS[comment.network].edge) {
      throw new GraphError(400, { message: `(#100) Tried accessing nonexisting field (${edge}) on node type (${FIELDS[comment.network].node})`, type: 'OAuthException', code: 100 });
    }
    return verb === 'post' ? this.createReply(comment, params, account) : this.listReplies(comment, params, url);
  }

  /** Graph does not tell a deleted comment from one this token may not see. */
  private visible(id: string, account: string, verb: 'get' | 'post'): FakeComment {
    if (this.adoptUnknownComments && !this.comments.has(id)) {
      // Facebook comment ids are "<post>_<comment>"; Instagram's are plain numbers.
      this.addComment(id.includes('_') ? 'facebook' : 'instagram', { id, accountId: account, message: '(a comment the fake had not seen)', fromId: '0' });
    }
    const comment = this.comments.get(id);
    if (!comment || comment.deleted || comment.accountId !== account) {
      throw new GraphError(400, {
        message: `Unsupported ${verb} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
      });
    }
    return comment;
  }

  private createReply(parent: FakeComment, params: Record<string, string>, account: string): Answer {
    const message = params.message;
    if (!message) throw new GraphError(400, { message: '(#100) The parameter message is required', type: 'OAuthException', code: 100 });
    const id = this.newId(parent);
    const reply: FakeReply = { id, network: parent.network, parentId: parent.id, message, fromId: account, createdAt: new Date() };
    this.replies.push(reply);
    this.comments.set(id, { id, accountId: parent.accountId, message, fromId: account, fromName: 'Our account', parentId: parent.id, createdAt: reply.createdAt, network: parent.network, deleted: false });
    this.onAccepted?.(reply);
    return { status: 200, body: { id } };
  }

  /** Facebook comment ids are "<post>_<comment>"; Instagram's are plain numbers. */
  private newId(parent: FakeComment): string {
    this.sequence += 1n;
    if (parent.network === 'instagram') return String(18_000_000_000_000_000n + this.sequence);
    const post = parent.id.includes('_') ? parent.id.split('_')[0] : parent.id;
    return `${post}_${100_000_000_000_000n + this.sequence}`;
  }

  private setHidden(comment: FakeComment, params: Record<string, string>): Answer {
    const name = FIELDS[comment.network].hideParam;
    const value = params[name];
    if (value === undefined) throw new GraphError(400, { message: `(#100) The parameter ${name} is required`, type: 'OAuthException', code: 100 });
    if (value !== 'true' && value !== 'false') throw new GraphError(400, { message: `(#100) Param ${name} must be a boolean`, type: 'OAuthException', code: 100 });
    this.hidden.set(comment.id, value === 'true');
    return { status: 200, body: { success: true } };
  }

  private listReplies(parent: FakeComment, params: Record<string, string>, url: URL): Answer {
    let children = [...this.comments.values()].filter((c) => c.parentId === parent.id && !c.deleted).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    if (params.order === 'reverse_chronological') children = children.reverse();
    const offset = params.after ? decodeCursor(params.after) : 0;
    const limit = Math.min(Number(params.limit) || DEFAULT_PAGE_SIZE, MAX_LIMIT, this.pageSize);
    const page = children.slice(offset, offset + limit);
    const data = page.map((c) => this.fields(c, params.fields));
    if (page.length === 0) return { status: 200, body: { data } };
    const after = encodeCursor(offset + page.length);
    const paging: Record<string, unknown> = { cursors: { before: encodeCursor(offset), after } };
    if (offset + page.length < children.length) {
      // Graph repeats the query, access token included, in the next link.
      const next = new URL(url.href);
      next.searchParams.set('access_token', this.tokens[parent.accountId]!);
      next.searchParams.set('limit', String(limit));
      next.searchParams.set('after', after);
      paging.next = next.href;
    }
    return { status: 200, body: { data, paging } };
  }

  private fields(comment: FakeComment, asked: string | undefined): Record<string, unknown> {
    const spec = FIELDS[comment.network];
    const names = asked ? asked.split(',').map((f) => f.trim()).filter(Boolean) : spec.defaults;
    const unknown = names.find((f) => !spec.known.includes(f));
    if (unknown) throw new GraphError(400, { message: `(#100) Tried accessing nonexisting field (${unknown}) on node type (${spec.node})`, type: 'OAuthException', code: 100 });
    const all = comment.network === 'facebook' ? facebookFields(comment, this.hidden.get(comment.id)) : instagramFields(comment, this.hidden.get(comment.id));
    return Object.fromEntries(names.filter((f) => all[f] !== undefined).map((f) => [f, all[f]]));
  }
}

function facebookFields(c: FakeComment, hidden: boolean | undefined): Record<string, unknown> {
  return {
    id: c.id,
    message: c.message,
    from: { id: c.fromId, name: c.fromName ?? 'A Member Of The Public' },
    created_time: graphTime(c.createdAt),
    is_hidden: hidden ?? false,
    parent: c.parentId ? { id: c.parentId } : undefined,
  };
}

function instagramFields(c: FakeComment, hidden: boolean | undefined): Record<string, unknown> {
  const username = c.fromName ?? `user_${c.fromId}`;
  return { id: c.id, text: c.message, from: { id: c.fromId, username }, username, timestamp: graphTime(c.createdAt), hidden: hidden ?? false, parent_id: c.parentId, like_count: 0 };
}

/** Graph writes times as "2026-03-02T10:00:00+0000". */
function graphTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+0000');
}

function rateLimitAnswer(code: RateLimitCode, regainMinutes: number, account: string | undefined): Answer {
  const type = code === 80002 ? 'instagram' : 'pages';
  const usage = [{ type, call_count: 100, total_cputime: 25, total_time: 25, estimated_time_to_regain_access: regainMinutes }];
  return errorAnswer(
    new GraphError(400, { message: RATE_LIMIT_MESSAGES[code], type: 'OAuthException', is_transient: true, code }, {
      'x-business-use-case-usage': JSON.stringify({ [account ?? '0']: usage }),
      ...(code === 4 ? { 'x-app-usage': JSON.stringify({ call_count: 100, total_cputime: 30, total_time: 40 }) } : {}),
    }),
  );
}

function errorAnswer(error: GraphError): Answer {
  const body = { error: { ...error.error, fbtrace_id: traceId() } };
  const reason = error.error.code === 190 ? 'invalid_token' : 'invalid_request';
  const authenticate = `OAuth "Facebook Platform" "${reason}" "${String(error.error.message).replace(/"/g, "'")}"`;
  return { status: error.status, body, headers: { 'www-authenticate': authenticate, ...error.headers } };
}

function unknownPath(path: string): GraphError {
  return new GraphError(400, { message: `Unknown path components: ${path}`, type: 'OAuthException', code: 2500 });
}

function checkProof(token: string, appSecret: string, given: string | undefined): void {
  if (!given) throw new GraphError(400, { message: 'API calls from the server require an appsecret_proof argument', type: 'GraphMethodException', code: 100 });
  const expected = createHmac('sha256', appSecret).update(token).digest();
  const actual = /^[0-9a-f]{64}$/i.test(given) ? Buffer.from(given, 'hex') : Buffer.alloc(0);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new GraphError(400, { message: 'Invalid appsecret_proof provided in the API argument', type: 'GraphMethodException', code: 100 });
  }
}

/** Graph's fbtrace_id: a short opaque id its support asks for. */
function traceId(): string {
  return randomBytes(8).toString('base64url');
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : 0;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new GraphError(400, { message: 'Request body too large', type: 'OAuthException', code: 100 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string, contentType: string | undefined): Record<string, string> {
  if (!text) return {};
  if (contentType?.startsWith('application/json')) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    } catch {
      throw new GraphError(400, { message: 'Invalid JSON body', type: 'OAuthException', code: 100 });
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}
