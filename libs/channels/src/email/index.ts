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
// Outbound mail: composing replies, press-office forwards and on-duty alerts, and sending them.
export { composeReply, replySubject, signatureLines, type ReplyInput, type OriginalMail, type Signer } from './compose-reply.js';
export { composePressForward, composeAlert, type PressForwardInput, type AlertInput, type AutoReplyStatus } from './compose-forward.js';
export type { PublicItem, PublicAuthor } from './public-item.js';
export type { MailAddress } from './mail-address.js';
export { mediaOutlet, type OutletClues } from './media-outlet.js';
export { statedDeadline } from './deadline.js';
export { outboundMessageId, replyReferences, isMessageId } from './message-id.js';
export { londonTime } from './london-time.js';
export { SmtpMailer, type SmtpSettings } from './smtp-mailer.js';
export { smtpFailure, type SmtpStage } from './smtp-failure.js';
export type { SentMailboxSettings } from './sent-mailbox.js';
export { OutboxMailer, outboxFileName } from './outbox-mailer.js';
// For callers that build replies from what ingest stored.
export { messageIds } from './raw-headers.js';
export { isEmailAddress } from './mail-address.js';
