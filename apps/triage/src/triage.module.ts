import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@desk/config';
import { RuntimeModule } from '@desk/runtime';
import { configuredProcessor, TriageProcessor } from './triage.processor.js';
import { TriageSettingsSource } from './triage-settings.js';
import { TriageWorker } from './triage-worker.js';
import { TRIAGE_RUNTIME } from './triage-runtime.js';

/** Routes each stored item, sets its due time and applies the route's automatic action. */
@Module({})
export class TriageModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    const runtime = config.triage ?? { lockMs: 30_000, batch: 64 };
    return {
      module: TriageModule,
      imports: [RuntimeModule.forRoot(config)],
      providers: [
        { provide: TRIAGE_RUNTIME, useValue: runtime },
        { provide: TriageProcessor, useClass: configuredProcessor(runtime) },
        TriageWorker,
        TriageSettingsSource,
      ],
    };
  }
}
