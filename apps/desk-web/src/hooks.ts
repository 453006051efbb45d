import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from './api/client.ts';
import { useAnnounce } from './announcer.tsx';

/** The time now, refreshed every `ms`, for "forwarded 12m ago" and countdowns. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – Engagement desk`;
  }, [title]);
}

export interface Action {
  busy: boolean;
  error: string | null;
  /**
   * Runs `work`; on success announces `done` and calls `then` (usually a reload), on failure
   * announces the error and keeps it for the page. Resolves true on success.
   */
  run: (work: () => Promise<unknown>, done?: string, then?: () => unknown) => Promise<boolean>;
  clearError: () => void;
}

/**
 * One button's request: busy while in flight (so a double click sends once), the error kept to
 * show beside the button, and the outcome said in the live region for screen-reader users.
 */
export function useAction(): Action {
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(
    async (work: () => Promise<unknown>, done?: string, then?: () => unknown) => {
      if (inFlight.current) return false;
      inFlight.current = true;
      setBusy(true);
      setError(null);
      try {
        await work();
        if (done) announce(done);
        if (mounted.current) void then?.();
        return true;
      } catch (e) {
        const message = describeError(e);
        if (mounted.current) setError(message);
        announce(message);
        return false;
      } finally {
        inFlight.current = false;
        if (mounted.current) setBusy(false);
      }
    },
    [announce],
  );
  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, clearError };
}
