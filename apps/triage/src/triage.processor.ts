import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { answerPing, dispatch, type Handlers } from '@desk/runtime';

const handlers: Handlers<'triage'> = {
  'system.ping': (data) => answerPing('triage', data),
};

/** Consumes the triage queue, which this service owns. */
@Processor('triage')
export class TriageProcessor extends WorkerHost {
  override process(job: Job): Promise<unknown> {
    return dispatch('triage', handlers, job);
  }
}
