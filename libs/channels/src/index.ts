// Channel adapters (X, Meta, email) behind ports: inbound parsing, and the outbound adapters the responder uses.
export type { InboundAuthor, InboundMessage, InboundEvent, InboundAttachment, InboundKind } from '@desk/domain';
export * from './signature.js';
export * as x from './x/index.js';
export * as meta from './meta/index.js';
export * as email from './email/index.js';
export * from './outbound/ports.js';
