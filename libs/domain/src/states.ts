/** Life of one inbound item, from arrival to its first response. */
export const ITEM_STATUSES = ['received', 'triaged', 'responded', 'deflected', 'removed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const CONVERSATION_STATUSES = ['open', 'snoozed', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const OUTBOUND_KINDS = ['reply', 'direct_message', 'hide', 'unhide', 'press_forward', 'email'] as const;
export type OutboundKind = (typeof OUTBOUND_KINDS)[number];

/** An outbound row is `pending` before the provider is called, so a crash mid-call can be reconciled. */
export const OUTBOUND_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

export const ROLES = ['officer', 'manager', 'press', 'admin'] as const;
export type Role = (typeof ROLES)[number];
