import { Inject, Injectable, Logger } from '@nestjs/common';
import { email } from '@desk/channels';
import type { IngestSettings } from '@desk/config';
import type { InboundMessage } from '@desk/domain';
import { InboundService, type ApplyOutcome } from '../inbound.service.js';
import { INGEST_SETTINGS } from '../tokens.js';
import { StoredMail } from './stored-mail.js';

/**
 * Postgres errors caused by the values in a message rather than by the database being unwell:
 * data exceptions (22), integrity constraints (23) and program limits such as an index row too
 * large (54). Storing the same message again cannot succeed, so it is stored reduced and flagged.
 */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}

/**
 * The sink every mailbox (IMAP or spool) hands its messages to: read, give a reused Message-ID a
 * distinct id, store through the inbound service. Resolves only once the message is stored (or
 * deliberately ignored), which is what lets the mailbox advance its checkpoint.
 */
@Injectable()
export class MailStore {
  private readonly logger = new Logger('Mail');

  constructor(
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
    private readonly inbound: InboundService,
    private readonly stored: StoredMail,
  ) {}

  async store(mail: email.FetchedMail): Promise<void> {
    const where = describe(mail.origin);
    const event = await email.readMail(mail, this.settings.mail);
    if (event.type !== 'message') {
      await this.inbound.apply([event]);
      this.logger.log(`email ${where}: not stored (${event.type === 'ignored' ? event.reason : event.type})`);
      return;
    }
    let message = email.withDistinctId(event.message, await this.stored.find(event.message.externalId));
    let outcome: ApplyOutcome;
    try {
      outcome = await this.storeOne(message);
    } catch (error) {
      if (!isDataError(error)) throw error;
      const reason = `stored raw: the database refused the message as read (${(error as Error).message})`;
      this.logger.warn(`email ${where}: ${reason}`);
      const reduced = email.unreadableMail(mail, this.settings.mail, reason);
      message = email.withDistinctId(reduced, await this.stored.find(reduced.externalId));
      outcome = await this.storeOne(message);
    }
    const flags = [message.kind !== 'message' ? message.kind : undefined, message.parseError ? 'unreadable, stored raw' : undefined].filter(Boolean);
    if (outcome.created) this.logger.log(`email ${where}: stored as item ${outcome.itemId}${flags.length ? ` (${flags.join(', ')})` : ''}`);
    else this.logger.debug(`email ${where}: already stored as item ${outcome.itemId}`);
  }

  private async storeOne(message: InboundMessage): Promise<ApplyOutcome> {
    const [outcome] = await this.inbound.apply([{ type: 'message', message }]);
    return outcome!;
  }
}

function describe(origin: email.MailOrigin): string {
  return origin.kind === 'imap' ? `${origin.mailbox} UID ${origin.uid} (UIDVALIDITY ${origin.uidValidity})` : `spool file ${origin.file}`;
}
