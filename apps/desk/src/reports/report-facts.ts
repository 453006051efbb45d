import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ReportFactsRepository, SettingsRepository } from '@desk/persistence';
import { typedQueueToken, type TypedQueue } from '@desk/queues';
import { calendarFingerprint, itemFact, rollupDelta } from '@desk/reports';
import { CalendarSource, KeptJobScheduler } from '@desk/runtime';
import type { FactSource } from '@desk/domain';

// Cheap when nothing changed (one look at a partial index), and reports lag the desk by at most this.
export const REPORT_REFRESH_EVERY_MS = 2_000;
const BATCH = 500;
/** The calendar the stored facts were computed with. */
export const REPORT_CALENDAR_SETTING = 'report_calendar';
/** A run stops after this many batches and leaves the rest to the next, so other desk jobs get a turn. */
const MAX_BATCHES = 10;

/**
 * Keeps report facts current: items marked dirty (by triggers, whenever triage, a response, a hide,
 * a re-route or a person's first touch changes how they count) get their fact computed with the
 * same calendar the queue uses.
 */
@Injectable()
export class ReportFacts implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReportFacts');
  private readonly schedule: KeptJobScheduler;

  constructor(
    private readonly facts: ReportFactsRepository,
    private readonly calendars: CalendarSource,
    private readonly settings: SettingsRepository,
    @Inject(typedQueueToken('desk')) queue: TypedQueue<'desk'>,
  ) {
    // Kept, because a Redis that restarts empty forgets it and the reports would stop moving.
    this.schedule = new KeptJobScheduler(queue.raw, { id: 'report-refresh', everyMs: REPORT_REFRESH_EVERY_MS, job: { name: 'report.refresh', data: { v: 1 } } }, this.logger);
  }

  onApplicationBootstrap(): void {
    // Not awaited, so a desk started while Redis is away still serves /health and says so.
    void this.schedule.start();
  }

  onApplicationShutdown(): void {
    this.schedule.stop();
  }

  async refresh(): Promise<{ items: number }> {
    const calendar = await this.calendars.current();
    await this.recomputeAllIfCalendarChanged(calendarFingerprint(calendar));
    const computation = { compute: (sources: FactSource[]) => sources.map((source) => itemFact(source, calendar)), delta: rollupDelta };
    let items = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const done = await this.facts.refresh(BATCH, computation);
      items += done;
      if (done < BATCH) break;
    }
    return { items };
  }

  /**
   * Every fact's working times depend on the calendar: when the opening hours, closures or bank
   * holidays change, every item is recomputed (in the background, at the refresh's pace).
   */
  private async recomputeAllIfCalendarChanged(fingerprint: string): Promise<void> {
    const stored = await this.settings.get(REPORT_CALENDAR_SETTING);
    if (stored === fingerprint) return;
    const marked = stored === undefined ? 0 : await this.facts.markAllDirty();
    await this.settings.set(REPORT_CALENDAR_SETTING, fingerprint);
    if (stored !== undefined) this.logger.log(`working calendar changed: recomputing report facts for ${marked} items`);
  }
}
