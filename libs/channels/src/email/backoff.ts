export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { initialMs: 1_000, maxMs: 60_000 };

/** Delay before the n-th retry (n from 1): doubling up to the cap, with ±20% jitter so many desks do not retry in step. */
export function backoffDelay(attempt: number, settings: BackoffSettings = DEFAULT_BACKOFF, random = Math.random): number {
  const base = Math.min(settings.maxMs, settings.initialMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * A wait that something else can cut short (new mail, a stop request). One waiter at a time: the
 * mailbox loops are sequential.
 */
export class Wakeup {
  private pending?: () => void;
  private signalled = false;

  /** Resolves after `ms`, or at once when woken (also if woken since the last wait). */
  wait(ms: number): Promise<void> {
    if (this.signalled) {
      this.signalled = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.pending = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pending = done;
    });
  }

  /** Forgets a wake that nobody waited for (new mail seen before a failure), so a backoff is not skipped. */
  clear(): void {
    this.signalled = false;
  }

  wake(): void {
    if (this.pending) this.pending();
    else this.signalled = true;
  }
}
