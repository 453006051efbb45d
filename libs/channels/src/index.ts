// Channel adapters (X, Meta, email) behind ports. Built by the ingest and responder issues;
// for now, the shape every inbound adapter produces.
import type { Channel } from '@desk/domain';

export interface InboundAuthor {
  externalId: string;
  handle?: string;
  displayName?: string;
}

/** One item as a channel delivered it, normalised; `raw` keeps the provider's payload as sent. */
export interface NormalisedInbound {
  channel: Channel;
  externalId: string;
  author: InboundAuthor;
  receivedAt: Date;
  text: string;
  subject?: string;
  url?: string;
  threadKey?: string;
  inReplyToExternalId?: string;
  raw: unknown;
}
