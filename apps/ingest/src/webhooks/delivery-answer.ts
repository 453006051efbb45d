import type { ApplyOutcome } from '../inbound.service.js';

/** What a webhook delivery is answered with: how many events it carried, stored and ignored. */
export interface DeliveryAnswer {
  received: number;
  stored: number;
  ignored: number;
}

export function summarise(outcomes: ApplyOutcome[]): DeliveryAnswer {
  return {
    received: outcomes.length,
    stored: outcomes.filter((o) => o.created).length,
    ignored: outcomes.filter((o) => o.event === 'ignored').length,
  };
}

/** Ignore reasons quote payload values only through a short, sanitised label, so they are safe to log. */
export function reasons(outcomes: ApplyOutcome[]): string {
  const distinct = [...new Set(outcomes.flatMap((o) => (o.reason ? [o.reason] : [])))].slice(0, 5);
  return distinct.length ? ` (${distinct.join('; ')})` : '';
}
