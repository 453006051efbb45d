/** Injection tokens of the provider adapters, so tests and drivers can swap them. */
export const X_OUTBOUND = 'X_OUTBOUND';
export const GRAPH_OUTBOUND = 'GRAPH_OUTBOUND';
export const MAILER = 'MAILER';
