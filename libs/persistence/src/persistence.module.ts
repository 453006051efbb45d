import { type DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { dataSourceOptions, type DataSourceSettings } from './data-source.js';
import { CheckpointRepository } from './checkpoint.repository.js';
import { InboundRepository } from './inbound.repository.js';
import { SettingsRepository } from './settings.repository.js';
import { TriageRepository } from './triage.repository.js';
import { OutboundRepository } from './outbound.repository.js';
import { UsersRepository } from './desk/users.repository.js';
import { SessionsRepository } from './desk/sessions.repository.js';
import { QueueRepository } from './desk/queue.repository.js';
import { ConversationRepository } from './desk/conversation.repository.js';
import { DeskActionsRepository } from './desk/desk-actions.repository.js';
import { PressRepository } from './desk/press.repository.js';
import { ReportFactsRepository } from './reports/report-facts.repository.js';
import { ReportsRepository } from './reports/reports.repository.js';

const REPOSITORIES = [
  SettingsRepository,
  InboundRepository,
  CheckpointRepository,
  TriageRepository,
  OutboundRepository,
  UsersRepository,
  SessionsRepository,
  QueueRepository,
  ConversationRepository,
  DeskActionsRepository,
  PressRepository,
  ReportFactsRepository,
  ReportsRepository,
] as const;

/** The Postgres connection for a Nest service. Migrations are applied by `npm run migrate`, never here. */
@Module({})
export class PersistenceModule {
  static forRoot(settings: DataSourceSettings): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(settings),
          // Fail fast at start: a service that cannot reach Postgres should say so, not hang.
          retryAttempts: 3,
          retryDelay: 1_000,
        }),
      ],
      providers: REPOSITORIES.map((repository) => ({
        provide: repository,
        useFactory: (db: DataSource) => new repository(db),
        inject: [getDataSourceToken()],
      })),
      exports: [TypeOrmModule, ...REPOSITORIES],
    };
  }
}
