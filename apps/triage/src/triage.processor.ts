import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { answerPing, dispatch, type Handlers } from '@desk/runtime';
import { TriageWorker } from './triage-worker.js';

/** Consumes the triage queue, which this service owns. */
@Processor('triage', { concurrency: 8 })
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
