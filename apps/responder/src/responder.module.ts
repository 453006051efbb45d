import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@desk/config';
import { RuntimeModule } from '@desk/runtime';
import { configuredProcessor, ResponderProcessor } from './outbound.processor.js';
import { OutboundSweeper } from './outbound-sweeper.js';
import { OutboundWorker } from './outbound-worker.js';
import { Performer } from './performer.js';
import { MailContext } from './mail-context.js';
import { providerAdapters, pacingProvider } from './providers.js';

/** Performs outbound work (replies, hides, press forwards) exactly once per idempotency key. */
@Module({})
export class ResponderModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    if (!config.responder) throw new Error('responder settings missing from the configuration');
    return {
      module: ResponderModule,
      imports: [RuntimeModule.forRoot(config)],
      providers: [
        { provide: ResponderProcessor, useClass: configuredProcessor(config.responder) },
        OutboundWorker,
        OutboundSweeper,
        Performer,
        MailContext,
        pacingProvider(config),
        ...providerAdapters(config.responder),
      ],
    };
  }
}
