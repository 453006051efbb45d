import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@desk/config';
import { RuntimeModule } from '@desk/runtime';
import { IngestProcessor } from './ingest.processor.js';

/** Receives everything the public sends (webhooks, pollers) and stores it once before queueing triage. */
@Module({})
export class IngestModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [RuntimeModule.forRoot(config)],
      providers: [IngestProcessor],
    };
  }
}
