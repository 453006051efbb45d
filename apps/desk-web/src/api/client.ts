import type {
  ApiError,
  AtRiskReport,
  BreachPage,
  ConversationView,
  DeflectionReport,
  DeskUser,
  ModerationReport,
  PressEnquiry,
  PressReport,
  QueuePage,
  QueueQuery,
  ReplyConflict,
  ReplyRequest,
  ReportCut,
  ReportPeriod,
  Role,
  Route,
  SessionInfo,
  SlaReport,
  TemplateView,
  UserRef,
  VolumeReport,
} from '@desk/domain';

/** What went wrong with a request, in a form the pages can show: the server's words when it gave any. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiError['error'] | 'network' | 'unexpected',
    message: string,
    /** The parsed body, e.g. a ReplyConflict on 409. */
    readonly body: unknown,
    /** From Retry-After on 429, in seconds. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export function isReplyConflict(body: unknown): body is ReplyConflict {
  return typeof body === 'object' && body !== null && 'conflict' in body && typeof (body as ReplyConflict).message === 'string';
}

/** A failure's message for a person; anything that is not an ApiFailure is a bug, said plainly. */
export function describeError(error: unknown): string {
  if (error instanceof ApiFailure) return error.message;
  return 'Something went wrong in the desk. Reload the page and try again.';
}

let csrfToken: string | null = null;
let sessionLost: (() => void) | null = null;

/** The token sent with every change; it comes with the session and lives only in memory. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server says the session has gone (expired, logged out elsewhere). */
export function onSessionLost(handler: (() => void) | null): void {
  sessionLost = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  /** Let the request finish after the page has gone (leaving a conversation). */
  keepalive?: boolean;
  /** Login and the first /me are expected to answer 401; that is not a lost session. */
  expectUnauthenticated?: boolean;
}

async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      keepalive: options.keepalive,
    });
  } catch {
    throw new ApiFailure(0, 'network', 'The desk server could not be reached. Check your connection; nothing was changed.', null);
  }
  const body = await readBody(response);
  if (response.ok) return body as T;
  throw failureFrom(response, body, options.expectUnauthenticated === true);
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

const FALLBACK_MESSAGES: Record<number, string> = {
  400: 'The desk could not accept that. Check the form and try again.',
  401: 'Your session has ended. Please log in again.',
  403: 'You do not have permission to do that.',
  404: 'That could not be found. It may have been removed.',
  409: 'Someone else changed this first. The page has the latest.',
  429: 'Too many attempts. Wait a moment and try again.',
};

function failureFrom(response: Response, body: unknown, expectUnauthenticated: boolean): ApiFailure {
  const apiError = isApiError(body) ? body : null;
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  const message = apiError?.message || (isReplyConflict(body) ? body.message : '') || FALLBACK_MESSAGES[response.status] || `The desk answered ${response.status}.`;
  const code = apiError?.error ?? (response.status === 409 ? 'conflict' : 'unexpected');
  if (response.status === 401 && !expectUnauthenticated) sessionLost?.();
  return new ApiFailure(response.status, code, message, body, retryAfter);
}

function isApiError(body: unknown): body is ApiError {
  return typeof body === 'object' && body !== null && typeof (body as ApiError).error === 'string' && typeof (body as ApiError).message === 'string';
}

/** Retry-After is seconds or an HTTP date; either way, seconds from now. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

const enc = encodeURIComponent;

/** Any flat query object (the queue's filters, a report's range); empty values are left out. */
function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query) as Array<[string, unknown]>) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface NewUser {
  email: string;
  name: string;
  initials: string;
  role: Role;
  password: string;
  /** '' for no team. */
  team: string;
}

/** `team: ''` (or null) takes the user out of their team. */
export type UserChanges = Partial<Pick<DeskUser, 'name' | 'initials' | 'role' | 'active'>> & { password?: string; team?: string | null };

/** Every report's range: London dates, both included. The pages always send both. */
export interface ReportRangeQuery {
  from: string;
  to: string;
}

export interface SlaQuery extends ReportRangeQuery {
  period: ReportPeriod;
  by: ReportCut;
}

export interface BreachQuery extends ReportRangeQuery {
  cursor?: string;
  limit?: number;
}

/** The reports' CSV twins: streamed by the server, so they are links to follow, not requests to make. */
export type ReportCsv = 'sla' | 'volumes' | 'volumes-by-channel' | 'heatmap' | 'breaches' | 'at-risk' | 'deflections' | 'press' | 'moderation';

