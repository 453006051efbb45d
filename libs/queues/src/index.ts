export * from './jobs.js';
export * from './job-id.js';
export * from './defaults.js';
export * from './typed-queue.js';
export * from './queues.module.js';
export * from './batcher.js';
export * from './connection-errors.js';
