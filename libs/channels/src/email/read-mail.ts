import type { InboundAttachment, InboundAuthor, InboundEvent, InboundMessage } from '@desk/domain';
import { simpleParser, type EmailAddress, type ParsedMail, type SimpleParserOptions } from 'mailparser';
import { classify } from './classify.js';
import { htmlToText } from './html-to-text.js';
import { fingerprint, syntheticId } from './identity.js';
import { header, keptHeaders, messageIds, splitMessage } from './raw-headers.js';
import { threadSubject } from './subject.js';
import { cleanLine, cleanText, MAX_TEXT_CHARS } from './text.js';
import type { FetchedMail, MailSettings } from './types.js';

/** A parser that has not finished by then is treated as having failed on this message. */
const PARSE_TIMEOUT_MS = 30_000;
/** Past this many, attachments are counted in `raw` but not stored one by one. */
const MAX_ATTACHMENTS = 50;
/** The ids we follow for threading, nearest first; a longer References chain adds nothing useful. */
const MAX_REFERENCES = 50;
const MAX_SUBJECT = 998;
const MAX_NAME = 200;
const MAX_FILENAME = 255;
/**
 * Largest header block of one MIME part given to the parser (mailparser allows 1 MB). Its work on a
 * header block is synchronous and worse than linear for hostile ones: 1 MB of repeated References
 * headers took it 17 s, an 800 KB address header of nested groups 5 s, during which the parse timeout
 * below cannot fire and every webhook of the process waits (found by fuzzing). At 128 KB the worst
 * seen is about a quarter of a second. Real header blocks are a few KB, and Postfix cuts them at
 * 100 KB; a larger one fails to parse and the message is kept raw for a person, like any other.
 */
const MAX_PARSED_HEADER_BYTES = 128 * 1024;

/**
 * Reads one fetched message into what the inbound service stores. Never throws for a bad message:
 * mail that cannot be read is still stored, with `parseError` set, its bytes kept in `raw.source`
 * and whatever text could be salvaged, so a person sees it.
 */
export async function readMail(mail: FetchedMail, settings: MailSettings, now = new Date()): Promise<InboundEvent> {
  const source = mail.source.length > settings.maxMessageBytes ? mail.source.subarray(0, settings.maxMessageBytes) : mail.source;
  const size = Math.max(mail.size, mail.source.length);
  const parts = splitMessage(source);
  const problems: string[] = [];
  if (size > source.length) problems.push(`the message is ${size} bytes, over the ${settings.maxMessageBytes}-byte limit: only the start was read`);

  let parsed: ParsedMail | undefined;
  try {
    parsed = await parse(source);
  } catch (error) {
    problems.push(`the parser could not read it (${cleanLine(String((error as Error)?.message ?? error), 200)})`);
  }

  const from = parsed ? firstAddress(parsed.from?.value ?? []) : rawFromAddress(header(parts, 'from'));
  const address = from?.address && isAddress(from.address) ? from.address.toLowerCase() : undefined;
  if (address && settings.ownAddresses.includes(address)) {
    return { type: 'ignored', reason: 'sent from our own address', externalId: messageIds(header(parts, 'message-id'))[0] };
  }
  if (!address) problems.push('no readable sender (From)');

  const text = parsed ? bodyText(parsed) : '';
  const attachments = parsed ? attachmentsOf(parsed, settings.attachmentCapBytes) : { kept: [], omitted: 0 };
  const hasBody = /\S/.test(parts.body.subarray(0, 64 * 1024).toString('latin1'));
  if (parsed && !text && !attachments.kept.length && hasBody) problems.push('the body could not be read');
  const subject = cleanLine(parsed?.subject ?? header(parts, 'subject') ?? '', MAX_SUBJECT) || undefined;
  if (!problems.length && !text && !attachments.kept.length && !subject) problems.push('no content: no subject, text or attachment');

  const classification = classify(parts, address);
  const parseError = problems.length ? problems.join('; ') : undefined;
  const receivedAt = Number.isNaN(mail.receivedAt.getTime()) || mail.receivedAt > now ? now : mail.receivedAt;
  const inReplyTo = messageIds(header(parts, 'in-reply-to'));
  const references = messageIds(header(parts, 'references')).reverse();
  const replyTo = [...new Set([...inReplyTo, ...references])].slice(0, MAX_REFERENCES);
  const author: InboundAuthor | null = address
    ? { externalId: address, handle: address, displayName: cleanLine(from?.name ?? '', MAX_NAME) || undefined }
    : null;

  const message: InboundMessage = {
    channel: 'email',
    externalId: messageIds(header(parts, 'message-id'))[0] ?? syntheticId(source),
    author,
    receivedAt,
    text: text || (parseError ? salvageText(parts.body) : ''),
    subject,
    replyTo: replyTo.length ? replyTo : undefined,
    threadSubject: threadSubject(subject),
    kind: classification.kind,
    parseError,
    attachments: attachments.kept,
    raw: {
      origin: mail.origin,
      size,
      fingerprint: fingerprint(parts),
      headers: keptHeaders(parts),
      ...(classification.because ? { kindBecause: classification.because } : {}),
      ...(attachments.omitted ? { attachmentsOmitted: attachments.omitted } : {}),
      // The whole source only for mail we could not read: a person (or a later fix) needs it then.
      ...(parseError ? { source: source.toString('base64'), sourceTruncated: size > source.length } : {}),
    },
  };
  return { type: 'message', message };
}

