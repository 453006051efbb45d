/**
 * A deterministic job id, so that enqueuing the same work twice is a no-op while the first job
 * is kept. BullMQ forbids ':' (it separates key parts) and all-digit ids (they clash with its
 * own counters), so the parts are joined with '-' and always start with the job name.
 */
export function jobIdFor(name: string, key: string): string {
  if (key === '') throw new Error('jobIdFor: empty key');
  return `${name}-${key}`.replace(/[^A-Za-z0-9_-]/g, '-');
}
