/**
 * SQLSTATE classes that say Postgres could not take the statement at all, whatever it held:
 * connection failures (08), too many connections or out of resources (53), shutting down (57).
 */
const UNAVAILABLE = new Set(['08', '53', '57']);

/**
 * Whether Postgres ran the statement and refused it for what it held (a constraint, bad data, a
 * deadlock): then its parts may be tried apart, and only the culprit fails. An error without a
 * SQLSTATE (connection refused, pool timeout) or one of the classes above means Postgres is not
 * there to ask, and trying each part again would only multiply the wait.
 */
export function statementRefused(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !UNAVAILABLE.has(code.slice(0, 2));
}