/**
 * The same message reduced to what cannot fail to store: its id, the salvaged text and the raw
 * bytes, flagged with `reason`. For when the store refused what `readMail` made of it (a value the
 * database rejects), so the message still reaches a person instead of blocking the mailbox.
 */
export function unreadableMail(mail: FetchedMail, settings: MailSettings, reason: string, now = new Date()): InboundMessage {
  const source = mail.source.length > settings.maxMessageBytes ? mail.source.subarray(0, settings.maxMessageBytes) : mail.source;
  const parts = splitMessage(source);
  const size = Math.max(mail.size, mail.source.length);
  return {
    channel: 'email',
    externalId: messageIds(header(parts, 'message-id'))[0] ?? syntheticId(source),
    author: null,
    receivedAt: Number.isNaN(mail.receivedAt.getTime()) || mail.receivedAt > now ? now : mail.receivedAt,
    text: salvageText(parts.body),
    kind: classify(parts, undefined).kind,
    parseError: cleanLine(reason, 500),
    raw: { origin: mail.origin, size, fingerprint: fingerprint(parts), source: source.toString('base64'), sourceTruncated: size > source.length },
  };
}

const PARSER_OPTIONS: SimpleParserOptions & { maxHeadSize: number } = {
  // We render HTML ourselves (safely, and linearly in its size) and need no HTML versions of text.
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  keepCidLinks: true,
  // Passed on to mailparser's MIME splitter; its type declarations leave it out.
  maxHeadSize: MAX_PARSED_HEADER_BYTES,
};

async function parse(source: Buffer): Promise<ParsedMail> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      simpleParser(source, PARSER_OPTIONS),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no result within ${PARSE_TIMEOUT_MS} ms`)), PARSE_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The text part, or a plain rendering of the HTML when the mail has only HTML. */
function bodyText(parsed: ParsedMail): string {
  const text = cleanText(parsed.text ?? '', MAX_TEXT_CHARS);
  if (text) return text;
  return typeof parsed.html === 'string' ? htmlToText(parsed.html, MAX_TEXT_CHARS) : '';
}

function attachmentsOf(parsed: ParsedMail, capBytes: number): { kept: InboundAttachment[]; omitted: number } {
  const kept = parsed.attachments.slice(0, MAX_ATTACHMENTS).map((a): InboundAttachment => {
    const size = a.size ?? a.content?.length ?? 0;
    const filename = a.filename ? cleanLine(a.filename, MAX_FILENAME) || undefined : undefined;
    const contentType = cleanLine(a.contentType || 'application/octet-stream', 255).toLowerCase();
    return { filename, contentType, size, content: a.content && size <= capBytes ? a.content : undefined };
  });
  return { kept, omitted: Math.max(0, parsed.attachments.length - MAX_ATTACHMENTS) };
}

/** The first mailbox in a From list, looking inside groups ("Team: a@b;"). */
function firstAddress(list: EmailAddress[]): EmailAddress | undefined {
  for (const entry of list) {
    if (entry.address) return entry;
    const inGroup = entry.group && firstAddress(entry.group);
    if (inGroup) return inGroup;
  }
  return undefined;
}

function rawFromAddress(value: string | undefined): EmailAddress | undefined {
  const address = value && (/<([^<>\s]+@[^<>\s]+)>/.exec(value)?.[1] ?? /([^<>\s"]+@[^<>\s"]+)/.exec(value)?.[1]);
  return address ? { address, name: '' } : undefined;
}

/** An address we can reply to: one "@", no spaces, brackets, quotes or comment parentheses. */
function isAddress(value: string): boolean {
  return value.length <= 320 && /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\.][^\s@<>()[\]",;:\\]*$/.test(value) && !value.endsWith('.');
}

/** Best-effort text of a body we could not parse: its bytes as UTF-8, cleaned and capped. */
function salvageText(body: Buffer): string {
  return cleanText(body.subarray(0, MAX_TEXT_CHARS * 4).toString('utf8'), MAX_TEXT_CHARS);
}
