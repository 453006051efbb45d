import { CSV_BOM, csvLine } from '../http/csv.js';

interface Offence {
  channel: string;
  url: string | null;
  body: string;
  receivedAt: Date;
  hiddenAt: Date;
  route: string | null;
  strike: string | null;
}

/**
 * The repeat-offender report a platform's abuse form asks for: every hidden item with its link,
 * text and time. UTF-8 with a byte-order mark so Excel reads names and emoji correctly.
 */
export function offencesCsv(contact: { handle: string | null; displayName: string | null; platform: string }, rows: Offence[]): string {
  const lines = [csvLine(['platform', 'handle', 'name', 'posted_at_utc', 'hidden_at_utc', 'channel', 'route', 'strike_reason', 'link', 'text'])];
  for (const row of rows) {
    lines.push(
      csvLine([
        contact.platform,
        contact.handle,
        contact.displayName,
        row.receivedAt.toISOString(),
        row.hiddenAt.toISOString(),
        row.channel,
        row.route,
        row.strike,
        row.url,
        row.body,
      ]),
    );
  }
  return CSV_BOM + lines.join('');
}