/** The desk API (libs/domain/src/desk-api.ts), one function per endpoint. */
export const api = {
  login: (email: string, password: string) => request<SessionInfo>('POST', '/api/auth/login', { body: { email, password }, expectUnauthenticated: true }),
  logout: () => request<void>('POST', '/api/auth/logout', { expectUnauthenticated: true }),
  me: () => request<SessionInfo>('GET', '/api/auth/me', { expectUnauthenticated: true }),
  /** Like `me`, but a 401 here means the session was lost while the desk was open. */
  checkSession: () => request<SessionInfo>('GET', '/api/auth/me'),

  users: () => request<DeskUser[]>('GET', '/api/users'),
  createUser: (user: NewUser) => request<DeskUser>('POST', '/api/users', { body: user }),
  updateUser: (id: string, changes: UserChanges) => request<DeskUser>('PATCH', `/api/users/${enc(id)}`, { body: changes }),

  queue: (query: QueueQuery) => request<QueuePage>('GET', `/api/queue${queryString(query)}`),
  conversation: (id: string) => request<ConversationView>('GET', `/api/conversations/${enc(id)}`),
  claim: (id: string) => request<void>('POST', `/api/conversations/${enc(id)}/claim`),
  assign: (id: string, userId: string | null) => request<void>('POST', `/api/conversations/${enc(id)}/assign`, { body: { userId } }),
  viewing: (id: string) => request<{ viewers: UserRef[] }>('POST', `/api/conversations/${enc(id)}/viewing`),
  leave: (id: string) => request<void>('DELETE', `/api/conversations/${enc(id)}/viewing`, { keepalive: true }),
  reply: (id: string, reply: ReplyRequest) => request<{ outboundId: string }>('POST', `/api/conversations/${enc(id)}/replies`, { body: reply }),
  note: (id: string, text: string) => request<unknown>('POST', `/api/conversations/${enc(id)}/notes`, { body: { text } }),
  close: (id: string) => request<void>('POST', `/api/conversations/${enc(id)}/close`),
  reopen: (id: string) => request<void>('POST', `/api/conversations/${enc(id)}/reopen`),
  snooze: (id: string, until: string) => request<void>('POST', `/api/conversations/${enc(id)}/snooze`, { body: { until } }),

  retry: (outboundId: string) => request<unknown>('POST', `/api/outbound/${enc(outboundId)}/retry`),

  hide: (itemId: string) => request<{ outboundId: string }>('POST', `/api/items/${enc(itemId)}/hide`),
  unhide: (itemId: string) => request<{ outboundId: string }>('POST', `/api/items/${enc(itemId)}/unhide`),
  strike: (itemId: string, reason: string) => request<unknown>('POST', `/api/items/${enc(itemId)}/strike`, { body: { reason } }),
  reroute: (itemId: string, route: Route, reason: string) => request<unknown>('POST', `/api/items/${enc(itemId)}/reroute`, { body: { route, reason } }),

  flagBlock: (contactId: string, reason: string) => request<void>('POST', `/api/contacts/${enc(contactId)}/flag-block`, { body: { reason } }),
  offencesCsvHref: (contactId: string) => `/api/contacts/${enc(contactId)}/offences.csv`,

  templates: () => request<TemplateView[]>('GET', '/api/templates'),

  press: () => request<PressEnquiry[]>('GET', '/api/press'),
  pressClaim: (id: string) => request<void>('POST', `/api/press/${enc(id)}/claim`),
  pressAnswered: (id: string, note?: string) => request<void>('POST', `/api/press/${enc(id)}/answered`, { body: note ? { note } : {} }),

  reportSla: (query: SlaQuery) => request<SlaReport>('GET', `/api/reports/sla${queryString(query)}`),
  reportVolumes: (query: ReportRangeQuery) => request<VolumeReport>('GET', `/api/reports/volumes${queryString(query)}`),
  reportBreaches: (query: BreachQuery) => request<BreachPage>('GET', `/api/reports/breaches${queryString(query)}`),
  reportAtRisk: () => request<AtRiskReport>('GET', '/api/reports/at-risk'),
  reportDeflections: (query: ReportRangeQuery) => request<DeflectionReport>('GET', `/api/reports/deflections${queryString(query)}`),
  reportPress: (query: ReportRangeQuery) => request<PressReport>('GET', `/api/reports/press${queryString(query)}`),
  reportModeration: (query: ReportRangeQuery) => request<ModerationReport>('GET', `/api/reports/moderation${queryString(query)}`),
  /** The same query as the table it downloads (at-risk takes none). */
  reportCsvHref: (name: ReportCsv, query: object = {}) => `/api/reports/${name}.csv${queryString(query)}`,
};
