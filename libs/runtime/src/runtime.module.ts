import { type DynamicModule, Module, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { Redis } from 'ioredis';
import { redisConnectionOptions, type ServiceConfig } from '@desk/config';
import { PersistenceModule } from '@desk/persistence';
import { QueuesModule } from '@desk/queues';
import { HealthController } from './health.controller.js';
import { HEALTH_REDIS, SERVICE_CONFIG } from './tokens.js';

/** What every service has: its config, Postgres, the queues, and /health. */
@Module({})
export class RuntimeModule implements OnApplicationShutdown {
  constructor(@Inject(HEALTH_REDIS) private readonly redis: Redis) {}

  static forRoot(config: ServiceConfig): DynamicModule {
    const connection = redisConnectionOptions(config.redisUrl);
    return {
      module: RuntimeModule,
      global: true,
      imports: [
        PersistenceModule.forRoot({ url: config.databaseUrl, applicationName: config.service }),
        QueuesModule.forRoot({ connection, prefix: config.queuePrefix }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        {
          provide: HEALTH_REDIS,
          // A health probe must answer "down" quickly, not queue commands while Redis is away.
          useFactory: () =>
            new Redis({ ...connection, enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
        },
      ],
      exports: [SERVICE_CONFIG],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
