import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import type { ServiceConfig } from '@desk/config';
import { RuntimeModule } from '@desk/runtime';
import { InboundService } from './inbound.service.js';
import { IngestProcessor } from './ingest.processor.js';
import { MailIngestModule } from './mail/mail-ingest.module.js';
import { MetaIngestModule } from './meta/meta-ingest.module.js';
import { INGEST_SETTINGS } from './tokens.js';
import { Sweeper } from './sweeper.js';
import { inFlightLimit } from './webhooks/in-flight.middleware.js';
import { rawBody } from './webhooks/raw-body.middleware.js';
import { XIngestModule } from './x/x-ingest.module.js';

/** Receives everything the public sends (webhooks, pollers) and stores it once before queueing triage. */
@Module({})
export class IngestModule implements NestModule {
  private static bodyLimit = 1024 * 1024;
  private static maxInFlight = 256;

  static forRoot(config: ServiceConfig): DynamicModule {
    if (!config.ingest) throw new Error('ingest settings missing from the configuration');
    IngestModule.bodyLimit = config.ingest.webhookBodyLimitBytes;
    IngestModule.maxInFlight = config.ingest.webhookMaxInFlight;
    const shared = {
      module: IngestCoreModule,
      global: true,
      providers: [InboundService, { provide: INGEST_SETTINGS, useValue: config.ingest }],
      exports: [InboundService, INGEST_SETTINGS],
    };
    return {
      module: IngestModule,
      imports: [RuntimeModule.forRoot(config), shared, XIngestModule, MetaIngestModule, MailIngestModule],
      providers: [IngestProcessor, Sweeper],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // The cap comes first, so a refused delivery's body is never read into memory.
    consumer.apply(inFlightLimit(IngestModule.maxInFlight), rawBody(IngestModule.bodyLimit)).forRoutes('webhooks/*path');
  }
}

/** The store-and-queue service and the settings, shared with each channel's module. */
@Module({})
export class IngestCoreModule {}
