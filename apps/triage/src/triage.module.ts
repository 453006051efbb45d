import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@desk/config';
import { RuntimeModule } from '@desk/runtime';
import { configuredProcessor, TriageProcessor } from './triage.processor.js';
import { TriageSettingsSource } from './triage-settings.js';
import { TriageWorker } from './triage-worker.js';

/** Routes each stored item, sets its due time and applies the route's automatic action. */
@Module({})
export class TriageModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: TriageModule,
      imports: [RuntimeModule.forRoot(config)],
      providers: [
        { provide: TriageProcessor, useClass: configuredProcessor(config.triage ?? { lockMs: 30_000 }) },
        TriageWorker,
        TriageSettingsSource,
      ],
    };
  }
}
