// Times in mail are read by people in the trust, so they are shown on the UK clock (GMT or BST).

const ZONE = 'Europe/London';

const withYear = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
const withoutYear = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/**
 * "Fri 20 Nov 2026 16:30" (or without the year), in Europe/London. Built from the parts, since
 * the punctuation Intl puts between them differs between ICU versions.
 */
export function londonTime(date: Date, options: { year?: boolean } = {}): string {
  if (Number.isNaN(date.getTime())) return 'an unknown time';
  const format = options.year === false ? withoutYear : withYear;
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  const day = [parts.weekday, parts.day, parts.month, options.year === false ? undefined : parts.year].filter(Boolean).join(' ');
  return `${day} ${parts.hour}:${parts.minute}`;
}
