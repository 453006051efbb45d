import { Inject, Injectable, Logger } from '@nestjs/common';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { OutboundFailure, type Sent } from '@desk/channels';
import { OutboundRepository, type OutboundWork, type StoredError } from '@desk/persistence';
import { DeskEvents } from '@desk/runtime';
import { Pacing } from './pacing.js';
import { PACE_SCOPES, Performer, paceScope } from './performer.js';

export type SendResult =
  | { skipped: string }
  | { sent: string; reconciled: boolean }
  | { failed: string }
  | { waiting: string };

/** What a rate limit costs when the provider did not say how long: X's window is 15 minutes. */
const UNKNOWN_WAIT_MS = 60_000;

/**
 * One outbound row, exactly once. The row is marked `sending` in Postgres before the provider is
 * called; an attempt that finds it already `sending` knows an earlier one may have posted, so it
 * asks the provider first and records what it finds instead of posting again.
 */
@Injectable()
export class OutboundWorker {
  private readonly logger = new Logger('Responder');

  constructor(
    private readonly outbound: OutboundRepository,
    private readonly performer: Performer,
    private readonly pacing: Pacing,
    @Inject(DeskEvents) private readonly events: DeskEvents,
  ) {}

  async send(outboundId: string, job: Job, token?: string): Promise<SendResult> {
    const held = await this.heldBack(outboundId);
    if (held) return 'skipped' in held ? held : this.waitUntil(job, token, held.until);

    const claim = await this.outbound.claim(outboundId);
    if (claim.state === 'missing') throw new UnrecoverableError(`outbound ${outboundId} not found`);
    if (claim.state === 'finished') return { skipped: `already ${claim.status}` };
    const { work } = claim;
    const scope = paceScope(work.kind, work.channel);
    // Whether the provider may hold a post of ours for this row that we have not recorded.
    let uncertain = claim.reconcile;
    try {
      if (uncertain) {
        const found = await this.performer.find(work);
        if (found.state === 'found') return await this.sent(work, { providerId: found.providerId, at: new Date(), response: found.response }, true);
        if (found.state === 'unknown') {
          return await this.fail(work, {
            kind: 'uncertain',
            message: `an earlier attempt may have sent this and ${found.why}: check before sending it again`,
            provider: found.provider,
            attempt: work.attempts,
            at: new Date().toISOString(),
          });
        }
        uncertain = false;
      }
      const sent = await this.performer.send(work);
      if (sent.slowDownUntil) await this.pacing.pause(scope, sent.slowDownUntil);
      return await this.sent(work, sent, false);
    } catch (error) {
      if (!(error instanceof OutboundFailure)) throw error;
      return this.failure(work, error, uncertain, scope, job, token);
    }
  }

  /**
   * Whether the row must not be claimed now: finished already, or its provider paused. Claiming
   * reads the row itself, so the row is read first only while some provider is paused.
   */
  private async heldBack(outboundId: string): Promise<{ skipped: string } | { until: Date } | undefined> {
    const paused = await this.pacing.paused(PACE_SCOPES);
    if (!paused.size) return undefined;
    const peek = await this.outbound.peek(outboundId);
    if (!peek) throw new UnrecoverableError(`outbound ${outboundId} not found`);
    if (peek.status === 'sent' || peek.status === 'failed') return { skipped: `already ${peek.status}` };
    const until = paused.get(paceScope(peek.kind, peek.channel));
    return until ? { until } : undefined;
  }

  private async failure(work: OutboundWork, f: OutboundFailure, uncertain: boolean, scope: string, job: Job, token?: string): Promise<SendResult> {
    if (f.slowDownUntil) await this.pacing.pause(scope, f.slowDownUntil);
    const stored = storedError(f, work.attempts);
    if (f.kind === 'permanent') return this.fail(work, stored);
    const mayHaveActed = uncertain || f.maybeDelivered;
    await this.outbound.release(work.id, stored, mayHaveActed);
    if (f.kind === 'rate_limited') {
      const until = f.until ?? new Date(Date.now() + UNKNOWN_WAIT_MS);
      await this.pacing.pause(scope, until);
      this.logger.warn(`${scope} rate limited until ${until.toISOString()}; outbound ${work.id} waits`);
      return this.waitUntil(job, token, until);
    }
    const attempts = job.opts.attempts ?? 1;
    if (job.attemptsMade + 1 >= attempts) {
      const maybe = mayHaveActed ? ' It may have been sent: check before sending it again.' : '';
      return this.fail(work, { ...stored, message: `gave up after ${attempts} attempts: ${stored.message}.${maybe}` });
    }
    throw new Error(`outbound ${work.id}: ${stored.message} (will retry)`);
  }

  private async sent(work: OutboundWork, sent: Sent, reconciled: boolean): Promise<SendResult> {
    // Email is the one channel whose provider can't always be asked later whether we sent.
    const flush = paceScope(work.kind, work.channel) === 'smtp';
    const recorded = await this.outbound.recordSent(work.id, sent, reconciled, { flush });
    await this.events.publish({ type: 'outbound.sent', outboundId: work.id, kind: work.kind, itemId: recorded.itemId, conversationId: recorded.conversationId, reconciled });
    if (reconciled) this.logger.log(`outbound ${work.id} was already at the provider (${sent.providerId}); recorded, not sent again`);
    return { sent: sent.providerId, reconciled };
  }

  private async fail(work: OutboundWork, error: StoredError): Promise<SendResult> {
    const recorded = await this.outbound.recordFailed(work.id, error);
    await this.events.publish({
      type: 'outbound.failed',
      outboundId: work.id,
      kind: work.kind,
      itemId: recorded.itemId,
      conversationId: recorded.conversationId,
      reason: error.message,
    });
    this.logger.warn(`outbound ${work.id} (${work.kind} on ${work.channel}) failed: ${error.message}`);
    return { failed: error.message };
  }

  /** Puts the job back to wait without spending an attempt: a rate limit is not a failure. */
  private async waitUntil(job: Job, token: string | undefined, until: Date): Promise<never> {
    if (!token) throw new Error('cannot delay a job without its lock token');
    await job.moveToDelayed(until.getTime(), token);
    throw new DelayedError(`waiting until ${until.toISOString()}`);
  }
}

function storedError(f: OutboundFailure, attempt: number): StoredError {
  const e = f.error;
  return {
    kind: f.kind,
    message: e.message,
    provider: e.provider,
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.subcode !== undefined ? { subcode: e.subcode } : {}),
    ...(e.traceId !== undefined ? { traceId: e.traceId } : {}),
    ...(e.body !== undefined ? { body: e.body } : {}),
    attempt,
    at: new Date().toISOString(),
  };
}
