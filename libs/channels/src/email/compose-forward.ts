// Mail to people inside the trust about a public message: a media enquiry forwarded to the press
// office, and an urgent-safety alert to the on-duty officer. Each carries everything needed to act
// without opening the desk.
import type { OutgoingMail } from '../outbound/ports.js';
import { statedDeadline } from './deadline.js';
import { londonTime } from './london-time.js';
import { formatAddress } from './mail-address.js';
import { factsHtml, htmlDocument, linkHtml, textToHtml } from './mail-html.js';
import { mediaOutlet } from './media-outlet.js';
import { isMessageId } from './message-id.js';
import { channelLabel, emailOf, factsText, headingHtml, itemFacts, quotedMessage, shortName, type Fact, type PublicItem } from './public-item.js';
import { cleanLine, cleanText } from './text.js';

interface InternalMail {
  /** The communications mailbox the desk sends from. */
  from: string;
  /** Press office, or the on-duty officer: addresses as `"Name" <a@b>` or bare. */
  to: readonly string[];
  /** Ours, from outboundMessageId: the same on every attempt. */
  messageId: string;
  trustName: string;
  /** The item in the web desk. */
  deskUrl?: string;
}

export interface PressForwardInput extends InternalMail {
  /** The enquiry's reference, e.g. MED-2026-0042: in the subject and the X-Desk-Reference header. */
  reference: string;
  item: PublicItem;
  /** When the trust's SLA says it must be answered. */
  dueAt: Date;
  /** The outlet if already known; otherwise read from the sender's address and text. */
  outlet?: string;
  /** The deadline they stated if already known; otherwise read from the text. */
  deadline?: string;
  /** The acknowledgement the desk sends the journalist (the press template), if any. */
  acknowledgement?: string;
}

export type AutoReplyStatus = 'sent' | 'queued' | 'failed';

export interface AlertInput extends InternalMail {
  /** The item's reference in the desk, if it has one. */
  reference?: string;
  item: PublicItem;
  dueAt?: Date;
  /** Why triage flagged it (its reasons), one short line each. */
  reasons?: readonly string[];
  /** The signposting reply the desk sent (or tried to send) the person automatically. */
  autoReply?: { text: string; status: AutoReplyStatus; at?: Date };
}

const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/;
const MAX_SUBJECT_NAME = 60;
const MAX_DEADLINE_IN_SUBJECT = 40;

/** A media enquiry for the press office; an email enquiry can be answered directly (Reply-To). */
export function composePressForward(input: PressForwardInput): OutgoingMail {
  checkInternal(input);
  const reference = checkedReference(input.reference);
  const { item } = input;
  // Only mail answers mail: an address someone gave on X is not where they asked to be answered.
  const email = item.channel === 'email' ? emailOf(item) : undefined;
  const outlet = cleanLine(input.outlet ?? '', 80) || mediaOutlet({ text: item.text, email: emailOf(item), displayName: item.author.name });
  const deadline = cleanLine(input.deadline ?? '', 80) || statedDeadline(item.text);
  const who = cleanLine(shortName(item), MAX_SUBJECT_NAME);

  const subject = [
    `[${reference}] Media enquiry from ${who}${outlet ? ` (${outlet})` : ''}`,
    ...(deadline ? [`their deadline "${cleanLine(deadline, MAX_DEADLINE_IN_SUBJECT)}"`] : []),
    `due ${londonTime(input.dueAt, { year: false })}`,
  ].join(' – ');

  const [first, ...rest] = itemFacts(item);
  const facts: Fact[] = [
    { label: 'Reference', value: reference },
    first!,
    { label: 'Outlet', value: outlet ?? 'not stated' },
    ...rest,
    { label: 'Their deadline', value: deadline ? `"${deadline}" (as they wrote it)` : 'none stated' },
    { label: 'Due (SLA)', value: londonTime(input.dueAt) },
    ...deskFact(input.deskUrl),
  ];
  const answer = email
    ? `Reply to this email to answer ${who} directly: Reply-To is set to ${email}.`
    : `They wrote on ${channelLabel(item.channel)}: answer them there, or through the desk.`;
  const ack = input.acknowledgement ? cleanText(input.acknowledgement, 5_000) : '';

  const intro = `Media enquiry ${reference} for the press office, forwarded by the engagement desk.`;
  return internalMail(input, {
    subject,
    replyTo: email ? formatAddress({ address: email, name: item.author.name }) : undefined,
    headers: { 'X-Desk-Reference': reference, 'Auto-Submitted': 'auto-generated' },
    intro,
    facts,
    message: item.text,
    after: [answer, ...(ack ? [`The desk acknowledged the enquiry to them with:\n\n${ack}`] : [])],
  });
}

