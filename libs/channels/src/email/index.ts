// Filled in by the email channel's work.
export {};
