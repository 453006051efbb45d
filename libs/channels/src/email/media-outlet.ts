// Which newspaper, broadcaster or agency a media enquiry comes from, for the press office's
// forward. The sender's domain is the strongest clue; what they say about themselves ("I'm a
// reporter at the Sheffield Star", "BBC Look North here") is often more specific.
import { domainOf } from './mail-address.js';
import { cleanLine } from './text.js';

export interface OutletClues {
  /** What they wrote; public text. */
  text: string;
  /** Their email address, when the enquiry came by email. */
  email?: string;
  /** The name their message came under ("Jane Smith | BBC News"). */
  displayName?: string;
}

interface KnownOutlet {
  name: string;
  domains: readonly string[];
  /** A publisher of many titles: the title named in the text says more than the group. */
  group?: boolean;
}

const KNOWN: readonly KnownOutlet[] = [
  { name: 'BBC', domains: ['bbc.co.uk', 'bbc.com'] },
  { name: 'ITV', domains: ['itv.com'] },
  { name: 'ITN', domains: ['itn.co.uk'] },
  // Not sky.com: that is also Sky's broadband customers' mail, so it says nothing about a journalist.
  { name: 'Sky News', domains: ['sky.uk'] },
  { name: 'Channel 4', domains: ['channel4.co.uk', 'channel4.com'] },
  { name: 'Channel 5', domains: ['channel5.com'] },
  { name: 'GB News', domains: ['gbnews.com', 'gbnews.uk'] },
  { name: 'The Guardian', domains: ['theguardian.com', 'guardian.co.uk'] },
  { name: 'The Observer', domains: ['observer.co.uk'] },
  { name: 'The Telegraph', domains: ['telegraph.co.uk'] },
  { name: 'The Times', domains: ['thetimes.co.uk', 'thetimes.com', 'thesundaytimes.co.uk'] },
  { name: 'News UK', domains: ['news.co.uk'], group: true },
  { name: 'The Independent', domains: ['independent.co.uk'] },
  { name: 'The i Paper', domains: ['inews.co.uk'] },
  { name: 'Financial Times', domains: ['ft.com'] },
  { name: 'Daily Mail', domains: ['dailymail.co.uk', 'mailonline.co.uk', 'mailonsunday.co.uk'] },
  { name: 'Daily Mirror', domains: ['mirror.co.uk'] },
  { name: 'The Sun', domains: ['thesun.co.uk'] },
  { name: 'Daily Express', domains: ['express.co.uk'] },
  { name: 'Daily Star', domains: ['dailystar.co.uk'] },
  { name: 'Evening Standard', domains: ['standard.co.uk', 'eveningstandard.co.uk'] },
  { name: 'Metro', domains: ['metro.co.uk'] },
  { name: 'Reach plc', domains: ['reachplc.com'], group: true },
  { name: 'Newsquest', domains: ['newsquest.co.uk'], group: true },
  { name: 'NationalWorld', domains: ['nationalworld.com'], group: true },
  { name: 'Yorkshire Post', domains: ['yorkshirepost.co.uk'] },
  { name: 'Manchester Evening News', domains: ['manchestereveningnews.co.uk'] },
  { name: 'Sheffield Star', domains: ['thestar.co.uk'] },
  { name: 'PA Media', domains: ['pa.media', 'pamediagroup.com', 'pressassociation.com', 'pressassociation.co.uk'] },
  { name: 'Reuters', domains: ['reuters.com', 'thomsonreuters.com'] },
  { name: 'HSJ', domains: ['hsj.co.uk'] },
  { name: 'Nursing Times', domains: ['nursingtimes.net'] },
  { name: 'The BMJ', domains: ['bmj.com'] },
  { name: 'Pulse', domains: ['pulsetoday.co.uk'] },
  { name: 'LBC', domains: ['lbc.co.uk'] },
  { name: 'Global', domains: ['global.com'], group: true },
  { name: 'Bauer Media', domains: ['bauermedia.co.uk'], group: true },
  { name: 'The Economist', domains: ['economist.com'] },
  { name: 'New Statesman', domains: ['newstatesman.co.uk', 'newstatesman.com'] },
  { name: 'The Spectator', domains: ['spectator.co.uk'] },
  { name: 'HuffPost UK', domains: ['huffpost.com', 'huffingtonpost.co.uk'] },
  { name: 'Politico', domains: ['politico.eu', 'politico.com'] },
];

const MAX_OUTLET = 60;

