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
 *
 * A mailbox may hand in several messages before the first is stored. They are read side by side
 * but handed to the store in the order they came, so a reply read with the mail it answers is
 * stored after it and joins its thread. A message whose Message-ID an earlier one still being
 * stored also has waits for that store first, or both would look new and the second would be
 * taken for a redelivery of the first.
 */
@Injectable()
export class MailStore {
  private readonly logger = new Logger('Mail');

  constructor(
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
    private readonly inbound: InboundService,
    private readonly stored: StoredMail,
  ) {}

  /** Resolves when the message handed in before the newest one has been handed to the store. */
  private turn: Promise<void> = Promise.resolve();
  /** Stores in flight by the Message-ID the mail arrived with. */
  private readonly storing = new Map<string, Promise<unknown>>();

  async store(mail: email.FetchedMail): Promise<void> {
    const previous = this.turn;
    let handedIn!: () => void;
    this.turn = new Promise<void>((resolve) => (handedIn = resolve));
    try {
      return await this.storeInTurn(mail, previous, handedIn);
    } finally {
      // A message that failed before its turn still lets the next go only after the one before it.
      void previous.then(handedIn);
    }
  }

  private async storeInTurn(mail: email.FetchedMail, previous: Promise<void>, handedIn: () => void): Promise<void> {
    const where = describe(mail.origin);
    const event = await email.readMail(mail, this.settings.mail);
    await previous;
    if (event.type !== 'message') {
      const applied = this.inbound.apply([event]);
      handedIn();
      await applied;
      this.logger.log(`email ${where}: not stored (${event.type === 'ignored' ? event.reason : event.type})`);
      return;
    }
    const arrivedAs = event.message.externalId;
    await this.storing.get(arrivedAs)?.catch(() => undefined);
    let message = email.withDistinctId(event.message, await this.stored.find(arrivedAs));
    const first = this.storeOne(message);
    this.storing.set(arrivedAs, first);
    handedIn();
    let outcome: ApplyOutcome;
    try {
      outcome = await first;
    } catch (error) {
      if (!isDataError(error)) throw error;
      const reason = `stored raw: the database refused the message as read (${(error as Error).message})`;
      this.logger.warn(`email ${where}: ${reason}`);
      const reduced = email.unreadableMail(mail, this.settings.mail, reason);
      message = email.withDistinctId(reduced, await this.stored.find(reduced.externalId));
      outcome = await this.storeOne(message);
    } finally {
      if (this.storing.get(arrivedAs) === first) this.storing.delete(arrivedAs);
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
