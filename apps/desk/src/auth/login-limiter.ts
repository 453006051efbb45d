import type { Redis } from 'ioredis';

export interface LimiterPolicy {
  maxFailures: number;
  windowMs: number;
}

/**
 * Counts failed logins per email and per address in Redis, so every desk process shares one count.
 * An address may fail four times as often as one email (a shared office connection).
 */
export class LoginLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly policy: LimiterPolicy,
  ) {}

  private keys(email: string, ip: string): [string, string] {
    return [`${this.prefix}:login-fail:email:${email.toLowerCase()}`, `${this.prefix}:login-fail:ip:${ip}`];
  }

  /** Milliseconds to wait before another attempt, or 0. */
  async wait(email: string, ip: string): Promise<number> {
    const [emailKey, ipKey] = this.keys(email, ip);
    const [[, emailCount], [, ipCount], [, emailTtl], [, ipTtl]] = (await this.redis
      .multi()
      .get(emailKey)
      .get(ipKey)
      .pttl(emailKey)
      .pttl(ipKey)
      .exec()) as Array<[unknown, string | number | null]>;
    const overEmail = Number(emailCount ?? 0) >= this.policy.maxFailures;
    const overIp = Number(ipCount ?? 0) >= this.policy.maxFailures * 4;
    if (!overEmail && !overIp) return 0;
    return Math.max(overEmail ? Number(emailTtl) : 0, overIp ? Number(ipTtl) : 0, 1000);
  }

  async failed(email: string, ip: string): Promise<void> {
    const multi = this.redis.multi();
    for (const key of this.keys(email, ip)) multi.incr(key).pexpire(key, this.policy.windowMs, 'NX');
    await multi.exec();
  }

  async succeeded(email: string): Promise<void> {
    await this.redis.del(this.keys(email, '')[0]);
  }
}