/** Words that start a sentence or name a job, not a newspaper: "Researcher here", "Hi". */
const NOT_A_NAME = new Set(
  `i we hi hello hey dear thanks thank please could can would will our your my the this that it it's
  nhs trust a&e reporter journalist correspondent producer researcher editor presenter writer freelance freelancer
  broadcaster columnist newsreader monday tuesday wednesday thursday friday saturday sunday today tomorrow`.split(/\s+/),
);

/** First letter either case, the rest as written: the name patterns themselves are case-sensitive. */
const anyCase = (word: string) => word.replace(/^[a-z]/, (c) => `[${c.toUpperCase()}${c}]`);
const ROLE = `(?:${['reporter', 'journalist', 'correspondent', 'producer', 'researcher', 'editor', 'presenter', 'writer', 'freelancer', 'broadcaster', 'columnist', 'newsreader'].map(anyCase).join('|')})`;
const ARTICLE = `(?:(?:[Tt]he|[Aa]n?)\\s+)?`;
// A capitalised word ("Northvale", "ITV's", "Londynek.net") or an X handle; a dot only inside a word.
const WORD = `(?:@\\w{1,30}|[A-Z0-9](?:[\\w&'’-]|\\.(?=\\w))*)`;
// Words of one name stay on one line: the next line of a signature is something else (a phone number).
const NAME = `(${WORD}(?:[ \\t]+(?:(?:of|on|&)[ \\t]+(?:the[ \\t]+)?)?${WORD}){0,5})`;

/** Words that make a name a newspaper's or broadcaster's ("Nursing Times"), not a person's ("Dave"). */
const MEDIA_WORD = /\b(?:News|Radio|TV|Television|Times|Post|Echo|Gazette|Star|Press|Herald|Courier|Chronicle|Mail|Mirror|Express|Telegraph|Guardian|Observer|Journal|Standard|Sentinel|Argus|Advertiser|Magazine|FM|Media|BBC|ITV|Sky|LBC)\b|^@|^[A-Z][A-Z0-9]{1,9}$/;

/** What journalists write about themselves, each capturing the outlet's name. */
const SELF_DESCRIPTIONS: ReadonlyArray<{ pattern: RegExp; mediaWord?: true }> = [
  // "I'm a reporter at the Sheffield Star", "Producer at @BBCLookNorth", "researcher here for a BBC One …"
  { pattern: new RegExp(`\\b${ROLE}(?:\\s+here)?\\s+(?:at|with|from|for|on)\\s+${ARTICLE}${NAME}`, 'g') },
  // "Hi, Nick from the Mirror here"; a name that says it is a newspaper or broadcaster in this and the
  // next patterns, which people who are not journalists also write ("Dave from Sheffield here")
  { pattern: new RegExp(`\\b[A-Z]\\w+\\s+from\\s+${ARTICLE}${NAME}\\s+here\\b`, 'g'), mediaWord: true },
  // "BBC Look North here", but not "Hi, Dave here"
  { pattern: new RegExp(`(?:^|[.!?\\n]\\s*|\\b(?:[Hh]i|[Hh]ello|[Hh]ey)\\b[,!]?\\s+)${ARTICLE}${NAME}\\s+here\\b`, 'g'), mediaWord: true },
  // "on behalf of ITV News"
  { pattern: new RegExp(`\\bon behalf of\\s+${ARTICLE}${NAME}`, 'g'), mediaWord: true },
  // "a story for @thetimes", "a documentary series for Channel 4"
  { pattern: new RegExp(`\\b(?:story|piece|feature|article|long read|segment|package|report|series|documentary|programme|film)\\s+for\\s+${ARTICLE}${NAME}`, 'g') },
  // "I'm with ITV Calendar", "This is Jane Smith from BBC Radio Sheffield"
  { pattern: new RegExp(`\\bI(?:['’]m| am)\\s+with\\s+${ARTICLE}${NAME}`, 'g'), mediaWord: true },
  { pattern: new RegExp(`\\b(?:[Tt]his is|[Ii]t['’]s)\\s+[A-Z]\\w+(?:\\s+[A-Z][\\w'’-]+)?\\s+(?:from|at|with)\\s+${ARTICLE}${NAME}`, 'g'), mediaWord: true },
  // "LBC newsdesk"
  { pattern: new RegExp(`${NAME}\\s+(?:news ?desk|newsroom|planning desk|news team|press desk)\\b`, 'g') },
  // A signature: "Senior Reporter, Northvale Echo", or the job on one line and the outlet on the next
  { pattern: new RegExp(`(?:^|\\n)[ \\t]*(?:[A-Z][\\w-]*[ \\t]+){0,3}?${ROLE}(?:,[ \\t]*|[ \\t]*\\r?\\n[ \\t]*)${ARTICLE}${NAME}[ \\t]*(?=\\r?\\n|$)`, 'g') },
];

