import { Module } from '@nestjs/common';

/** X ingest: filled in by its channel's work. */
@Module({})
export class XIngestModule {}
