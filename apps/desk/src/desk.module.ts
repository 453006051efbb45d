import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@desk/config';
import { RuntimeModule } from '@desk/runtime';
import { DeskProcessor } from './desk.processor.js';
import { HomeController } from './home.controller.js';

/** The officers', managers' and press office's API and web desk. */
@Module({})
export class DeskModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: DeskModule,
      imports: [RuntimeModule.forRoot(config)],
      controllers: [HomeController],
      providers: [DeskProcessor],
    };
  }
}
