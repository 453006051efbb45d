import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { answerPing, dispatch, type Handlers } from '@desk/runtime';

const handlers: Handlers<'outbound'> = {
  'system.ping': (data) => answerPing('responder', data),
};

/** Consumes the outbound queue, which this service owns. */
@Processor('outbound')
export class ResponderProcessor extends WorkerHost {
  override process(job: Job): Promise<unknown> {
    return dispatch('responder', handlers, job);
  }
}
