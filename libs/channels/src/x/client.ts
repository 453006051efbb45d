import { Agent as HttpAgent, type IncomingHttpHeaders } from 'node:http';
import { ApiRequestError, ApiResponseError, type ITwitterApiClientPlugin, TwitterApi } from 'twitter-api-v2';
import { DM_QUERY, MENTION_QUERY } from './timeline.js';

/** What the client needs; plain values, so this library never reads configuration itself. */
export interface XApiSettings {
  /** Undefined for the real API; otherwise where the API is (a local fake, a proxy). */
  baseUrl?: string;
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessSecret: string;
  /** How long one request may take before it counts as failed. */
  timeoutMs?: number;
}

export interface XPage {
  body: unknown;
  /** Set when this answer used the last request of a window: no request before this time. */
  exhaustedUntil?: Date;
}

/** A 429: no request to this endpoint before `resetAt` (undefined when X did not say). */
export class XRateLimited extends Error {
  constructor(readonly resetAt: Date | undefined) {
    super(`rate limited${resetAt ? ` until ${resetAt.toISOString()}` : ''}`);
    this.name = 'XRateLimited';
  }
}

/** Any other failure; the message names the status or network error, never a payload or a credential. */
export class XApiFailure extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'XApiFailure';
  }
}

/** The origins twitter-api-v2 sends to (it moved from api.twitter.com to api.x.com). */
const X_ORIGINS = new Set(['https://api.x.com', 'https://api.twitter.com']);

/**
 * twitter-api-v2 has no base-URL option: this plugin rewrites each request's origin before the
 * OAuth signature is computed, so the signature is over the URL actually requested.
 */
export function baseUrlPlugin(baseUrl: string): ITwitterApiClientPlugin {
  const base = new URL(baseUrl);
  const prefix = base.origin + base.pathname.replace(/\/+$/, '');
  return {
    onBeforeRequestConfig({ params }) {
      const url = new URL(params.url);
      if (X_ORIGINS.has(url.origin)) params.url = prefix + url.pathname + url.search;
    },
  };
}

const PAGE_SIZE = 100;

/** The SDK client for our account, pointed at `baseUrl` when one is set. */
export function twitterApi(settings: XApiSettings): { api: TwitterApi; agent?: HttpAgent } {
  // twitter-api-v2 always uses node:https; an http.Agent is what lets it speak plain http to a local fake.
  const plain = settings.baseUrl !== undefined && new URL(settings.baseUrl).protocol === 'http:';
  const agent = plain ? new HttpAgent({ keepAlive: true }) : undefined;
  const api = new TwitterApi(
    { appKey: settings.consumerKey, appSecret: settings.consumerSecret, accessToken: settings.accessToken, accessSecret: settings.accessSecret },
    {
      plugins: settings.baseUrl ? [baseUrlPlugin(settings.baseUrl)] : [],
      ...(agent ? { httpAgent: agent } : {}),
    },
  );
  return { api, agent };
}

/** The two reads ingest polls, one page per call, with X's rate limits surfaced as values. */
export class XApiClient {
  private readonly api: TwitterApi;
  private readonly agent?: HttpAgent;
  private readonly timeoutMs: number;

  constructor(settings: XApiSettings) {
    ({ api: this.api, agent: this.agent } = twitterApi(settings));
    this.timeoutMs = settings.timeoutMs ?? 15_000;
  }

  /** GET /2/users/:id/mentions, newest first; `sinceId` bounds the walk, `paginationToken` pages it. */
  mentions(userId: string, cursor: { sinceId?: string; paginationToken?: string }): Promise<XPage> {
    return this.get('users/:id/mentions', { ...MENTION_QUERY, max_results: PAGE_SIZE, since_id: cursor.sinceId, pagination_token: cursor.paginationToken }, { id: userId });
  }

  /** GET /2/dm_events (the account's DMs of the last 30 days, newest first); it takes no since_id. */
  dmEvents(cursor: { paginationToken?: string }): Promise<XPage> {
    return this.get('dm_events', { ...DM_QUERY, max_results: PAGE_SIZE, pagination_token: cursor.paginationToken });
  }

  close(): void {
    this.agent?.destroy();
  }

  private async get(path: string, query: Record<string, string | number | undefined>, params?: Record<string, string>): Promise<XPage> {
    const defined = Object.fromEntries(Object.entries(query).filter((entry): entry is [string, string | number] => entry[1] !== undefined));
    try {
      const res = await this.api.v2.get(path, defined, { fullResponse: true, params, timeout: this.timeoutMs });
      const exhaustedUntil = res.headers['x-rate-limit-remaining'] === '0' ? rateLimitReset(res.headers) : undefined;
      return { body: res.data, ...(exhaustedUntil ? { exhaustedUntil } : {}) };
    } catch (error) {
      throw asXError(error);
    }
  }
}

/** Turns twitter-api-v2's errors into ours; exported for tests. */
export function asXError(error: unknown): Error {
  if (error instanceof ApiResponseError) {
    if (error.code === 429) return new XRateLimited(rateLimitReset(error.headers));
    return new XApiFailure(`X answered ${error.code}`, error.code);
  }
  if (error instanceof ApiRequestError) {
    // The library keeps the socket error under `error`, though its `requestError` getter reads another key.
    const cause = error.requestError ?? (error as unknown as { _options?: { error?: Error } })._options?.error;
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    return new XApiFailure(`X could not be reached (${code ?? cause?.message.slice(0, 200) ?? error.message})`);
  }
  return new XApiFailure(`X request failed: ${(error as Error | undefined)?.message?.slice(0, 200) ?? 'unknown error'}`);
}

/**
 * When requests may start again: the 15-minute window's reset, or the 24-hour one's when that is
 * the limit that ran out (it is longer, and waiting only for the short one would be refused again).
 */
export function rateLimitReset(headers: IncomingHttpHeaders): Date | undefined {
  const resets = [readEpoch(headers['x-rate-limit-reset'])];
  for (const scope of ['x-user-limit-24hour', 'x-app-limit-24hour']) {
    if (headers[`${scope}-remaining`] === '0') resets.push(readEpoch(headers[`${scope}-reset`]));
  }
  const known = resets.filter((r): r is number => r !== undefined);
  return known.length ? new Date(Math.max(...known) * 1000) : undefined;
}

function readEpoch(value: string | string[] | undefined): number | undefined {
  return typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : undefined;
}
