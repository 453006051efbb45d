// The communications mailbox: IMAP (live) or a spool folder (fake), and the reading of each message.
// imapflow and mailparser stay behind this folder; callers pass settings, a checkpoint store and a sink.
export type { FetchedMail, MailOrigin, MailSettings, MailSink, MailLog, Mailbox } from './types.js';
export { readMail, unreadableMail } from './read-mail.js';
export { withDistinctId } from './identity.js';
export { threadSubject } from './subject.js';
export { htmlToText } from './html-to-text.js';
export { ImapMailbox, type ImapMailboxOptions, type ImapSettings } from './imap-mailbox.js';
export { SpoolMailbox, PROCESSED_DIR, type SpoolMailboxOptions } from './spool-mailbox.js';
export type { CheckpointStore, ImapCheckpoint } from './checkpoint.js';
