import { createHash } from 'node:crypto';
import type { InboundMessage } from '@desk/domain';
import type { RawParts } from './raw-headers.js';

/** Headers that say what a message is; trace headers (Received, Delivered-To, ...) are left out. */
const IDENTIFYING = ['from', 'to', 'cc', 'date', 'subject', 'message-id', 'in-reply-to', 'references', 'content-type'];

/**
 * What makes two deliveries the same message: the identifying headers and the body, with line
 * endings normalised. A copy that reached the mailbox by another route (other Received lines) or
 * was stored with LF instead of CRLF has the same fingerprint; a different message that reuses a
 * Message-ID (broken mailers and spam do) does not.
 */
export function fingerprint(parts: RawParts): string {
  const hash = createHash('sha256');
  for (const name of IDENTIFYING) {
    for (const [n, v] of parts.headers) if (n === name) hash.update(`${n}:${v.replace(/\s+/g, ' ')}\n`);
  }
  hash.update('\n');
  hash.update(normaliseNewlines(parts.body));
  return hash.digest('hex').slice(0, 32);
}

/** The id of a message without a Message-ID: a hash of its bytes, so a redelivery gets the same one. */
export function syntheticId(source: Buffer): string {
  return `<sha256.${createHash('sha256').update(normaliseNewlines(source)).digest('hex')}@no-message-id.invalid>`;
}

function normaliseNewlines(bytes: Buffer): Buffer {
  return bytes.includes('\r\n') ? Buffer.from(bytes.toString('latin1').replace(/\r\n/g, '\n'), 'latin1') : bytes;
}

/** Where the fingerprint is kept in `raw`, and read back to tell a redelivery from a reused id. */
export function storedFingerprint(raw: unknown): string | undefined {
  const value = (raw as { fingerprint?: unknown } | null)?.fingerprint;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The message to store, given what is already stored under its Message-ID (undefined: nothing).
 * A redelivery keeps the id, so the store dedups it; a different message with a reused Message-ID
 * gets "<id>#<fingerprint>", so it is not lost, while replies naming the id still thread with the
 * first one.
 */
export function withDistinctId(message: InboundMessage, existing: { fingerprint?: string | null } | undefined): InboundMessage {
  const own = storedFingerprint(message.raw);
  if (!existing || !own || existing.fingerprint === own) return message;
  return { ...message, externalId: `${message.externalId}#${own}` };
}
