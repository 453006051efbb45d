import type { InboundEvent } from '@desk/domain';
import { x } from '@desk/channels';

/** What one stream needs; interfaces rather than Nest classes, so a spec can drive it with fakes. */
export interface PollStreamDeps {
  /** For log lines: "mentions", "direct messages". */
  name: string;
  /** Where the walk got to, e.g. `x:mentions:<userId>`. */
  checkpointKey: string;
  /** The checkpoint's field: `sinceId` for mentions, `lastEventId` for DM events. */
  checkpointField: string;
  fetch(cursor: { afterId?: string; paginationToken?: string }): Promise<x.XPage>;
  read(body: unknown, afterId: string | undefined): x.ParsedPage;
  apply(events: InboundEvent[]): Promise<Array<{ created: boolean }>>;
  checkpoints: { get<T>(key: string): Promise<T | undefined>; set(key: string, value: unknown): Promise<void> };
  logger: { log(message: string): void; warn(message: string): void };
  clock?: Clock;
  /** A guard against a server that never stops handing out next tokens. */
  maxPages?: number;
}

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects at once when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export class Stopped extends Error {
  constructor() {
    super('stopped');
    this.name = 'Stopped';
  }
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new Stopped());
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new Stopped());
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Without a reset time from X, the first wait after a 429; doubled while 429s continue. */
const FIRST_429_WAIT_MS = 5_000;
/** X's resets are whole seconds on X's clock; a second more keeps a slightly fast clock of ours from asking early. */
const RESET_MARGIN_MS = 1_000;
/** The longest X asks anyone to wait is its 24-hour window. */
const MAX_WAIT_MS = 24 * 60 * 60 * 1000;
/** The longest pause between walks after failures, however many in a row. */
const MAX_BACKOFF_MS = 15 * 60 * 1000;
/** Mentions reach back 800 tweets (8 pages); 30 days of DMs rarely pass 100 pages of 100. */
const MAX_PAGES = 100;
/** An outage is reported on its first failure and every tenth after, not once a minute forever. */
const REPORT_EVERY = 10;

export interface WalkSummary {
  pages: number;
  stored: number;
}

/**
 * One polled X timeline: walks its pages newest first from the checkpoint, stores each page as it
 * comes, and moves the checkpoint only once the whole walk is stored, so a walk cut short (a
 * crash, a failure, a shutdown) is simply done again: the store ignores what it already has.
 * Requests never start before X's rate-limit reset.
 */
export class PollStream {
  private notBefore = 0;
  private limitedInARow = 0;
  private readonly clock: Clock;

  constructor(private readonly deps: PollStreamDeps) {
    this.clock = deps.clock ?? realClock;
  }

  /** Walks now, then every `intervalMs` (longer after failures), until `signal` aborts. Never rejects. */
  async run(intervalMs: number, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.walk(signal);
        if (failures) this.deps.logger.log(`X ${this.deps.name}: polling works again after ${failures} failure(s)`);
        failures = 0;
      } catch (error) {
        if (signal.aborted || error instanceof Stopped) break;
        failures++;
        if (failures % REPORT_EVERY === 1) {
          this.deps.logger.warn(`X ${this.deps.name}: poll failed (${failures} in a row): ${(error as Error).message}`);
        }
      }
      const pause = failures ? Math.max(intervalMs, Math.min(intervalMs * 2 ** Math.min(failures - 1, 16), MAX_BACKOFF_MS)) : intervalMs;
      try {
        await this.clock.sleep(pause, signal);
      } catch {
        break;
      }
    }
  }

  async walk(signal: AbortSignal): Promise<WalkSummary> {
    const { checkpoints, checkpointKey, checkpointField } = this.deps;
    const saved = await checkpoints.get<Record<string, unknown>>(checkpointKey);
    const value = saved?.[checkpointField];
    const afterId = typeof value === 'string' && /^\d{1,20}$/.test(value) ? value : undefined;
    const maxPages = this.deps.maxPages ?? MAX_PAGES;
    const tokens = new Set<string>();
    let paginationToken: string | undefined;
    let newest: string | undefined;
    let pages = 0;
    let stored = 0;
    for (;;) {
      const page = await this.request({ afterId, paginationToken }, signal);
      const parsed = this.deps.read(page.body, afterId);
      if (!parsed.ok) throw new Error(`unreadable answer from X: ${parsed.reason}`);
      // A shutdown after the answer arrived still stores it: the page is in hand and the commit is short.
      const outcomes = await this.deps.apply(parsed.page.events);
      stored += outcomes.filter((o) => o.created).length;
      pages++;
      const pageNewest = parsed.page.newestId;
      if (pageNewest && (!newest || x.compareIds(pageNewest, newest) > 0)) newest = pageNewest;
      paginationToken = parsed.page.nextToken;
      if (!paginationToken || parsed.page.reachedCheckpoint) break;
      if (tokens.has(paginationToken) || pages >= maxPages) {
        this.deps.logger.warn(`X ${this.deps.name}: stopped paging after ${pages} page(s) (repeated or endless next_token)`);
        break;
      }
      tokens.add(paginationToken);
      if (signal.aborted) throw new Stopped();
    }
    if (newest && (!afterId || x.compareIds(newest, afterId) > 0)) {
      await checkpoints.set(checkpointKey, { [checkpointField]: newest });
    }
    if (stored) this.deps.logger.log(`X ${this.deps.name}: ${stored} new item(s) from ${pages} page(s)`);
    return { pages, stored };
  }

  /** One page, after any rate-limit wait; a 429 is waited out and the same page asked again. */
  private async request(cursor: { afterId?: string; paginationToken?: string }, signal: AbortSignal): Promise<x.XPage> {
    for (;;) {
      const wait = this.notBefore - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait, signal);
      if (signal.aborted) throw new Stopped();
      try {
        const page = await untilAborted(this.deps.fetch(cursor), signal);
        this.limitedInARow = 0;
        if (page.exhaustedUntil) this.notBefore = this.resumeAt(page.exhaustedUntil);
        return page;
      } catch (error) {
        if (!(error instanceof x.XRateLimited)) throw error;
        this.limitedInARow++;
        this.notBefore = this.resumeAt(error.resetAt);
        this.deps.logger.warn(`X ${this.deps.name}: rate limited; next request at ${new Date(this.notBefore).toISOString()}`);
      }
    }
  }

  /** X's reset when it gave one still ahead; otherwise (none, or already past by our clock) a growing pause. */
  private resumeAt(resetAt: Date | undefined): number {
    const now = this.clock.now();
    const told = resetAt ? resetAt.getTime() + RESET_MARGIN_MS : undefined;
    if (told !== undefined && told > now) return Math.min(told, now + MAX_WAIT_MS);
    if (!this.limitedInARow) return now;
    return now + Math.min(FIRST_429_WAIT_MS * 2 ** Math.min(this.limitedInARow - 1, 16), MAX_BACKOFF_MS);
  }
}

/** Stops waiting for a request when shutting down; its late answer is dropped. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(new Stopped());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Stopped());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
