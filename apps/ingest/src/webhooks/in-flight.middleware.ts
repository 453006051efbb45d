import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** How often refusals are reported: a flood of 503s is one warning with a count, not one each. */
const REPORT_EVERY_MS = 10_000;

/**
 * Caps the webhook deliveries handled at once. Past `max`, a delivery is answered 503 with
 * Retry-After before its body is read: Meta and X deliver again, and the X poller fetches what X
 * gives up on. Without a cap, a provider opening more connections in a flood would have every
 * delivery held in memory, queued for one of ten database connections, and answered late (at
 * 2,000/s ingest's own /health waited 1.2 s for a connection).
 */
export function inFlightLimit(max: number) {
  const logger = new Logger('Webhooks');
  let inFlight = 0;
  let refused = 0;
  let reportedAt = 0;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (inFlight >= max) {
      refused++;
      if (Date.now() - reportedAt >= REPORT_EVERY_MS) {
        logger.warn(`${refused} webhook deliveries refused with 503: ${max} already in progress (WEBHOOK_MAX_IN_FLIGHT); the senders deliver them again`);
        refused = 0;
        reportedAt = Date.now();
      }
      res.setHeader('Retry-After', '1');
      res.status(503).json({ error: 'busy', message: `${max} deliveries in progress; retry shortly` });
      req.resume();
      return;
    }
    inFlight++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      inFlight--;
    };
    res.on('finish', release);
    res.on('close', release);
    next();
  };
}
