import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { x } from '@desk/channels';
import type { IngestSettings } from '@desk/config';
import { CheckpointRepository } from '@desk/persistence';
import { InboundService } from '../inbound.service.js';
import { INGEST_SETTINGS } from '../tokens.js';
import { PollStream } from './poll-stream.js';
import { X_API } from './x-api.token.js';

/**
 * Polls the account's mention timeline and DM events, each on its own loop so that a rate limit
 * on one does not hold up the other. Webhooks bring the same items sooner; polling is what
 * catches those a webhook missed, and the store keeps one of each.
 */
@Injectable()
export class XPoller implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('XPoller');
  private readonly stop = new AbortController();
  private running: Array<Promise<void>> = [];

  constructor(
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
    @Inject(X_API) private readonly api: x.XApiClient,
    private readonly inbound: InboundService,
    private readonly checkpoints: CheckpointRepository,
  ) {}

  onModuleInit(): void {
    const { pollIntervalMs, userId } = this.settings.x;
    if (pollIntervalMs <= 0) {
      this.logger.log('X polling is off (X_POLL_INTERVAL_MS=0)');
      return;
    }
    const apply = (events: Parameters<InboundService['apply']>[0]) => this.inbound.apply(events);
    const common = { apply, checkpoints: this.checkpoints, logger: this.logger };
    const mentions = new PollStream({
      ...common,
      name: 'mentions',
      checkpointKey: `x:mentions:${userId}`,
      checkpointField: 'sinceId',
      fetch: ({ afterId, paginationToken }) => this.api.mentions(userId, { sinceId: afterId, paginationToken }),
      read: (body, afterId) => x.readMentionsPage(body, { userId, now: new Date(), afterId }),
    });
    const dms = new PollStream({
      ...common,
      name: 'direct messages',
      checkpointKey: `x:dm:${userId}`,
      checkpointField: 'lastEventId',
      fetch: ({ paginationToken }) => this.api.dmEvents({ paginationToken }),
      read: (body, afterId) => x.readDmEventsPage(body, { userId, now: new Date(), afterId }),
    });
    this.running = [mentions, dms].map((stream) => stream.run(pollIntervalMs, this.stop.signal));
    this.logger.log(`polling X mentions and direct messages of account ${userId} every ${pollIntervalMs} ms`);
  }

  /** Before the database closes: stop waiting, let a page being stored finish its commit. */
  async onModuleDestroy(): Promise<void> {
    this.stop.abort();
    await Promise.allSettled(this.running);
    this.api.close();
  }
}
