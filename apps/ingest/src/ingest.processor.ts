import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { LoggedWorkerHost } from '@desk/queues';
import { answerPing, dispatch, type Handlers } from '@desk/runtime';
import { Sweeper } from './sweeper.js';

/** Consumes the ingest queue, which this service owns. */
@Processor('ingest')
export class IngestProcessor extends LoggedWorkerHost {
  private readonly handlers: Handlers<'ingest'>;

  constructor(sweeper: Sweeper) {
    super();
    this.handlers = {
      'system.ping': (data) => answerPing('ingest', data),
      'ingest.sweep': () => sweeper.sweep(),
    };
  }

  override process(job: Job): Promise<unknown> {
    return dispatch('ingest', this.handlers, job);
  }
}
