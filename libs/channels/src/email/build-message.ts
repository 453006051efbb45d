// One OutgoingMail into the bytes of a MIME message, shared by the SMTP and outbox mailers so both
// write the same headers. Checks here guard the envelope: whatever a field holds, the message goes
// only to the recipients listed, one address per entry.
import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { OutboundFailure, type OutgoingMail } from '../outbound/ports.js';
import { isEmailAddress } from './mail-address.js';
import { isMessageId } from './message-id.js';

export interface BuiltMessage {
  raw: Buffer;
  envelope: { from: string; to: string[] };
}

/** Headers a caller may not set through `headers`: they come from the fields, or from the transport. */
const RESERVED = new Set([
  'from', 'to', 'cc', 'bcc', 'reply-to', 'sender', 'subject', 'message-id', 'in-reply-to', 'references',
  'date', 'mime-version', 'content-type', 'content-transfer-encoding', 'return-path',
]);
const HEADER_NAME = /^[!-9;-~]{1,76}$/;
const MAX_HEADER_VALUE = 998;
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** A mail we refuse to build: nothing was sent, and sending it again would fail the same way. */
function refused(message: string): OutboundFailure {
  return new OutboundFailure('permanent', { provider: 'local', message: `Not sent: ${message}` }, { maybeDelivered: false });
}

/** The one address in a field that must hold exactly one (From, Reply-To, each To entry). */
function singleAddress(field: string, value: string): string {
  const parsed = addressparser(value, { flatten: true });
  if (parsed.length !== 1 || !isEmailAddress(parsed[0]!.address)) throw refused(`${field} must be one email address (got ${JSON.stringify(value.slice(0, 100))})`);
  return parsed[0]!.address;
}

function extraHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!HEADER_NAME.test(name) || RESERVED.has(name.toLowerCase())) throw refused(`the header name ${JSON.stringify(name.slice(0, 80))} is not allowed`);
    out[name] = String(value).replace(/[\r\n]+/g, ' ').slice(0, MAX_HEADER_VALUE);
  }
  return out;
}

export async function buildMessage(mail: OutgoingMail): Promise<BuiltMessage> {
  if (!isMessageId(mail.messageId)) throw refused(`the Message-ID ${JSON.stringify(mail.messageId.slice(0, 100))} is not valid`);
  if (!mail.to.length) throw refused('there is no recipient');
  const from = singleAddress('From', mail.from);
  const to = mail.to.map((entry) => singleAddress('To', entry));
  if (mail.replyTo) singleAddress('Reply-To', mail.replyTo);
  for (const id of [mail.inReplyTo, ...(mail.references ?? [])]) {
    if (id !== undefined && !isMessageId(id)) throw refused(`the thread id ${JSON.stringify(id.slice(0, 100))} is not valid`);
  }

  const node = new MailComposer({
    messageId: mail.messageId,
    from: mail.from,
    to: [...mail.to],
    replyTo: mail.replyTo,
    subject: mail.subject.replace(/[\r\n]+/g, ' '),
    inReplyTo: mail.inReplyTo,
    references: mail.references?.length ? [...mail.references] : undefined,
    text: mail.text,
    html: mail.html,
    headers: extraHeaders(mail.headers),
    textEncoding: 'quoted-printable',
    // The parts are text we wrote: nothing in them may make the composer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  }).compile();
  const raw = await node.build();
  if (raw.length > MAX_MESSAGE_BYTES) throw refused(`the message is ${raw.length} bytes, over the ${MAX_MESSAGE_BYTES}-byte limit`);
  return { raw, envelope: { from, to } };
}
