import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@desk/config';
import { RuntimeModule } from '@desk/runtime';
import { TriageProcessor } from './triage.processor.js';
import { TriageSettingsSource } from './triage-settings.js';
import { TriageWorker } from './triage-worker.js';

/** Routes each stored item, sets its due time and applies the route's automatic action. */
@Module({})
export class TriageModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: TriageModule,
      imports: [RuntimeModule.forRoot(config)],
      providers: [TriageProcessor, TriageWorker, TriageSettingsSource],
    };
  }
}
