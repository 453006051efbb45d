/**
 * Replies to and hides Facebook Page and Instagram comments through the Graph API, with Node's
 * fetch and no SDK. Tokens travel only in form bodies and the Authorization header, never in a
 * URL, since URLs end up in logs, proxies and error reports.
 */
import { createHmac } from 'node:crypto';
import { type GraphNetwork, type GraphOutbound, OutboundFailure, type Sent } from '../outbound/ports.js';
import { graphAnswerFailure, graphNetworkFailure } from './graph-errors.js';
import { pacingDeadline, readGraphUsage } from './graph-usage.js';
import { isRecord } from './values.js';

export interface GraphOutboundSettings {
  /** Graph with its version, e.g. https://graph.facebook.com/v21.0, or a local fake. */
  baseUrl: string;
  /** Page access token per Facebook Page id or Instagram account id. */
  pageTokens: Record<string, string>;
  /** When set, every call carries appsecret_proof, as Graph recommends for server calls. */
  appSecret?: string;
  timeoutMs?: number;
}

/** Graph's own limits on a comment's text. */
export const MAX_COMMENT_CHARS: Record<GraphNetwork, number> = { facebook: 8000, instagram: 2200 };
/** Reconciliation looks at our reply's recent neighbours, not a whole viral thread. */
export const MAX_FIND_PAGES = 5;
const DEFAULT_TIMEOUT_MS = 15_000;
const GRAPH_ID = /^[0-9A-Za-z_-]{1,128}$/;

const REPLY_EDGE: Record<GraphNetwork, string> = { facebook: 'comments', instagram: 'replies' };
const TEXT_FIELD: Record<GraphNetwork, 'message' | 'text'> = { facebook: 'message', instagram: 'text' };
const HIDE_PARAM: Record<GraphNetwork, string> = { facebook: 'is_hidden', instagram: 'hide' };
const FIND_QUERY: Record<GraphNetwork, Record<string, string>> = {
  facebook: { fields: 'id,message,from,created_time', filter: 'stream', order: 'reverse_chronological', limit: '100' },
  instagram: { fields: 'id,text,from,username,timestamp' },
};

interface GraphSuccess {
  body: unknown;
  slowDownUntil?: Date;
}

export class GraphOutboundClient implements GraphOutbound {
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly closing = new AbortController();

