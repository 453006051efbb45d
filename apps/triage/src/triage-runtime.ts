/** Injection token for triage's own settings from the environment (`ServiceConfig.triage`). */
export const TRIAGE_RUNTIME = Symbol('TRIAGE_RUNTIME');
