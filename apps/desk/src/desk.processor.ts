import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { answerPing, dispatch, type Handlers } from '@desk/runtime';

const handlers: Handlers<'desk'> = {
  'system.ping': (data) => answerPing('desk', data),
};

/** Consumes the desk queue, which this service owns. */
@Processor('desk')
export class DeskProcessor extends WorkerHost {
  override process(job: Job): Promise<unknown> {
    return dispatch('desk', handlers, job);
  }
}
