// Entities stay inside this library (DESIGN.md); the rest of the system gets data sources,
// migrations and, as they are built, repositories that speak in domain types.
export * from './data-source.js';
export * from './migrate.js';
export * from './persistence.module.js';
export * from './settings.repository.js';
export * from './inbound.repository.js';
export * from './checkpoint.repository.js';
export * from './triage.repository.js';
export * from './outbound.repository.js';
export * from './desk/users.repository.js';
export * from './desk/sessions.repository.js';
export * from './desk/queue.repository.js';
export * from './desk/conversation.repository.js';
export * from './desk/desk-actions.repository.js';
export * from './desk/press.repository.js';
export * from './reports/report-facts.repository.js';
export * from './reports/reports.repository.js';
