import { Module } from '@nestjs/common';

/** Meta ingest: filled in by its channel's work. */
@Module({})
export class MetaIngestModule {}
