export * from './bootstrap.js';
export * from './dispatch.js';
export * from './logger.js';
export * from './runtime.module.js';
export * from './tokens.js';
export * from './calendar-source.js';
export * from './desk-events.js';
export * from './kept-job-scheduler.js';