/** An urgent-safety item for the on-duty officer, with what the person was automatically told. */
export function composeAlert(input: AlertInput): OutgoingMail {
  checkInternal(input);
  const reference = input.reference ? checkedReference(input.reference) : undefined;
  const { item } = input;
  const who = cleanLine(shortName(item), MAX_SUBJECT_NAME);
  const subject = `URGENT: possible risk to safety – ${who} on ${channelName(item)} – received ${londonTime(item.receivedAt, { year: false })}`;
  const reasons = (input.reasons ?? []).map((r) => cleanLine(r, 200)).filter(Boolean).slice(0, 10);

  const facts: Fact[] = [
    ...(reference ? [{ label: 'Reference', value: reference }] : []),
    ...itemFacts(item),
    ...(input.dueAt ? [{ label: 'Due (SLA)', value: londonTime(input.dueAt) }] : []),
    ...(reasons.length ? [{ label: 'Why flagged', value: reasons.join('; ') }] : []),
    ...deskFact(input.deskUrl),
  ];

  return internalMail(input, {
    subject,
    headers: {
      ...(reference ? { 'X-Desk-Reference': reference } : {}),
      'Auto-Submitted': 'auto-generated',
      Importance: 'high',
      'X-Priority': '1 (Highest)',
    },
    intro: 'The desk flagged this message as a possible risk to someone\'s safety. Please check it now.',
    facts,
    message: item.text,
    after: [autoReplyText(input.autoReply)],
  });
}

function autoReplyText(autoReply: AlertInput['autoReply']): string {
  if (!autoReply) return 'No automatic reply was sent: they have not been signposted yet.';
  const text = cleanText(autoReply.text, 5_000);
  const at = autoReply.at ? ` at ${londonTime(autoReply.at)}` : '';
  switch (autoReply.status) {
    case 'sent':
      return `The desk sent them this signposting reply${at}:\n\n${text}`;
    case 'queued':
      return `The desk is sending them this signposting reply (not yet confirmed as sent):\n\n${text}`;
    default:
      return `The automatic signposting reply could NOT be sent${at}: they have not been signposted. It would have said:\n\n${text}`;
  }
}

function channelName(item: PublicItem): string {
  return { x: 'X', x_dm: 'X DM', facebook: 'Facebook', instagram: 'Instagram', email: 'email' }[item.channel] ?? 'an unknown channel';
}

function deskFact(deskUrl: string | undefined): Fact[] {
  const url = deskUrl ? cleanLine(deskUrl, 500) : '';
  return url ? [{ label: 'In the desk', value: url, html: linkHtml(url) }] : [];
}

function checkedReference(reference: string): string {
  if (!REFERENCE.test(reference)) throw new Error(`not a desk reference: ${JSON.stringify(reference.slice(0, 40))}`);
  return reference;
}

function checkInternal(input: InternalMail): void {
  if (!isMessageId(input.messageId)) throw new Error(`not a Message-ID: ${JSON.stringify(input.messageId.slice(0, 80))}`);
  if (!input.to.length) throw new Error('no recipient: set the press office or on-duty address');
}

interface Parts {
  subject: string;
  replyTo?: string;
  headers: Record<string, string>;
  intro: string;
  facts: Fact[];
  message: string;
  /** Paragraphs after the quoted message; ours, but may contain public or officer text. */
  after: string[];
}

/** The shared layout: intro, facts, their message quoted, what happens next, the team's signature. */
function internalMail(input: InternalMail, parts: Parts): OutgoingMail {
  const quoted = quotedMessage(parts.message);
  const signature = `Communications team, ${cleanLine(input.trustName, 120)}`;
  const text = [parts.intro, factsText(parts.facts), 'Their message:', quoted.text, ...parts.after, `-- \n${signature}`].join('\n\n') + '\n';
  const html = htmlDocument(
    [
      textToHtml(parts.intro),
      factsHtml(parts.facts),
      headingHtml('Their message:'),
      quoted.html,
      ...parts.after.map(textToHtml),
      textToHtml(`-- \n${signature}`),
    ].join('\n'),
  );
  return {
    messageId: input.messageId,
    from: input.from,
    to: [...input.to],
    replyTo: parts.replyTo,
    subject: cleanLine(parts.subject, 300),
    text,
    html,
    headers: parts.headers,
  };
}
