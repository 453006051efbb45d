import type { Channel } from './channel.js';
import type { Flag, Route } from './route.js';
import type { ConversationStatus, OutboundKind, OutboundStatus, Role } from './states.js';

/**
 * The desk's HTTP contract, shared by the API and the web app so that both sides are checked
 * against one definition. Times are ISO strings; working time is in milliseconds.
 *
 * Every mutating request carries the session's CSRF token in `X-CSRF-Token`.
 */

export interface DeskUser {
  id: string;
  email: string;
  name: string;
  initials: string;
  role: Role;
  active: boolean;
  /** The officer's team, for the reports' team cut; null when not in one. */
  team: string | null;
}

/** GET /api/auth/me and POST /api/auth/login. */
export interface SessionInfo {
  user: DeskUser;
  csrfToken: string;
}

export type SlaState = 'ok' | 'at_risk' | 'breached' | 'answered' | 'none';

export interface AuthorView {
  contactId: string | null;
  handle: string | null;
  displayName: string | null;
  strikes: number;
  flaggedForBlockAt: string | null;
}

export interface UserRef {
  id: string;
  name: string;
  initials: string;
}

/** One row of GET /api/queue. */
export interface QueueRow {
  conversationId: string;
  channel: Channel;
  status: ConversationStatus;
  route: Route | null;
  priority: number;
  flags: Flag[];
  author: AuthorView;
  /** The first line of the newest item, capped. */
  preview: string;
  lastInboundAt: string | null;
  dueAt: string | null;
  /** Working time left to due (negative once breached); null when nothing awaits an answer. */
  workingMsLeft: number | null;
  sla: SlaState;
  assignee: UserRef | null;
  snoozedUntil: string | null;
  itemCount: number;
}

export interface QueueQuery {
  channel?: Channel;
  route?: Route;
  /** Default `open`. */
  status?: ConversationStatus;
  /** `me`, `none` or a user id. */
  assignee?: string;
  flag?: Flag;
  /** Searched in item text and author handle / name. */
  q?: string;
  cursor?: string;
  /** 1–100, default 50. */
  limit?: number;
}

export interface QueuePage {
  rows: QueueRow[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface TriageReason {
  signal: string;
  evidence: string[];
}

export interface InboundView {
  type: 'inbound';
  id: string;
  channel: Channel;
  at: string;
  subject: string | null;
  body: string;
  url: string | null;
  route: Route | null;
  flags: Flag[];
  confidence: number | null;
  reasons: TriageReason[];
  dueAt: string | null;
  firstResponseAt: string | null;
  firstResponseAutomatic: boolean | null;
  hiddenAt: string | null;
  removedAt: string | null;
  editedAt: string | null;
  parseError: string | null;
  /** The original text when the message could not be parsed, for a person to read. */
  raw: string | null;
  reroutedFrom: Route | null;
  attachments: Array<{ filename: string | null; contentType: string | null; size: number }>;
}

export interface OutboundView {
  type: 'outbound';
  id: string;
  kind: OutboundKind;
  channel: Channel;
  at: string;
  itemId: string | null;
  body: string | null;
  template: string | null;
  automatic: boolean;
  author: UserRef | null;
  status: OutboundStatus;
  attempts: number;
  sentAt: string | null;
  /** A person-readable reason when status is failed. */
  failure: string | null;
  reference: string | null;
  recipient: string | null;
}

export interface NoteView {
  type: 'note';
  id: string;
  at: string;
  author: UserRef | null;
  body: string;
}

export interface AuditView {
  type: 'event';
  id: string;
  at: string;
  actor: UserRef | null;
  action: string;
  details: Record<string, unknown>;
}

export type TimelineEntry = InboundView | OutboundView | NoteView | AuditView;

export interface SlaExplanation {
  dueAt: string;
  text: string;
  workingMsLeft: number;
  sla: SlaState;
}

export interface ReplyOptions {
  /** Which item a reply answers by default (the newest unanswered, else the newest). */
  itemId: string | null;
  public: boolean;
  private: boolean;
  /** X's weighted limit for public replies and DMs, else null. */
  maxLength: number | null;
}

export interface ConversationView {
  id: string;
  channel: Channel;
  status: ConversationStatus;
  route: Route | null;
  priority: number;
  dueAt: string | null;
  snoozedUntil: string | null;
  assignee: UserRef | null;
  author: AuthorView;
  timeline: TimelineEntry[];
  sla: SlaExplanation | null;
  reply: ReplyOptions;
  /** Other officers with this conversation open now. */
  viewers: UserRef[];
  /** The contact's other conversations, newest first. */
  history: Array<{ conversationId: string; channel: Channel; route: Route | null; status: ConversationStatus; lastInboundAt: string | null; preview: string }>;
  strikes: Array<{ id: string; at: string; reason: string; itemId: string | null; by: UserRef | null }>;
  /** Newest outbound id or note id the viewer has seen: send it back with a reply to detect collisions. */
  version: string;
}

export interface ReplyRequest {
  text: string;
  itemId?: string;
  visibility: 'public' | 'private';
  template?: string;
  /** `version` from the conversation view the officer was looking at. */
  basedOn: string;
  /** Send even though another officer has replied or is assigned since. */
  force?: boolean;
}

/** 409 body when a reply would collide with another officer's work. */
export interface ReplyConflict {
  conflict: 'replied_since' | 'assigned_to_other';
  by: UserRef | null;
  at: string | null;
  text: string | null;
  message: string;
}

export interface TemplateView {
  key: string;
  title: string;
  body: string;
  /** Placeholders such as {name} left for the officer to fill. */
  placeholders: string[];
}

export type PressStatus = 'new' | 'in_progress' | 'answered';

export interface PressEnquiry {
  id: string;
  reference: string | null;
  status: PressStatus;
  forwardedAt: string | null;
  forwardStatus: OutboundStatus;
  channel: Channel;
  journalist: string | null;
  outlet: string | null;
  preview: string;
  itemUrl: string | null;
  /** The deadline as the journalist stated it ("by 4pm today"), not parsed into a time. */
  deadline: string | null;
  handler: UserRef | null;
  answeredAt: string | null;
  /** Working ms between forwarding and the press response, once answered. */
  pressResponseWorkingMs: number | null;
}

/** Server-sent events on GET /api/events (event name = type). */
export type DeskStreamEvent =
  | { type: 'queue.changed'; conversationId: string; reason: string }
  | { type: 'conversation.viewing'; conversationId: string; viewers: UserRef[] }
  | { type: 'outbound.changed'; outboundId: string; conversationId: string | null; status: OutboundStatus; failure: string | null }
  | { type: 'press.changed'; outboundId: string };

export const API_ERROR_CODES = ['unauthenticated', 'forbidden', 'csrf', 'rate_limited', 'invalid', 'not_found', 'conflict', 'internal'] as const;
export interface ApiError {
  error: (typeof API_ERROR_CODES)[number];
  message: string;
}
