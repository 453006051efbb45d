// The deadline a journalist states, quoted as they wrote it for the press office: "by 4pm today",
// "deadline is 5pm Friday", "before we go to print at 3pm". It is not turned into a time: "by end
// of day" means the journalist's day, and a person reads it better than a parser would.
import { cleanLine } from './text.js';

const MAX_PHRASE = 80;

const DAY = `(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|weds?|thu(?:rs?)?|fri)`;
// "12.30" alone is left out: "rose by 10.25%" is a figure, not a time.
const CLOCK = `(?:\\d{1,2}(?:[:.]\\d{2})?\\s?(?:am|pm|a\\.m\\.|p\\.m\\.)|\\d{1,2}:\\d{2}(?:\\s?(?:hrs|hours))?|\\d{1,2}[.]\\d{2}\\s?(?:hrs|hours)|noon|midday|midnight)`;
const WHEN = [
  CLOCK,
  `(?:the\\s+)?(?:end|close)\\s+of\\s+(?:the\\s+)?(?:day|play|business|today|tomorrow|(?:this|next|the)\\s+week|${DAY})`,
  `(?:eod|cob|cop)`,
  `(?:lunch(?:time)?|first\\s+thing)`,
  `${DAY}(?:\\s+(?:morning|afternoon|evening|night))?`,
  `(?:today|tonight|tomorrow(?:\\s+(?:morning|afternoon|evening|night))?|this\\s+(?:morning|afternoon|evening))`,
  `\\d{1,2}(?:st|nd|rd|th)?\\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*`,
].join('|');
/** A time, optionally with a second part: "4pm today", "Thursday at noon", "5pm on Friday". */
const TIME = `(?:${WHEN})\\b(?:,?\\s+(?:at|on|by)?\\s*(?:${WHEN})\\b)?`;
const PUBLISH = `(?:go(?:es)?\\s+to\\s+(?:print|press|air)|go(?:es)?\\s+(?:live|out|on\\s+air)|publish|broadcast|file|air|print)`;
const OUTPUT = `(?:paper|edition|bulletin|programme|show|news|print|broadcast|front\\s+page|splash|deadline)`;

/** Most explicit first: the first kind that matches is the one quoted. */
const PHRASES: readonly RegExp[] = [
  // "deadline is 5pm Friday", "my deadline is Thursday at noon", "Deadline Weds"
  new RegExp(`\\bdeadlines?(?:\\s+is|['’]s|:|\\s+of)?\\s+(?:at\\s+|on\\s+|by\\s+)?${TIME}`, 'i'),
  // "by 4pm today", "by end of day", "no later than noon"
  new RegExp(`\\b(?:by|before|no\\s+later\\s+than)\\s+${TIME}`, 'i'),
  // "before we go to print at 3pm", "before we publish on Friday"
  new RegExp(`\\bbefore\\s+(?:we|i|it|the\\s+\\w+)\\s+${PUBLISH}(?:\\s+(?:at|on|by)?\\s*${TIME})?`, 'i'),
  // "we're going to print Thursday"
  new RegExp(`\\b(?:going|go(?:es)?)\\s+to\\s+(?:print|press|air)\\s+(?:at\\s+|on\\s+)?${TIME}`, 'i'),
  // "for tonight's bulletin", "in tomorrow's paper"
  new RegExp(`\\b(?:for|in)\\s+(?:tonight|tomorrow|today|this\\s+evening|this\\s+afternoon|this\\s+morning|${DAY})['’]s\\s+${OUTPUT}`, 'i'),
  // "within the hour", "in the next two hours"
  new RegExp(`\\b(?:within|in)\\s+the\\s+(?:next\\s+)?(?:hour|(?:\\d{1,2}|two|three|few|couple\\s+of)\\s+hours)\\b`, 'i'),
  // "we're on deadline", "as soon as possible"
  new RegExp(`\\bon\\s+(?:a\\s+)?(?:tight\\s+)?deadline\\b|\\bas\\s+soon\\s+as\\s+(?:possible|you\\s+can)\\b|\\basap\\b`, 'i'),
];

/** The deadline as the sender wrote it, or undefined when they stated none. */
export function statedDeadline(text: string): string | undefined {
  const sample = text.slice(0, 20_000);
  for (const pattern of PHRASES) {
    const match = pattern.exec(sample);
    if (match) return cleanLine(match[0].replace(/[\s,.;:!?]+$/, ''), MAX_PHRASE) || undefined;
  }
  return undefined;
}
