import { Processor } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { Batcher, LoggedWorkerHost } from '@desk/queues';
import { answerPing, dispatch, type Handlers } from '@desk/runtime';
import { TriageWorker, type TriageResult } from './triage-worker.js';
import type { TriageRuntimeSettings } from '@desk/config';
import { TRIAGE_RUNTIME } from './triage-runtime.js';

/** Consumes the triage queue, which this service owns. */
@Injectable()
export class TriageProcessor extends LoggedWorkerHost {
  private readonly handlers: Handlers<'triage'>;

  constructor(worker: TriageWorker, @Inject(TRIAGE_RUNTIME) runtime: TriageRuntimeSettings) {
    super();
    // Items are decided in batches: the jobs the worker holds while a batch runs make up the next.
    // Two at a time: one is read and decided while the other is applied (the worker applies one
    // batch at a time, so each sees the previous one committed and none waits on another's locks).
    const batcher = new Batcher<string, TriageResult>(
      async (ids) => {
        const results = await worker.triageMany(ids);
        return ids.map((id) => results.get(id)!);
      },
      { maxBatch: runtime.batch, maxParallel: 2 },
    );
    this.handlers = {
      'system.ping': (data) => answerPing('triage', data),
      'triage.item': (data) => batcher.add(data.itemId),
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
 * (BullMQ's default of one would fail it for good on a second crash). It holds three batches' worth
 * of jobs: one being applied, one being decided, the next gathering.
 */
export function configuredProcessor(settings: TriageRuntimeSettings): typeof TriageProcessor {
  class ConfiguredTriageProcessor extends TriageProcessor {}
  Processor('triage', {
    concurrency: 3 * settings.batch,
    lockDuration: settings.lockMs,
    stalledInterval: Math.max(1_000, Math.floor(settings.lockMs / 2)),
    maxStalledCount: 10,
  })(ConfiguredTriageProcessor);
  return ConfiguredTriageProcessor;
}
