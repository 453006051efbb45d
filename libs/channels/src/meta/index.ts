// Filled in by the meta channel's work.
export {};
