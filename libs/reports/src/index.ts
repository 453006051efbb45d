// Manager reports: how each item counts (facts computed with the SLA calendar), the daily rollups
// built from facts, and the figures read off them.
export * from './item-fact.js';
export * from './buckets.js';
export * from './rollup.js';
export * from './calendar-fingerprint.js';
export * from './figures.js';
export * from './sla-report.js';
