/** Routes in precedence order (TRIAGE.md): when several fit, the earliest wins. */
export const ROUTES = [
  'urgent_safety',
  'abuse',
  'media',
  'complaint',
  'clinical',
  'appointment',
  'spam',
  'story',
  'praise',
  'general',
] as const;
export type Route = (typeof ROUTES)[number];

export const FLAGS = ['pii', 'out_of_hours', 'repeat_offender'] as const;
export type Flag = (typeof FLAGS)[number];

export function isRoute(value: unknown): value is Route {
  return typeof value === 'string' && (ROUTES as readonly string[]).includes(value);
}

/** The route that wins among candidates, by TRIAGE.md precedence. */
export function highestPrecedence(candidates: Iterable<Route>): Route | undefined {
  let best: Route | undefined;
  for (const route of candidates) {
    if (best === undefined || ROUTES.indexOf(route) < ROUTES.indexOf(best)) best = route;
  }
  return best;
}