  constructor(private readonly settings: GraphOutboundSettings) {
    this.base = new URL(settings.baseUrl.replace(/\/+$/, ''));
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async reply(network: GraphNetwork, accountId: string, commentId: string, message: string): Promise<Sent> {
    const token = this.tokenFor(accountId);
    checkCommentId(commentId);
    checkLength(network, message);
    const answer = await this.post(token, [commentId, REPLY_EDGE[network]], { message });
    const id = isRecord(answer.body) && typeof answer.body.id === 'string' && GRAPH_ID.test(answer.body.id) ? answer.body.id : undefined;
    if (!id) {
      // Graph said yes without naming what it made: it may exist, so the retry must reconcile first.
      throw new OutboundFailure('transient', { provider: 'graph', message: 'Graph accepted the reply but returned no comment id' }, { maybeDelivered: true, slowDownUntil: answer.slowDownUntil });
    }
    return sent(id, { id }, answer.slowDownUntil);
  }

  async findReply(network: GraphNetwork, accountId: string, commentId: string, message: string): Promise<string | undefined> {
    const token = this.tokenFor(accountId);
    checkCommentId(commentId);
    const wanted = normaliseText(message);
    let url: URL | undefined = this.url([commentId, REPLY_EDGE[network]], FIND_QUERY[network]);
    for (let page = 0; url && page < MAX_FIND_PAGES; page++) {
      const answer = await this.get(token, url);
      const found = ourReplyIn(answer.body, network, accountId, wanted);
      if (found) return found;
      url = this.nextPage(answer.body);
    }
    return undefined;
  }

  async hide(network: GraphNetwork, accountId: string, commentId: string, hidden: boolean): Promise<Sent> {
    const token = this.tokenFor(accountId);
    checkCommentId(commentId);
    const answer = await this.post(token, [commentId], { [HIDE_PARAM[network]]: String(hidden) });
    if (!isRecord(answer.body) || answer.body.success !== true) {
      throw new OutboundFailure('transient', { provider: 'graph', message: 'Graph did not confirm the hide', body: answer.body }, { maybeDelivered: true, slowDownUntil: answer.slowDownUntil });
    }
    return sent(commentId, { success: true, hidden }, answer.slowDownUntil);
  }

  /** Abandons calls in flight (their outcome is then unknown) and refuses new ones. */
  close(): void {
    this.closing.abort();
  }

  private tokenFor(accountId: string): string {
    const token = Object.hasOwn(this.settings.pageTokens, accountId) ? this.settings.pageTokens[accountId] : undefined;
    if (!token) throw local(`No Page access token is configured for account ${printable(accountId)}`);
    return token;
  }

  private post(token: string, path: string[], params: Record<string, string>): Promise<GraphSuccess> {
    const form = new URLSearchParams({ ...params, access_token: token, ...this.proof(token) });
    return this.call(token, this.url(path), { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, true);
  }

  private get(token: string, url: URL): Promise<GraphSuccess> {
    for (const [name, value] of Object.entries(this.proof(token))) url.searchParams.set(name, value);
    return this.call(token, url, { method: 'GET', headers: { authorization: `Bearer ${token}` } }, false);
  }

  private async call(token: string, url: URL, init: RequestInit, write: boolean): Promise<GraphSuccess> {
    if (this.closing.signal.aborted) {
      throw new OutboundFailure('transient', { provider: 'local', message: 'Graph client is closed' }, { maybeDelivered: false });
    }
    const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.timeoutMs)]);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { ...init, signal, redirect: 'error' });
      text = redact(await response.text(), token);
    } catch (error) {
      throw graphNetworkFailure(error, { write, timeoutMs: this.timeoutMs });
    }
    const now = new Date();
    if (!response.ok) throw graphAnswerFailure({ status: response.status, headers: response.headers, text }, { write, now });
    return { body: parseJson(text), slowDownUntil: pacingDeadline(readGraphUsage(response.headers), now) };
  }

  private url(path: string[], query: Record<string, string> = {}): URL {
    const url = new URL(this.base.href);
    url.pathname = [url.pathname.replace(/\/+$/, ''), ...path.map(encodeURIComponent)].join('/');
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url;
  }

  /**
   * Graph's `paging.next` is a full URL that repeats the access token in its query. It is followed
   * only on Graph's own origin, and without the token, which goes in the header instead.
   */
  private nextPage(body: unknown): URL | undefined {
    const next = isRecord(body) && isRecord(body.paging) ? body.paging.next : undefined;
    if (typeof next !== 'string') return undefined;
    let url: URL;
    try {
      url = new URL(next);
    } catch {
      return undefined;
    }
    if (url.origin !== this.base.origin) return undefined;
    url.searchParams.delete('access_token');
    url.searchParams.delete('appsecret_proof');
    return url;
  }

  private proof(token: string): Record<string, string> {
    const secret = this.settings.appSecret;
    return secret ? { appsecret_proof: appSecretProof(token, secret) } : {};
  }
}

/** Graph's appsecret_proof: HMAC-SHA256 of the access token, keyed by the app secret, in hex. */
export function appSecretProof(token: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(token).digest('hex');
}

/** Text compared for reconciliation: Graph may trim or re-space what we sent. */
export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** The id of a reply in one page of an edge that our account wrote with this text. */
function ourReplyIn(body: unknown, network: GraphNetwork, accountId: string, wanted: string): string | undefined {
  const data = isRecord(body) && Array.isArray(body.data) ? body.data : [];
  for (const item of data.filter(isRecord)) {
    const from = isRecord(item.from) ? item.from.id : undefined;
    const text = item[TEXT_FIELD[network]];
    if (from !== accountId || typeof text !== 'string' || typeof item.id !== 'string') continue;
    if (normaliseText(text) === wanted) return item.id;
  }
  return undefined;
}

function checkLength(network: GraphNetwork, message: string): void {
  if (normaliseText(message) === '') throw local('The reply is empty');
  const length = [...message].length;
  const max = MAX_COMMENT_CHARS[network];
  if (length > max) throw local(`The reply is ${length} characters; ${network === 'facebook' ? 'Facebook' : 'Instagram'} allows ${max}`);
}

/** The id goes into the URL path, so it must be a Graph id and nothing that could change the path. */
function checkCommentId(commentId: string): void {
  if (!GRAPH_ID.test(commentId)) throw local(`Not a Graph comment id: ${printable(commentId)}`);
}

function local(message: string): OutboundFailure {
  return new OutboundFailure('permanent', { provider: 'local', message });
}

function sent(providerId: string, response: unknown, slowDownUntil: Date | undefined): Sent {
  return { providerId, at: new Date(), response, ...(slowDownUntil ? { slowDownUntil } : {}) };
}

/** An id for a message, cut short and without control characters (it came from a job payload). */
function printable(value: string): string {
  return JSON.stringify(value.slice(0, 64));
}

/** Graph does not echo tokens today; if an answer ever does, it must not reach the row or the desk. */
function redact(text: string, token: string): string {
  return token.length >= 8 && text.includes(token) ? text.split(token).join('[token]') : text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
