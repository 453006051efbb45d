export * from './load.js';
export * from './schemas.js';
export * from './service-config.js';
export * from './redis-url.js';
export * from './ingest-settings.js';
export * from './responder-settings.js';
