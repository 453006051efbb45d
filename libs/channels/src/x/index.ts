// Filled in by the x channel's work.
export {};
