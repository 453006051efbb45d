export * from './channel.js';
export * from './route.js';
export * from './states.js';
export * from './inbound.js';
export * from './actions.js';
export * from './templates.js';
export * from './x-length.js';
