import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { answerPing, dispatch, type Handlers } from '@desk/runtime';

const handlers: Handlers<'ingest'> = {
  'system.ping': (data) => answerPing('ingest', data),
};

/** Consumes the ingest queue, which this service owns. */
@Processor('ingest')
export class IngestProcessor extends WorkerHost {
  override process(job: Job): Promise<unknown> {
    return dispatch('ingest', handlers, job);
  }
}
