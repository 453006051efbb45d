/**
 * What a failed X call means for the responder: permanent (a person must act), transient (retry,
 * reconciling first when the request may have been acted on) or rate limited (wait until a time).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { OutboundFailure, type ProviderError } from '../outbound/ports.js';
import { rateLimitReset } from './client.js';
import { isRecord, storableJson } from './values.js';

export interface XCallContext {
  method: 'GET' | 'POST' | 'PUT';
  /** What the call was about, for the message an officer reads. */
  subject: 'tweet' | 'dm';
  now: Date;
}

/** A failure as seen on the wire, before it is judged; `failureFromXError` builds it from the SDK's errors. */
export type XCallError =
  | { kind: 'response'; status: number; headers: IncomingHttpHeaders; body: unknown }
  /** The connection failed; `code` is the socket error's (ECONNREFUSED...) or `timeout`. */
  | { kind: 'network'; code?: string; detail?: string }
  /** An answer began and then broke off. */
  | { kind: 'partial'; status?: number; headers?: IncomingHttpHeaders };

const MAX_BODY_BYTES = 4096;
const MAX_LINE = 200;
/** When X says 429 without a usable reset header. */
const DEFAULT_WAIT_MS = 60_000;
/** Errors raised before a byte of the request could have reached X. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_INVALID_URL']);

export function failureFromXError(error: unknown, context: XCallContext): OutboundFailure {
  return judgeXError(describeXError(error), context);
}

/** Reads twitter-api-v2's error classes into plain values. */
export function describeXError(error: unknown): XCallError {
  if (error instanceof ApiResponseError) return { kind: 'response', status: error.code, headers: error.headers, body: error.data };
  if (error instanceof ApiPartialResponseError) return { kind: 'partial', status: error.response?.statusCode, headers: error.response?.headers };
  if (error instanceof ApiRequestError) {
    // The library keeps the socket error under `error`, though its `requestError` getter reads another key.
    const cause = (error.requestError ?? (error as unknown as { _options?: { error?: Error } })._options?.error) as NodeJS.ErrnoException | undefined;
    const code = cause?.code ?? (cause?.message === 'Request timeout.' ? 'timeout' : undefined);
    return { kind: 'network', code, detail: cause?.message };
  }
  return { kind: 'network', detail: error instanceof Error ? error.message : String(error) };
}

export function judgeXError(error: XCallError, context: XCallContext): OutboundFailure {
  if (error.kind === 'network') return networkFailure(error, context);
  if (error.kind === 'partial') {
    return new OutboundFailure(
      'transient',
      { provider: 'x', status: error.status, traceId: traceId(error.headers), message: `X's answer${error.status ? ` (${error.status})` : ''} broke off` },
      { maybeDelivered: context.method !== 'GET' },
    );
  }
  return responseFailure(error, context);
}

function networkFailure(error: { code?: string; detail?: string }, context: XCallContext): OutboundFailure {
  const neverSent = error.code !== undefined && NEVER_SENT.has(error.code);
  const what = error.code === 'timeout' ? 'X did not answer in time' : `X could not be reached (${error.code ?? oneLine(error.detail ?? 'unknown error')})`;
  // A request that may have left can have been acted on even though no answer came back.
  return new OutboundFailure('transient', { provider: 'x', code: error.code, message: what }, { maybeDelivered: !neverSent && context.method !== 'GET' });
}

