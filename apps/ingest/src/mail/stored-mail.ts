import { Injectable } from '@nestjs/common';
import { InboundRepository } from '@desk/persistence';

/**
 * What is already stored under an email's external id: just its fingerprint, to tell a redelivery
 * (same fingerprint: the store dedups it) from a different message reusing the Message-ID.
 */
@Injectable()
export class StoredMail {
  constructor(private readonly items: InboundRepository) {}

  find(externalId: string): Promise<{ fingerprint: string | null } | undefined> {
    return this.items.storedFingerprint('email', externalId);
  }
}
