/**
 * What a failed Graph call means for the responder. Graph explains itself in the body
 * (`{error: {code, error_subcode, is_transient, fbtrace_id, ...}}`) more than in the HTTP status, so
 * the body decides first and the status only when the body says nothing useful.
 */
import { type FailureKind, OutboundFailure, type ProviderError } from '../outbound/ports.js';
import { type HeaderSource, pacingDeadline, rateLimitedUntil, readGraphUsage, readRetryAfter } from './graph-usage.js';
import { isRecord } from './values.js';

export interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  subcode?: number;
  isTransient?: boolean;
  userTitle?: string;
  userMessage?: string;
  traceId?: string;
}

/** An answer that was not a success, as received. */
export interface GraphAnswer {
  status: number;
  headers: HeaderSource;
  /** The body's text (usually JSON). */
  text: string;
}

export interface FailureContext {
  /** The call may have changed something at Graph (a POST), so a lost answer must be reconciled. */
  write: boolean;
  now: Date;
}

export const MAX_KEPT_BODY_BYTES = 4096;
const MAX_MESSAGE_CHARS = 300;

/** Application, user, page and custom-rate limits, and the business-use-case range. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const BUC_RATE_LIMIT = { from: 80001, to: 80014 };
/** Expired or invalid token; app lacks a permission; blocked for a policy reason. */
const CREDENTIAL_CODES = new Set([190, 10]);
const POLICY_BLOCK_CODE = 368;
const PERMISSION_CODES = { from: 200, to: 299 };
const INVALID_PARAMETER_CODE = 100;
const OBJECT_MISSING_SUBCODE = 33;
/** "Unknown error" and "service temporarily unavailable"; 341 is Graph's throttling "application limit reached". */
const TRANSIENT_CODES = new Set([1, 2, 341]);

/** Graph's error object from a body (parsed or text); undefined when the body is not one. */
export function readGraphError(body: unknown): GraphError | undefined {
  const parsed = typeof body === 'string' ? parseJson(body) : body;
  if (!isRecord(parsed) || !isRecord(parsed.error)) return undefined;
  const e = parsed.error;
  return {
    message: stringOf(e.message),
    type: stringOf(e.type),
    code: integerOf(e.code),
    subcode: integerOf(e.error_subcode),
    isTransient: typeof e.is_transient === 'boolean' ? e.is_transient : undefined,
    userTitle: stringOf(e.error_user_title),
    userMessage: stringOf(e.error_user_msg),
    traceId: stringOf(e.fbtrace_id),
  };
}

export function classifyGraphError(status: number, error: GraphError | undefined): FailureKind {
  const code = error?.code;
  if (code !== undefined && isRateLimitCode(code)) return 'rate_limited';
  if (code !== undefined && isPermanentCode(code, error)) return 'permanent';
  if (error?.isTransient === true) return 'transient';
  if (code !== undefined && TRANSIENT_CODES.has(code)) {
    // Graph says "unknown error" for some refusals too, but then marks them not transient and
    // explains to the user what to change (e.g. a duplicate spam report): retrying gets the same answer.
    return error?.isTransient === false && error.userMessage ? 'permanent' : 'transient';
  }
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'transient';
  return 'permanent';
}

/** The failure for a non-2xx answer, keeping Graph's own account of it. */
export function graphAnswerFailure(answer: GraphAnswer, context: FailureContext): OutboundFailure {
  const error = readGraphError(answer.text);
  const kind = classifyGraphError(answer.status, error);
  const usage = readGraphUsage(answer.headers);
  const providerError: ProviderError = {
    provider: 'graph',
    status: answer.status,
    ...(error?.code !== undefined ? { code: error.code } : {}),
    ...(error?.subcode !== undefined ? { subcode: error.subcode } : {}),
    ...(error?.traceId !== undefined ? { traceId: error.traceId } : {}),
    message: graphErrorMessage(answer.status, error, answer.text),
    body: keptBody(answer.text),
  };
  return new OutboundFailure(kind, providerError, {
    until: kind === 'rate_limited' ? rateLimitedUntil(usage, context.now, readRetryAfter(answer.headers)) : undefined,
    maybeDelivered: kind === 'transient' && context.write,
    slowDownUntil: pacingDeadline(usage, context.now),
  });
}

