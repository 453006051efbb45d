// Manager reports: how each item counts (facts computed with the SLA calendar) and the figures built from them.
export * from './item-fact.js';
