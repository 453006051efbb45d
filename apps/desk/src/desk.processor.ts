import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { LoggedWorkerHost } from '@desk/queues';
import { answerPing, dispatch, type Handlers } from '@desk/runtime';
import { DeskSweeper } from './desk-sweeper.js';
import { ReportFacts } from './reports/report-facts.js';

/**
 * Consumes the desk queue, which this service owns. Several at once, so a long report refresh never
 * holds up a wake-up or a ping (refreshes running side by side skip each other's locked items).
 */
@Processor('desk', { concurrency: 4 })
export class DeskProcessor extends LoggedWorkerHost {
  private readonly handlers: Handlers<'desk'>;

  constructor(sweeper: DeskSweeper, reports: ReportFacts) {
    super();
    this.handlers = {
      'system.ping': (data) => answerPing('desk', data),
      'desk.wake': (data) => sweeper.wake(data.conversationId),
      'desk.sweep': () => sweeper.sweep(),
      'report.refresh': () => reports.refresh(),
    };
  }

  override process(job: Job): Promise<unknown> {
    return dispatch('desk', this.handlers, job);
  }
}
