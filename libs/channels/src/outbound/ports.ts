/**
 * What the responder asks of each provider, and how a provider call can end. Adapters (x, meta,
 * email) implement these; the responder decides what a result means for the outbound row.
 */

/** The provider accepted the action. */
export interface Sent {
  /** The provider's id for what we created (tweet id, DM event id, comment id, Message-ID), or the target for a hide. */
  providerId: string;
  at: Date;
  /** A small, safe summary of the answer, stored with the row (never a credential). */
  response?: unknown;
  /** The provider asked us (through usage headers) to slow down: no call to it before this time. */
  slowDownUntil?: Date;
}

export type FailureKind =
  /** Will not work however often it is tried (deleted tweet, bad token, text too long): a person must act. */
  | 'permanent'
  /** May work later (5xx, network); retried with backoff. */
  | 'transient'
  /** The provider refused for now; nothing happened there. Wait until `until`, then try again. */
  | 'rate_limited';

/** The provider's own account of an error, kept with the row and shown in the desk. Strings are capped. */
export interface ProviderError {
  provider: 'x' | 'graph' | 'smtp' | 'imap' | 'local';
  /** HTTP status, or the SMTP reply code. */
  status?: number;
  /** The provider's error code: Graph `error.code`, X problem `type`, SMTP enhanced code. */
  code?: string | number;
  /** Graph `error_subcode`. */
  subcode?: number;
  /** Graph `fbtrace_id`, X `x-transaction-id`: what the provider's support asks for. */
  traceId?: string;
  /** One line, safe to show an officer. */
  message: string;
  /** The provider's error body as received (parsed JSON or text), capped at 4 KB. */
  body?: unknown;
}

export class OutboundFailure extends Error {
  readonly kind: FailureKind;
  readonly error: ProviderError;
  /** For `rate_limited`: no call before this time (undefined when the provider did not say). */
  readonly until?: Date;
  /**
   * For `transient`: the request may have reached the provider and been acted on (a timeout after
   * sending, a 5xx). The retry must reconcile before sending again.
   */
  readonly maybeDelivered: boolean;
  /** Usage headers on the failed answer asked us to slow down. */
  readonly slowDownUntil?: Date;

  constructor(kind: FailureKind, error: ProviderError, options: { until?: Date; maybeDelivered?: boolean; slowDownUntil?: Date } = {}) {
    super(error.message);
    this.name = 'OutboundFailure';
    this.kind = kind;
    this.error = error;
    this.until = options.until;
    this.maybeDelivered = options.maybeDelivered ?? kind === 'transient';
    this.slowDownUntil = options.slowDownUntil;
  }
}

/** X: replies, DMs and hidden replies, through twitter-api-v2. */
export interface XOutbound {
  /** POST /2/tweets with reply.in_reply_to_tweet_id. Refuses text over 280 characters before calling. */
  reply(inReplyToTweetId: string, text: string): Promise<Sent>;
  /** Our own reply to that tweet with this text, if X has it (reconciliation after a crash). */
  findReply(inReplyToTweetId: string, text: string): Promise<string | undefined>;
  /** POST /2/dm_conversations/with/:participant_id/messages. Refuses text over 10,000 characters. */
  sendDm(participantId: string, text: string): Promise<Sent>;
  /** Our DM to that person with this text sent at or after `since`, if X has it. */
  findDm(participantId: string, text: string, since: Date): Promise<string | undefined>;
  /** PUT /2/tweets/:id/hidden. Idempotent at X, so it needs no reconciliation. */
  hide(tweetId: string, hidden: boolean): Promise<Sent>;
  close(): void;
}

export type GraphNetwork = 'facebook' | 'instagram';

/** Facebook Page and Instagram comments, through the Graph API with the Page token. */
export interface GraphOutbound {
  /** FB `POST /{comment-id}/comments`, IG `POST /{comment-id}/replies`, as the account that owns the comment's post. */
  reply(network: GraphNetwork, accountId: string, commentId: string, message: string): Promise<Sent>;
  /** Our reply on that comment with this text, if Graph has it (reconciliation after a crash). */
  findReply(network: GraphNetwork, accountId: string, commentId: string, message: string): Promise<string | undefined>;
  /** FB `POST /{comment-id}?is_hidden=`, IG `POST /{comment-id}?hide=`. Idempotent. */
  hide(network: GraphNetwork, accountId: string, commentId: string, hidden: boolean): Promise<Sent>;
  close(): void;
}

/** A whole outgoing email, built by the compose functions; the Message-ID is ours and fixed per outbound row. */
export interface OutgoingMail {
  messageId: string;
  from: string;
  to: string[];
  replyTo?: string;
  subject: string;
  inReplyTo?: string;
  references?: string[];
  text: string;
  html: string;
  /** Extra headers, e.g. X-Desk-Reference on a press forward. */
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<Sent>;
  /**
   * Whether a message with this Message-ID was already sent (reconciliation after a crash): true,
   * false, or undefined when this mailer cannot tell (then a person must check).
   */
  findSent(messageId: string): Promise<boolean | undefined>;
  close(): Promise<void>;
}