function responseFailure(error: { status: number; headers: IncomingHttpHeaders; body: unknown }, context: XCallContext): OutboundFailure {
  const { status, headers, body } = error;
  const problem = readProblem(body);
  const base: ProviderError = {
    provider: 'x',
    status,
    ...(problem.type !== undefined ? { code: problem.type } : {}),
    ...(traceId(headers) ? { traceId: traceId(headers) } : {}),
    message: '',
    body: capBody(body),
  };
  const slowDownUntil = headers['x-rate-limit-remaining'] === '0' ? rateLimitReset(headers) : undefined;
  const options = slowDownUntil ? { slowDownUntil } : {};

  if (status === 429) {
    const reset = rateLimitReset(headers)?.getTime() ?? context.now.getTime() + DEFAULT_WAIT_MS;
    // A reset already past (clocks differ) would only earn another 429 at once.
    const until = new Date(Math.max(reset, context.now.getTime() + 1000));
    return new OutboundFailure('rate_limited', { ...base, message: `X rate limit reached; no request before ${until.toISOString()}` }, { until, maybeDelivered: false });
  }
  if (status >= 500) {
    return new OutboundFailure('transient', { ...base, message: `X had a server error (${status})` }, { ...options, maybeDelivered: context.method === 'POST' });
  }
  return new OutboundFailure('permanent', { ...base, message: refusal(status, problem, context) }, { ...options, maybeDelivered: false });
}

interface Problem {
  type?: string | number;
  title?: string;
  detail?: string;
}

/** X v2 problems come as one object, or as `errors: [...]` on partial and lookup failures; v1.1 as `errors: [{code, message}]`. */
function readProblem(body: unknown): Problem {
  if (!isRecord(body)) return {};
  const first = Array.isArray(body.errors) && isRecord(body.errors[0]) ? body.errors[0] : undefined;
  const pick = (key: string): string | undefined => {
    const own = body[key];
    if (typeof own === 'string') return own;
    const inner = first?.[key];
    return typeof inner === 'string' ? inner : undefined;
  };
  const v1Code = typeof first?.code === 'number' ? first.code : undefined;
  return { type: pick('type') ?? v1Code, title: pick('title'), detail: pick('detail') ?? pick('message') };
}

const DUPLICATE = /duplicate content|status is a duplicate/i;
const GONE = /deleted or not visible|could not find|not found|no status found|has been deleted/i;
const REPLY_RESTRICTED = /reply to this conversation is not allowed|not allowed to reply/i;

function refusal(status: number, problem: Problem, context: XCallContext): string {
  const said = problem.detail ?? problem.title;
  const tail = said ? `: ${oneLine(said)}` : '';
  const text = `${problem.title ?? ''} ${problem.detail ?? ''}`;
  const notFound = status === 404 || String(problem.type).endsWith('/resource-not-found') || problem.type === 144 || problem.type === 385 || GONE.test(text);
  if (status === 401) return `X refused our credentials (401): the access token or app keys are wrong, expired or revoked`;
  if (DUPLICATE.test(text) || problem.type === 187) return `X refused the post as a duplicate of one we already made (${status})`;
  if (notFound) {
    return context.subject === 'tweet' ? `the tweet was deleted or is not visible to us (${status})` : `X could not find that account or conversation (${status})${tail}`;
  }
  if (REPLY_RESTRICTED.test(text)) return `the author restricted who can reply (${status})`;
  if (status === 403) return `X forbade this (403)${tail}`;
  if (status === 400) return `X refused the request as invalid (400)${tail}`;
  return `X refused the request (${status})${tail}`;
}

function traceId(headers: IncomingHttpHeaders | undefined): string | undefined {
  const value = headers?.['x-transaction-id'];
  return typeof value === 'string' && /^[\w-]{1,100}$/.test(value) ? value : undefined;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > MAX_LINE ? `${chars.slice(0, MAX_LINE).join('')}…` : line;
}

/** X's body as received when small; otherwise its problem fields, or the start of its text. */
export function capBody(body: unknown): unknown {
  const safe = storableJson(body);
  const text = typeof safe === 'string' ? safe : (JSON.stringify(safe) ?? '');
  if (Buffer.byteLength(text) <= MAX_BODY_BYTES) return safe;
  const problem = readProblem(safe);
  if (problem.title !== undefined || problem.detail !== undefined) {
    return { type: problem.type, title: problem.title && oneLine(problem.title), detail: problem.detail && oneLine(problem.detail), truncated: true };
  }
  return truncateUtf8(text, MAX_BODY_BYTES);
}

function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let out = '';
  for (const ch of text) {
    bytes += Buffer.byteLength(ch);
    if (bytes > maxBytes) break;
    out += ch;
  }
  return out;
}
