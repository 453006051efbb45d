import { Module } from '@nestjs/common';
import { MailIngestService } from './mail-ingest.service.js';
import { MailStore } from './mail-store.js';
import { StoredMail } from './stored-mail.js';

/** Mail ingest: the communications mailbox (IMAP, or a spool folder with the fake driver) into the inbound store. */
@Module({
  providers: [MailIngestService, MailStore, StoredMail],
})
export class MailIngestModule {}
