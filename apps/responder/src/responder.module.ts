import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@desk/config';
import { RuntimeModule } from '@desk/runtime';
import { ResponderProcessor } from './outbound.processor.js';

/** Performs outbound work (replies, hides, press forwards) exactly once per idempotency key. */
@Module({})
export class ResponderModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: ResponderModule,
      imports: [RuntimeModule.forRoot(config)],
      providers: [ResponderProcessor],
    };
  }
}
