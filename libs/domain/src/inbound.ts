import type { Channel } from './channel.js';

export interface InboundAuthor {
  /** The channel's stable id for the person: X user id, Facebook/Instagram user id, email address. */
  externalId: string;
  handle?: string;
  displayName?: string;
}

export interface InboundAttachment {
  filename?: string;
  contentType: string;
  size: number;
  /** The bytes, when within the configured cap; metadata is kept either way. */
  content?: Uint8Array;
}

/** What kind of message it is; only `message` goes to a person. */
export type InboundKind = 'message' | 'auto_reply' | 'bounce';

/**
 * One thing the public sent, normalised from any channel. `raw` is the provider's payload as
 * received, stored as-is so nothing is lost if our reading of it was wrong.
 */
export interface InboundMessage {
  channel: Channel;
  externalId: string;
  /** Null when the sender cannot be read (e.g. an unparseable email); a person still sees it. */
  author: InboundAuthor | null;
  /** The channel's own time; stored as no later than the moment of ingest. */
  receivedAt: Date;
  text: string;
  subject?: string;
  /** A link to the original on the channel, when there is one. */
  url?: string;
  /** External ids this message answers, nearest first (in_reply_to, References); used for threading. */
  replyTo?: string[];
  /** The channel's own conversation id when it gives one (e.g. the root tweet, the commented post). */
  threadKey?: string;
  /** For email only: the normalised subject, to thread with the same sender when headers are missing. */
  threadSubject?: string;
  kind: InboundKind;
  /** Why the message could not be read; it is stored raw and flagged for a person. */
  parseError?: string;
  attachments?: InboundAttachment[];
  raw: unknown;
}

/** What a channel event means for the stored items. */
export type InboundEvent =
  | { type: 'message'; message: InboundMessage }
  | { type: 'edited'; channel: Channel; externalId: string; text: string; at: Date; raw: unknown; message: InboundMessage }
  | { type: 'removed'; channel: Channel; externalId: string; at: Date; raw: unknown }
  | { type: 'hidden' | 'unhidden'; channel: Channel; externalId: string; at: Date; raw: unknown }
  | { type: 'ignored'; reason: string; externalId?: string };
