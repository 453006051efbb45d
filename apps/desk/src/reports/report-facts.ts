import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ReportFactsRepository } from '@desk/persistence';
import { typedQueueToken, type TypedQueue } from '@desk/queues';
import { itemFact } from '@desk/reports';
import { CalendarSource } from '@desk/runtime';

// Cheap when nothing changed (one look at a partial index), and reports lag the desk by at most this.
export const REPORT_REFRESH_EVERY_MS = 2_000;
const BATCH = 500;
/** A run stops after this many batches and leaves the rest to the next, so other desk jobs get a turn. */
const MAX_BATCHES = 10;

/**
 * Keeps report facts current: items marked dirty (by triggers, whenever triage, a response, a hide,
 * a re-route or a person's first touch changes how they count) get their fact computed with the
 * same calendar the queue uses.
 */
@Injectable()
export class ReportFacts implements OnApplicationBootstrap {
  private readonly logger = new Logger('ReportFacts');

  constructor(
    private readonly facts: ReportFactsRepository,
    private readonly calendars: CalendarSource,
    @Inject(typedQueueToken('desk')) private readonly queue: TypedQueue<'desk'>,
  ) {}

  onApplicationBootstrap(): void {
    this.queue.raw
      .upsertJobScheduler('report-refresh', { every: REPORT_REFRESH_EVERY_MS }, { name: 'report.refresh', data: { v: 1 } })
      .catch((error: Error) => this.logger.error(`report refresh not scheduled: ${error.message}`));
  }

  async refresh(): Promise<{ items: number }> {
    const calendar = await this.calendars.current();
    let items = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const done = await this.facts.refresh(BATCH, (sources) => sources.map((source) => itemFact(source, calendar)));
      items += done;
      if (done < BATCH) break;
    }
    return { items };
  }
}
