/** Where a message was read from, recorded in `raw` so it can be found again on the server. */
export type MailOrigin =
  | { kind: 'imap'; mailbox: string; uidValidity: string; uid: number }
  | { kind: 'spool'; file: string };

/** One message as a mailbox hands it over, before it is read. */
export interface FetchedMail {
  /** The bytes read: the whole message, or its first `maxMessageBytes` when it is larger. */
  source: Buffer;
  /** The message's full size in bytes, as the server reports it. */
  size: number;
  /** When it arrived in the mailbox (IMAP internal date; the spool file's time). */
  receivedAt: Date;
  origin: MailOrigin;
}

export interface MailSettings {
  /** Our own addresses, lower-cased: mail from them is not inbound. */
  ownAddresses: readonly string[];
  /** An attachment's bytes are kept only up to this size; its name, type and size always. */
  attachmentCapBytes: number;
  /** Larger messages are read only this far, stored raw and flagged. */
  maxMessageBytes: number;
}

/** Stores one message; resolves once it is durably stored (or deliberately ignored), throws otherwise. */
export type MailSink = (mail: FetchedMail) => Promise<void>;

/** What a mailbox logs through: Nest's Logger fits, and so does a test double. */
export interface MailLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A source of mail that runs until stopped. */
export interface Mailbox {
  start(): void;
  /** Lets the message in hand finish being stored, then disconnects. */
  stop(): Promise<void>;
}