/** Names distinctive enough to count wherever they appear ("Ruth Adebayo\nPA Media"). */
const DISTINCTIVE = /\b(BBC(?:[ \t]+(?:Radio|One|Two|Three|Four|News|Breakfast|Look|North|South|East|West|Midlands|Points|Inside|Spotlight|Newsnight|Panorama|Wales|Scotland|Yorkshire|[A-Z][a-z]+(?=[ \t]+(?:Radio|News)))|[ \t]+\d){0,4}|ITV(?:[ \t]+(?:News|Calendar|Granada|Tyne Tees|Central|Anglia|Meridian|Tonight|Wales))?|Sky News|Channel [45](?: News)?|PA Media|Reuters|HSJ|Nursing Times|LBC|Times Radio|GB News|Radio [1-5](?: Live)?)\b/g;

function isPlausibleName(name: string): boolean {
  const first = name.split(/\s+/)[0]!.toLowerCase();
  return name.length <= MAX_OUTLET && !NOT_A_NAME.has(first) && !NOT_A_NAME.has(name.toLowerCase());
}

/** Outlets the text names, in the order they appear. */
export function outletsInText(text: string): string[] {
  const sample = text.slice(0, 20_000);
  const found: Array<{ at: number; name: string }> = [];
  for (const { pattern, mediaWord } of SELF_DESCRIPTIONS) {
    for (const match of sample.matchAll(pattern)) {
      const name = match[1]!.trim();
      if (isPlausibleName(name) && (!mediaWord || MEDIA_WORD.test(name))) found.push({ at: match.index! + match[0].indexOf(name), name });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const distinctive = [...sample.matchAll(DISTINCTIVE)].map((m) => m[1]!.replace(/\s+/g, ' '));
  return [...new Set([...found.map((f) => f.name), ...distinctive])];
}

function knownByDomain(domain: string | undefined): KnownOutlet | undefined {
  if (!domain) return undefined;
  return KNOWN.find((o) => o.domains.some((d) => domain === d || domain.endsWith(`.${d}`)));
}

/** The part of a known outlet's name a more specific title contains: "Sky News" in "Sky News Yorkshire", "Mail" in "Mail on Sunday". */
function mentions(candidate: string, outlet: KnownOutlet): boolean {
  return candidate.toLowerCase().includes(key(outlet));
}

function key(outlet: KnownOutlet): string {
  return outlet.name.replace(/^(?:The|Daily)\s+/, '').toLowerCase();
}

/** "Jane Smith | BBC News", "Jane Smith (ITV Calendar)", "Jane Smith - Northvale Echo". */
function outletInDisplayName(displayName: string | undefined): string | undefined {
  const match = displayName && /(?:\||\(|\s[-–—]\s|\sat\s)\s*([^|()]{2,60}?)\s*\)?\s*$/.exec(displayName);
  const name = match?.[1]?.trim();
  if (!name || !/[A-Z]/.test(name[0]!) || !isPlausibleName(name)) return undefined;
  return MEDIA_WORD.test(name) ? name : undefined;
}

/**
 * A known outlet's own name for what the text calls it: "Guardian" → "The Guardian", "Mirror" →
 * "Daily Mirror", "@thetimes" → "The Times" (a handle that is the outlet's domain name).
 */
function canonical(name: string): string {
  const lower = name.toLowerCase();
  const known = lower.startsWith('@')
    ? KNOWN.find((o) => o.domains.some((d) => d.split('.')[0] === lower.slice(1)))
    : KNOWN.find((o) => o.name.toLowerCase() === lower || key(o) === lower);
  return known && !known.group ? known.name : name;
}

/** The outlet, or undefined when nothing says which. Capped, one line: it goes into a subject. */
export function mediaOutlet(clues: OutletClues): string | undefined {
  const known = knownByDomain(domainOf(clues.email));
  const named = [outletInDisplayName(clues.displayName), ...outletsInText(clues.text)].filter((n): n is string => !!n).map(canonical);
  let outlet: string | undefined;
  if (known) {
    outlet = named.find((n) => mentions(n, known)) ?? (known.group && named[0] ? `${named[0]} (${known.name})` : known.name);
  } else {
    outlet = named[0];
  }
  return outlet ? cleanLine(outlet, MAX_OUTLET + 20) || undefined : undefined;
}
