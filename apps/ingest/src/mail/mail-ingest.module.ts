import { Module } from '@nestjs/common';

/** Mail ingest: filled in by its channel's work. */
@Module({})
export class MailIngestModule {}
