import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { logErrorsOf } from './connection-errors.js';
import { DEFAULT_JOB_OPTIONS } from './defaults.js';
import { QUEUE_NAMES, type QueueName } from './jobs.js';
import { TypedQueue } from './typed-queue.js';

export interface QueueConnection {
  connection: { host: string; port: number; username?: string; password?: string; db?: number };
  prefix: string;
}

/** Injection token of the TypedQueue for a queue: `@Inject(typedQueueToken('triage'))`. */
export function typedQueueToken(name: QueueName): string {
  return `TypedQueue:${name}`;
}

/** Registers every queue with its defaults and a TypedQueue provider for each, for any service. */
@Module({})
export class QueuesModule {
  static forRoot(settings: QueueConnection): DynamicModule {
    const logger = new Logger('Queues');
    const providers = QUEUE_NAMES.map((name) => ({
      provide: typedQueueToken(name),
      useFactory: (queue: Queue) => {
        logErrorsOf(queue, `queue ${name}`, (line) => logger.warn(line));
        return new TypedQueue(name, queue);
      },
      inject: [getQueueToken(name)],
    }));
    const registered = BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name })));
    return {
      module: QueuesModule,
      global: true,
      imports: [
        BullModule.forRoot({
          connection: settings.connection,
          prefix: settings.prefix,
          defaultJobOptions: DEFAULT_JOB_OPTIONS,
        }),
        registered,
      ],
      providers,
      exports: [registered, ...providers.map((p) => p.provide)],
    };
  }
}