/** One line for an officer: "Graph error 190/460: Message describing the error". */
export function graphErrorMessage(status: number, error: GraphError | undefined, text = ''): string {
  if (error?.code !== undefined) {
    const codes = error.subcode !== undefined ? `${error.code}/${error.subcode}` : String(error.code);
    return oneLine(`Graph error ${codes}: ${error.message ?? error.type ?? 'no message'}`);
  }
  if (error?.message) return oneLine(`Graph HTTP ${status}: ${error.message}`);
  const snippet = oneLine(text).slice(0, 120);
  return oneLine(`Graph answered HTTP ${status}${snippet ? `: ${snippet}` : ''}`);
}

/** Node's errno codes for a connection that was never made: the request cannot have reached Graph. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * A call that got no answer. Only a refused or unresolvable connection proves nothing was sent;
 * a timeout or a reset may come after Graph acted, so a write must then be reconciled.
 */
export function graphNetworkFailure(error: unknown, context: Pick<FailureContext, 'write'> & { timeoutMs?: number }): OutboundFailure {
  if (isNamed(error, 'TimeoutError')) {
    const within = context.timeoutMs !== undefined ? ` within ${context.timeoutMs} ms` : '';
    return new OutboundFailure('transient', { provider: 'graph', message: `Graph did not answer${within}` }, { maybeDelivered: context.write });
  }
  if (isNamed(error, 'AbortError')) {
    return new OutboundFailure('transient', { provider: 'graph', message: 'Graph call abandoned: the client was closed' }, { maybeDelivered: context.write });
  }
  const codes = errnoCodes(error);
  const notSent = codes.length > 0 && codes.every((c) => NOT_SENT_CODES.has(c));
  const name = codes[0] ?? 'network error';
  return new OutboundFailure(
    'transient',
    { provider: 'graph', message: notSent ? `Graph unreachable: ${name}` : `Graph connection failed: ${name}` },
    { maybeDelivered: !notSent && context.write },
  );
}

/** The body as received, capped: parsed JSON when whole, else its text cut to the cap. */
export function keptBody(text: string): unknown {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > MAX_KEPT_BODY_BYTES) return bytes.subarray(0, MAX_KEPT_BODY_BYTES).toString('utf8').replace(/\uFFFD+$/, '');
  const parsed = parseJson(text);
  return parsed === undefined ? text : parsed;
}

function isRateLimitCode(code: number): boolean {
  return RATE_LIMIT_CODES.has(code) || (code >= BUC_RATE_LIMIT.from && code <= BUC_RATE_LIMIT.to);
}

function isPermanentCode(code: number, error: GraphError | undefined): boolean {
  if (CREDENTIAL_CODES.has(code) || code === POLICY_BLOCK_CODE) return true;
  if (code >= PERMISSION_CODES.from && code <= PERMISSION_CODES.to) return true;
  return code === INVALID_PARAMETER_CODE && isMissingObject(error);
}

/** The comment (or post) was deleted, or our token may no longer see it. */
export function isMissingObject(error: GraphError | undefined): boolean {
  return error?.subcode === OBJECT_MISSING_SUBCODE || /does not exist/i.test(error?.message ?? '');
}

/** The errno-style codes along an error's cause chain, including each attempt of a multi-address connect. */
function errnoCodes(error: unknown, depth = 0): string[] {
  if (!isRecord(error) && !(error instanceof Error)) return [];
  if (depth > 4) return [];
  const own = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const codes = typeof own.code === 'string' ? [own.code] : [];
  const nested = Array.isArray(own.errors) ? own.errors.flatMap((e) => errnoCodes(e, depth + 1)) : [];
  const caused = own.cause !== undefined ? errnoCodes(own.cause, depth + 1) : [];
  // The most specific reason (a cause's errno) comes before fetch's generic wrapper.
  return [...new Set([...caused, ...nested, ...codes])];
}

function isNamed(error: unknown, name: string): boolean {
  return (error instanceof Error || isRecord(error)) && (error as { name?: unknown }).name === name;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function integerOf(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= MAX_MESSAGE_CHARS ? flat : `${chars.slice(0, MAX_MESSAGE_CHARS - 1).join('')}…`;
}
