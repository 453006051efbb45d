import { type DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { dataSourceOptions, type DataSourceSettings } from './data-source.js';
import { CheckpointRepository } from './checkpoint.repository.js';
import { InboundRepository } from './inbound.repository.js';
import { SettingsRepository } from './settings.repository.js';
import { TriageRepository } from './triage.repository.js';
import { OutboundRepository } from './outbound.repository.js';

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
      providers: [
        { provide: SettingsRepository, useFactory: (db: DataSource) => new SettingsRepository(db), inject: [getDataSourceToken()] },
        { provide: InboundRepository, useFactory: (db: DataSource) => new InboundRepository(db), inject: [getDataSourceToken()] },
        { provide: CheckpointRepository, useFactory: (db: DataSource) => new CheckpointRepository(db), inject: [getDataSourceToken()] },
        { provide: TriageRepository, useFactory: (db: DataSource) => new TriageRepository(db), inject: [getDataSourceToken()] },
        { provide: OutboundRepository, useFactory: (db: DataSource) => new OutboundRepository(db), inject: [getDataSourceToken()] },
      ],
      exports: [TypeOrmModule, SettingsRepository, InboundRepository, CheckpointRepository, TriageRepository, OutboundRepository],
    };
  }
}
