import type { Redis } from 'ioredis';

/**
 * When each provider may next be called, shared by every responder through Redis, so one 429 or
 * one "usage at 90%" slows all copies down instead of each finding out for itself.
 */
export class Pacing {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  close(): void {
    this.redis.disconnect();
  }

  /** The scopes among `scopes` that must not be called yet, each with when it may be: one read for all. */
  async paused(scopes: readonly string[], now = Date.now()): Promise<Map<string, Date>> {
    const values = await this.redis.mget(scopes.map((scope) => this.key(scope)));
    const paused = new Map<string, Date>();
    scopes.forEach((scope, i) => {
      const until = Number(values[i]);
      if (Number.isFinite(until) && until > now) paused.set(scope, new Date(until));
    });
    return paused;
  }

  /** No call to `scope` before `until`; a later time already set wins. */
  async pause(scope: string, until: Date, now = Date.now()): Promise<void> {
    const ms = until.getTime();
    if (ms <= now) return;
    await this.redis.eval(LATER_WINS, 1, this.key(scope), String(ms), String(ms - now + 1_000));
  }

  private key(scope: string): string {
    return `${this.prefix}:pace:${scope}`;
  }
}

const LATER_WINS = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1`;
