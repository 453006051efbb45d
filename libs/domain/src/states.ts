/** Life of one inbound item, from arrival to its first response. */
export const ITEM_STATUSES = ['received', 'triaged', 'responded', 'deflected', 'removed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const CONVERSATION_STATUSES = ['open', 'snoozed', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const OUTBOUND_KINDS = ['reply', 'direct_message', 'hide', 'unhide', 'press_forward', 'email', 'alert'] as const;
export type OutboundKind = (typeof OUTBOUND_KINDS)[number];

/**
 * An outbound row is `pending` until a responder takes it, `sending` while the provider may be
 * acting on it (a crash there is reconciled with the provider before any resend), then `sent` or
 * `failed` (with a reason a person reads).
 */
export const OUTBOUND_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

export const ROLES = ['officer', 'manager', 'press', 'admin'] as const;
export type Role = (typeof ROLES)[number];
