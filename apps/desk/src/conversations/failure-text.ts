/** The reason a person reads for a failed send, from the stored provider error. */
export function failureText(error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const e = error as { message?: unknown; provider?: unknown; status?: unknown; code?: unknown };
  const message = typeof e.message === 'string' ? e.message : 'failed';
  const provider = typeof e.provider === 'string' ? e.provider : null;
  const detail = [e.status ? `HTTP ${String(e.status)}` : null, e.code !== undefined && e.code !== null ? `code ${String(e.code)}` : null]
    .filter(Boolean)
    .join(', ');
  return [provider ? `${provider}: ${message}` : message, detail ? `(${detail})` : ''].join(' ').trim().slice(0, 500);
}
