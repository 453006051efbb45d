import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { answerPing, dispatch, type Handlers } from '@desk/runtime';
import { DeskSweeper } from './desk-sweeper.js';

/** Consumes the desk queue, which this service owns. */
@Processor('desk')
export class DeskProcessor extends WorkerHost {
  private readonly handlers: Handlers<'desk'>;

  constructor(sweeper: DeskSweeper) {
    super();
    this.handlers = {
      'system.ping': (data) => answerPing('desk', data),
      'desk.wake': (data) => sweeper.wake(data.conversationId),
      'desk.sweep': () => sweeper.sweep(),
    };
  }

  override process(job: Job): Promise<unknown> {
    return dispatch('desk', this.handlers, job);
  }
}
