import { WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';

/** Anything that reports its failures as 'error' events: an ioredis client, a BullMQ queue or worker. */
export interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface ErrorLogOptions {
  /** At most one line per this many ms for one source; the rest are counted into the next line. */
  everyMs?: number;
  now?: () => number;
}

/**
 * Gives a Redis client, queue or worker an 'error' listener that logs one line through the
 * service's logger. Without one, ioredis prints "[ioredis] Unhandled error event" and BullMQ
 * console.errors each error's whole stack: in the Redis-restart fault test (3 s without Redis) the
 * four services wrote 2,394 such lines, none of them the one JSON object per line the logs are
 * read as. The first error of a spell is logged at once; the same source then says at most one
 * line per `everyMs`, with how many it held back.
 */
export function logErrorsOf(emitter: ErrorEmitter, source: string, warn: (line: string) => void, options: ErrorLogOptions = {}): void {
  const everyMs = options.everyMs ?? 10_000;
  const now = options.now ?? Date.now;
  let lastAt = -Infinity;
  let heldBack = 0;
  emitter.on('error', (error: Error) => {
    const at = now();
    if (at - lastAt < everyMs) {
      heldBack++;
      return;
    }
    const more = heldBack ? ` (and ${heldBack} more since the last line)` : '';
    warn(`${source}: ${oneLine(error?.message ?? String(error))}${more}`);
    lastAt = at;
    heldBack = 0;
  });
}

function oneLine(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * A WorkerHost whose worker's errors (Redis away, a job Redis lost under it) are logged through
 * logErrorsOf. The worker exists once the BullMQ explorer has run, at module init.
 */
export abstract class LoggedWorkerHost extends WorkerHost implements OnApplicationBootstrap {
  onApplicationBootstrap(): void {
    const logger = new Logger('Queues');
    logErrorsOf(this.worker, `queue worker ${this.worker.name}`, (line) => logger.warn(line));
  }
}
