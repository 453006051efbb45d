import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { email } from '@desk/channels';
import type { IngestSettings } from '@desk/config';
import { CheckpointRepository } from '@desk/persistence';
import { INGEST_SETTINGS } from '../tokens.js';
import { MailStore } from './mail-store.js';

/** The checkpoint key of one IMAP mailbox: a different account or folder starts from its own. */
export function imapCheckpointKey(user: string, mailbox: string): string {
  return `imap:${user}:${mailbox}`;
}

/**
 * Runs the communications mailbox for the life of the service: IMAP for the live driver, a spool
 * folder for the fake one. It starts in the background (a mail server that is down must not stop
 * webhooks being served) and on shutdown lets the message in hand be stored before disconnecting.
 */
@Injectable()
export class MailIngestService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Mail');
  private mailbox?: email.Mailbox;

  constructor(
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
    private readonly store: MailStore,
    private readonly checkpoints: CheckpointRepository,
  ) {}

  onModuleInit(): void {
    this.mailbox = this.createMailbox();
    this.mailbox.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.mailbox?.stop();
  }

  private createMailbox(): email.Mailbox {
    const mail = this.settings.mail;
    const sink = (fetched: email.FetchedMail) => this.store.store(fetched);
    if (mail.driver === 'fake') {
      this.logger.log(`mail: fake driver, reading .eml files dropped into ${mail.spoolDir}`);
      return new email.SpoolMailbox({ dir: mail.spoolDir, maxMessageBytes: mail.maxMessageBytes, sink, log: this.logger });
    }
    const key = imapCheckpointKey(mail.imap.user, mail.imap.mailbox);
    return new email.ImapMailbox({
      imap: mail.imap,
      maxMessageBytes: mail.maxMessageBytes,
      checkpoints: { load: () => this.checkpoints.get(key), save: (checkpoint) => this.checkpoints.set(key, checkpoint) },
      sink,
      log: this.logger,
    });
  }
}
