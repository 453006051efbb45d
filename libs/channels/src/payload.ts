import type { InboundEvent } from '@desk/domain';

/** An event that stores nothing, with the reason (logged, so it must be safe to log). */
export function ignored(reason: string, externalId?: string): InboundEvent {
  return externalId ? { type: 'ignored', reason, externalId } : { type: 'ignored', reason };
}

/** A short, log-safe rendering of a value taken from a payload, for ignore reasons. */
export function label(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.slice(0, 40).replace(/[^\w.:-]/g, '?');
    return `"${shown}${value.length > 40 ? '...' : ''}"`;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
