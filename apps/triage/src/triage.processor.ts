import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { answerPing, dispatch, type Handlers } from '@desk/runtime';
import { TriageWorker } from './triage-worker.js';

/** Consumes the triage queue, which this service owns. */
@Injectable()
export class TriageProcessor extends WorkerHost {
  private readonly handlers: Handlers<'triage'>;

  constructor(worker: TriageWorker) {
    super();
    this.handlers = {
      'system.ping': (data) => answerPing('triage', data),
      'triage.item': (data) => worker.triage(data.itemId),
      'triage.reroute': (data) => worker.reroute(data.itemId, data.route, data.reason),
    };
  }

  override process(job: Job): Promise<unknown> {
    return dispatch('triage', this.handlers, job);
  }
}

/**
 * The processor with its worker options from configuration (decorator arguments are fixed at
 * import). The lock is how long the items of a triage process that died stay with it before
 * another takes them over (TRIAGE_LOCK_MS); a run is idempotent, so a job may stall more than once
 * (BullMQ's default of one would fail it for good on a second crash).
 */
export function configuredProcessor(settings: { lockMs: number }): typeof TriageProcessor {
  class ConfiguredTriageProcessor extends TriageProcessor {}
  Processor('triage', {
    concurrency: 8,
    lockDuration: settings.lockMs,
    stalledInterval: Math.max(1_000, Math.floor(settings.lockMs / 2)),
    maxStalledCount: 10,
  })(ConfiguredTriageProcessor);
  return ConfiguredTriageProcessor;
}
