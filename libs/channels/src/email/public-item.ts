// The facts about one public message that a forward or an alert shows a person, in text and HTML.
import type { Channel } from '@desk/domain';
import { londonTime } from './london-time.js';
import { isEmailAddress } from './mail-address.js';
import { escapeHtml, linkHtml, quoteHtml, quoteText } from './mail-html.js';
import { cleanLine, cleanText } from './text.js';

export interface PublicAuthor {
  /** Display name, as the provider gave it. */
  name?: string;
  /** X or Instagram handle (with or without "@"), Facebook name or id. */
  handle?: string;
  /** Their address, when the message came by email. */
  email?: string;
}

/** The message a forward or an alert is about. All of it is public text. */
export interface PublicItem {
  channel: Channel;
  author: PublicAuthor;
  text: string;
  /** An email's subject. */
  subject?: string;
  /** The original on the provider (tweet, comment permalink). */
  url?: string;
  receivedAt: Date;
}

export interface Fact {
  label: string;
  value?: string;
  /** Shown instead of `value` in the HTML part; already safe. */
  html?: string;
}

const MAX_NAME = 80;
const MAX_QUOTED = 20_000;

const CHANNEL_LABELS: Record<Channel, string> = {
  x: 'X (public post)',
  x_dm: 'X DM (private)',
  facebook: 'Facebook (public comment)',
  instagram: 'Instagram (public comment)',
  email: 'Email',
};

export function channelLabel(channel: Channel): string {
  return CHANNEL_LABELS[channel] ?? cleanLine(String(channel), 20);
}

/** "@handle" on X and Instagram, where people know each other by it. */
export function handleOf(item: Pick<PublicItem, 'channel' | 'author'>): string | undefined {
  const handle = cleanLine(item.author.handle ?? '', MAX_NAME);
  if (!handle) return undefined;
  const atSign = (item.channel === 'x' || item.channel === 'x_dm' || item.channel === 'instagram') && /^\w{1,50}$/.test(handle);
  return atSign ? `@${handle}` : handle;
}

/** What to call them in a subject: their name, else their handle or address. */
export function shortName(item: Pick<PublicItem, 'channel' | 'author'>): string {
  return cleanLine(item.author.name ?? '', MAX_NAME) || handleOf(item) || emailOf(item) || 'an unknown sender';
}

export function emailOf(item: Pick<PublicItem, 'author'>): string | undefined {
  const email = item.author.email?.trim();
  return email && isEmailAddress(email) ? email : undefined;
}

/** "Jane Smith (@jane_s)", "Jane Smith (jane@bbc.co.uk)". */
export function whoLine(item: Pick<PublicItem, 'channel' | 'author'>): string {
  const name = cleanLine(item.author.name ?? '', MAX_NAME);
  const contact = [handleOf(item), emailOf(item)].filter((c): c is string => !!c && c !== name);
  if (!name) return contact.join(', ') || 'unknown sender';
  return contact.length ? `${name} (${contact.join(', ')})` : name;
}

/** The facts every summary starts with. */
export function itemFacts(item: PublicItem): Fact[] {
  const url = item.url ? cleanLine(item.url, 500) : undefined;
  const subject = item.subject ? cleanLine(item.subject, 200) : undefined;
  return [
    { label: 'From', value: whoLine(item) },
    { label: 'Channel', value: channelLabel(item.channel) },
    ...(subject ? [{ label: 'Subject', value: subject }] : []),
    { label: 'Received', value: londonTime(item.receivedAt) },
    ...(url ? [{ label: 'Original', value: url, html: linkHtml(url) }] : []),
  ];
}

/** Label-aligned lines for the plain-text part. */
export function factsText(facts: readonly Fact[]): string {
  const shown = facts.filter((f) => f.value !== undefined);
  const width = Math.max(...shown.map((f) => f.label.length)) + 2;
  return shown.map((f) => `${`${f.label}:`.padEnd(width)}${f.value}`).join('\n');
}

/** Their words, capped, as a quoted block in both parts. */
export function quotedMessage(text: string): { text: string; html: string } {
  const clean = cleanText(text, MAX_QUOTED) || '(no text)';
  return { text: quoteText(clean), html: quoteHtml(clean) };
}

/** A heading line in the HTML part. */
export function headingHtml(text: string): string {
  return `<p><strong>${escapeHtml(text)}</strong></p>`;
}
