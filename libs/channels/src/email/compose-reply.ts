import type { OutgoingMail } from '../outbound/ports.js';
import { londonTime } from './london-time.js';
import { formatAddress, type MailAddress } from './mail-address.js';
import { htmlDocument, quoteHtml, quoteText, textToHtml } from './mail-html.js';
import { isMessageId, isThreadable, replyReferences } from './message-id.js';
import { cleanLine, cleanText, truncate } from './text.js';

/** The officer who wrote a reply; the team signs with their name and initials. */
export interface Signer {
  name: string;
  initials: string;
}

/** What a reply needs to know about the email it answers. */
export interface OriginalMail {
  /** Its Message-ID, "<id>" as ingest stored it (external_id). */
  messageId: string;
  /** Its References header, oldest first, as written. */
  references?: readonly string[];
  subject?: string;
  /** Its text: the first lines are quoted under the reply when given. */
  text?: string;
  receivedAt?: Date;
}

export interface ReplyInput {
  original: OriginalMail;
  /** The person who wrote to us: the reply goes to them. */
  to: MailAddress;
  /** The communications mailbox, e.g. `"Communications team" <communications@trust.nhs.uk>`. */
  from: string;
  /** Ours, from outboundMessageId: the same on every attempt. */
  messageId: string;
  body: string;
  /** Undefined for an automatic reply (a template sent by the desk itself). */
  signer?: Signer;
  trustName: string;
}

const MAX_SUBJECT = 200;
const MAX_BODY = 20_000;
const QUOTED_LINES = 12;
const QUOTED_CHARS = 1_500;

/**
 * Reply and answer prefixes mail clients write (English Re, German AW, Scandinavian SV, Dutch
 * Antw, Polish Odp, Italian R), with an optional count: "Re[2]:", "RE(3):". Forward prefixes are
 * not among them: a reply to "Fwd: x" is "Re: Fwd: x".
 */
const REPLY_PREFIX = /^(?:re|aw|sv|antw|odp|r)\s*(?:\[\d{1,4}\]|\(\d{1,4}\))?\s*[:：]/i;

export function replySubject(original: string | undefined): string {
  const subject = cleanLine(original ?? '', MAX_SUBJECT);
  if (!subject) return 'Re: your email';
  return REPLY_PREFIX.test(subject) ? subject : `Re: ${subject}`;
}

/** "Alice Brown – AB" over "Communications team, <trust>"; just the team for an automatic reply. */
export function signatureLines(signer: Signer | undefined, trustName: string): string[] {
  const team = `Communications team, ${cleanLine(trustName, 120)}`;
  const name = signer ? cleanLine(signer.name, 80) : '';
  if (!name) return [team];
  const initials = cleanLine(signer!.initials, 6);
  return [initials ? `${name} – ${initials}` : name, team];
}

/** The original's first lines, for context under the reply. */
function quotedOriginal(original: OriginalMail, author: string): { intro: string; text: string } | undefined {
  const text = cleanText(original.text ?? '', QUOTED_CHARS * 2);
  if (!text) return undefined;
  const lines = text.split('\n');
  let quoted = truncate(lines.slice(0, QUOTED_LINES).join('\n'), QUOTED_CHARS, '…');
  if (lines.length > QUOTED_LINES && !quoted.endsWith('…')) quoted += '\n…';
  const when = original.receivedAt ? `On ${londonTime(original.receivedAt)}, ` : '';
  return { intro: `${when}${author} wrote:`, text: quoted };
}

/** An email reply in the sender's thread: In-Reply-To and References point at their message. */
export function composeReply(input: ReplyInput): OutgoingMail {
  if (!isMessageId(input.messageId)) throw new Error(`not a Message-ID: ${JSON.stringify(input.messageId.slice(0, 80))}`);
  const body = cleanText(input.body, MAX_BODY);
  if (!body) throw new Error('a reply needs text');
  const to = formatAddress(input.to);
  const signature = signatureLines(input.signer, input.trustName);
  const author = cleanLine(input.to.name ?? '', 80) || input.to.address;
  const quote = quotedOriginal(input.original, author);

  const text = [body, signature.join('\n'), ...(quote ? [`${quote.intro}\n${quoteText(quote.text)}`] : [])].join('\n\n') + '\n';
  const html = htmlDocument(
    [textToHtml(body), textToHtml(signature.join('\n')), ...(quote ? [textToHtml(quote.intro), quoteHtml(quote.text)] : [])].join('\n'),
  );

  const threaded = isThreadable(input.original.messageId);
  return {
    messageId: input.messageId,
    from: input.from,
    to: [to],
    subject: replySubject(input.original.subject),
    inReplyTo: threaded ? input.original.messageId : undefined,
    references: threaded ? replyReferences(input.original.messageId, input.original.references) : undefined,
    text,
    html,
    // RFC 3834: an automatic answer says so, so the other side's auto-responders do not answer it.
    headers: input.signer ? undefined : { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
  };
}
