import { type DynamicModule, Module, type OnApplicationShutdown, Inject, Logger } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Redis } from 'ioredis';
import { redisConnectionOptions, type ServiceConfig } from '@desk/config';
import { logErrorsOf } from '@desk/queues';
import { RuntimeModule } from '@desk/runtime';
import { AuthController } from './auth/auth.controller.js';
import { AuthService } from './auth/auth.service.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { SessionGuard } from './auth/session.guard.js';
import { ConversationController } from './conversations/conversation.controller.js';
import { ConversationViews } from './conversations/conversation-view.js';
import { ItemActionsController } from './conversations/item-actions.controller.js';
import { Presence } from './conversations/presence.js';
import { TemplatesController } from './conversations/templates.controller.js';
import { DeskProcessor } from './desk.processor.js';
import { DeskSweeper } from './desk-sweeper.js';
import { ReportFacts } from './reports/report-facts.js';
import { ReportsController } from './reports/reports.controller.js';
import { ReportsService } from './reports/reports.service.js';
import { EventRelay } from './events/event-relay.js';
import { EventsController } from './events/events.controller.js';
import { ApiExceptionFilter } from './http/api-exception.filter.js';
import { PressController } from './press/press.controller.js';
import { QueueController } from './queue/queue.controller.js';
import { DESK_REDIS, DESK_SETTINGS, type DeskRuntimeSettings } from './tokens.js';
import { UsersController } from './users/users.controller.js';

/** The officers', managers' and press office's API and web desk. */
@Module({})
export class DeskModule implements OnApplicationShutdown {
  constructor(@Inject(DESK_REDIS) private readonly redis: Redis) {}

  static forRoot(config: ServiceConfig): DynamicModule {
    if (!config.desk) throw new Error('desk settings missing from the service config');
    const settings: DeskRuntimeSettings = { ...config.desk, atRiskMs: config.sla.atRiskHours * 3_600_000, targetHours: config.sla.targetHours };
    return {
      module: DeskModule,
      imports: [RuntimeModule.forRoot(config)],
      controllers: [
        AuthController,
        UsersController,
        QueueController,
        ConversationController,
        ItemActionsController,
        TemplatesController,
        PressController,
        EventsController,
        ReportsController,
      ],
      providers: [
        { provide: DESK_SETTINGS, useValue: settings },
        {
          provide: DESK_REDIS,
          useFactory: () => {
            const redis = new Redis({ ...redisConnectionOptions(config.redisUrl), maxRetriesPerRequest: 2 });
            const logger = new Logger('Redis');
            logErrorsOf(redis, 'redis (desk sessions and limits)', (line) => logger.warn(line));
            return redis;
          },
        },
        {
          provide: LoginLimiter,
          useFactory: (redis: Redis) =>
            new LoginLimiter(redis, config.queuePrefix, { maxFailures: settings.loginMaxFailures, windowMs: settings.loginWindowMs }),
          inject: [DESK_REDIS],
        },
        { provide: APP_GUARD, useClass: SessionGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        AuthService,
        Presence,
        ConversationViews,
        EventRelay,
        DeskSweeper,
        ReportFacts,
        ReportsService,
        DeskProcessor,
      ],
    };
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
