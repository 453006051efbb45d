import { type DynamicModule, Module, type OnApplicationShutdown, Inject, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { redisConnectionOptions, type ServiceConfig } from '@desk/config';
import { PersistenceModule, SettingsRepository } from '@desk/persistence';
import { calendarSettingsFromEnv } from '@desk/sla';
import { CalendarSource } from './calendar-source.js';
import { DeskEvents } from './desk-events.js';
import { logErrorsOf, QueuesModule } from '@desk/queues';
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
          useFactory: () => {
            const redis = new Redis({ ...connection, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
            const logger = new Logger('Redis');
            logErrorsOf(redis, 'redis (health and events)', (line) => logger.warn(line));
            return redis;
          },
        },
        {
          provide: CalendarSource,
          // Reading the environment's calendar here means a bad SLA_* variable stops the service at start.
          useFactory: (settings: SettingsRepository) => {
            const logger = new Logger('Calendar');
            return new CalendarSource({
              base: calendarSettingsFromEnv(config.sla.calendarEnv),
              readSetting: (key) => settings.get(key),
              onProblem: (message) => logger.error(message),
              onRuleUsed: (division, year) => logger.warn(`no official bank holidays for ${division} in ${year}; computed them by rule`),
            });
          },
          inject: [SettingsRepository],
        },
        {
          provide: DeskEvents,
          useFactory: (redis: Redis) => new DeskEvents(redis, config.queuePrefix),
          inject: [HEALTH_REDIS],
        },
      ],
      exports: [SERVICE_CONFIG, CalendarSource, DeskEvents],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
