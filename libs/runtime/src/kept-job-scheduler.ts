import type { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';

export interface KeptSchedule {
  /** The scheduler's id: one schedule however many processes keep it. */
  id: string;
  everyMs: number;
  job: { name: string; data: unknown };
  /** How often to check that Redis still has it; by default `everyMs`, between 2 and 30 s. */
  checkEveryMs?: number;
}

/** After a lost connection, how soon to try again while Redis is still away. */
const RETRY_MS = 1_000;

/**
 * Keeps a repeating job scheduled. A BullMQ job scheduler lives only in Redis, so a Redis that
 * restarts without persistence (or fails over, or is flushed) forgets it, and the sweeps it drives
 * would never run again until the service restarted. So the scheduler is upserted at start, checked
 * again as soon as the connection comes back after a loss, and checked periodically (which also
 * covers a flush without a disconnect); a missing one is created again.
 */
export class KeptJobScheduler {
  private timer?: NodeJS.Timeout;
  private retry?: NodeJS.Timeout;
  private inFlight?: Promise<boolean>;
  private stopped = false;
  private readonly onClose = () => this.checkSoon();

  constructor(
    private readonly queue: Queue,
    private readonly schedule: KeptSchedule,
    private readonly logger: Pick<Logger, 'warn' | 'error'>,
  ) {}

  /**
   * Upserts the scheduler (so a changed interval applies) and starts watching it. Resolves once the
   * first upsert is done, or has failed and been logged: the checks go on trying either way.
   */
  async start(): Promise<void> {
    const checkEvery = this.schedule.checkEveryMs ?? Math.min(Math.max(this.schedule.everyMs, 2_000), 30_000);
    this.timer = setInterval(() => void this.ensure(), checkEvery);
    this.timer.unref();
    // Emitted by BullMQ when the queue's connection drops; commands wait for the reconnection.
    this.queue.on('ioredis:close', this.onClose);
    try {
      await this.upsert();
    } catch (error) {
      this.logger.error(`job scheduler "${this.schedule.id}" not created yet (${(error as Error).message}); retrying`);
    }
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.retry);
    this.queue.off('ioredis:close', this.onClose);
  }

  /** Creates the scheduler if Redis no longer has it; true once Redis has answered. */
  ensure(): Promise<boolean> {
    this.inFlight ??= this.check().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async check(): Promise<boolean> {
    if (this.stopped) return true;
    try {
      if (await this.queue.getJobScheduler(this.schedule.id)) return true;
      await this.upsert();
      this.logger.warn(`job scheduler "${this.schedule.id}" was missing from Redis (restarted empty, failed over or flushed): created again`);
      return true;
    } catch (error) {
      if (!this.stopped) this.logger.warn(`job scheduler "${this.schedule.id}" not checked (${(error as Error).message})`);
      return false;
    }
  }

  /** Checks as soon as Redis answers again, trying every second until it does. */
  private checkSoon(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      void this.ensure().then((answered) => {
        this.retry = undefined;
        if (!answered) this.checkSoon();
      });
    }, RETRY_MS);
    this.retry.unref();
  }

  private async upsert(): Promise<void> {
    const { id, everyMs, job } = this.schedule;
    await this.queue.upsertJobScheduler(id, { every: everyMs }, { name: job.name, data: job.data });
  }
}
