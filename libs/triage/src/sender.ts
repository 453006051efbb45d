// Who sent an email: press and broadcaster domains, and signatures that name a programme,
// publication, desk or a journalist's role. Personal mail providers say nothing either way.

export interface SenderSignal {
  readonly signal: string;
  readonly weight: number;
  readonly evidence: string;
}

// Well-known newsrooms and agencies (registrable domains).
const PRESS_DOMAINS = new Set([
  'bbc.co.uk', 'bbc.com', 'itv.com', 'itn.co.uk', 'itnproductions.co.uk', 'sky.uk', 'skynews.com', 'channel4.com', 'channel4.co.uk', 'channel5.com', 'channel5.co.uk',
  'reuters.com', 'thomsonreuters.com', 'pamediagroup.com', 'pa.media', 'apnews.com', 'ap.org', 'afp.com', 'bloomberg.net', 'bloomberg.com',
  'theguardian.com', 'guardian.co.uk', 'observer.co.uk', 'thetimes.co.uk', 'thesundaytimes.co.uk', 'news.co.uk', 'telegraph.co.uk', 'dailymail.co.uk', 'mailonline.co.uk',
  'mailonsunday.co.uk', 'mirror.co.uk', 'express.co.uk', 'dailystar.co.uk', 'thesun.co.uk', 'independent.co.uk', 'inews.co.uk', 'ft.com', 'economist.com',
  'hsj.co.uk', 'nursingtimes.net', 'emap.com', 'bmj.com', 'pulsetoday.co.uk', 'newsquest.co.uk', 'reachplc.com', 'nationalworld.com', 'jpimedia.co.uk',
  'bauermedia.co.uk', 'bauermedia.com', 'global.com', 'lbc.co.uk', 'timesradio.co.uk', 'gbnews.com', 'gbnews.uk', 'talktv.co.uk', 'news.uk',
  'bylinetimes.com', 'opendemocracy.net', 'thebureauinvestigates.com', 'vice.com', 'buzzfeed.com', 'huffpost.com', 'politico.eu', 'cnn.com', 'nytimes.com',
  'walesonline.co.uk', 'manchestereveningnews.co.uk', 'yorkshirepost.co.uk', 'liverpoolecho.co.uk', 'chroniclelive.co.uk', 'birminghammail.co.uk',
  'stv.tv', 'heraldscotland.com', 'thenational.scot', 'irishnews.com', 'belfasttelegraph.co.uk', 'newsletter.co.uk', 'hellomagazine.com', 'immediate.co.uk', 'futurenet.com',
]);

// Personal and public-sector mail: the domain tells us nothing about a press role.
const NEUTRAL_DOMAINS =
  /(?:^|\.)(?:gmail|googlemail|hotmail|outlook|live|msn|yahoo|ymail|icloud|me|mac|aol|protonmail|proton|btinternet|btopenworld|sky|talktalk|virginmedia|blueyonder|ntlworld|tiscali|mail|gmx|zoho|fastmail|hey|plus|orange|tesco)\.(?:com|co\.uk|net|me|uk)$|\.(?:nhs\.net|nhs\.uk|ac\.uk|gov\.uk|sch\.uk|police\.uk|parliament\.uk)$/i;

// Newsroom words in a domain name ("northvaleecho.co.uk", "calderdailypost.co.uk", "hatchlinetv.co.uk").
const NEWSROOM_WORD =
  /(news|echo|courier|gazette|herald|chronicle|advertiser|argus|telegraph|mirror|express|journal|observer|examiner|sentinel|mercury|bugle|tribune|standard|post|times|radio|media|productions?|pictures|films|studios?|broadcast(?:ing)?|press|magazine|mag|tv|fm|television|podcasts?|reporter|journalism)(?=[.-]|$)/i;
const NOT_NEWSROOM = /(?:wordpress|compost|postoffice|postcode|royalmail|parcel|dhl|dpd|evri|hermes|ups|fedex|express-?parcels?|mediaclinic|socialmedia|multimedia)/i;

/** Signals from an email author's address. */
export function senderSignals(author: string): SenderSignal[] {
  const at = author.lastIndexOf('@');
  if (at <= 0) return [];
  const domain = author.slice(at + 1).trim().toLowerCase().replace(/[>\s].*$/, '');
  if (!domain.includes('.')) return [];
  const local = author.slice(0, at).toLowerCase();
  const out: SenderSignal[] = [];
  const parts = domain.split('.');
  const registrable = /\.(?:co|org|ac|gov|ltd|plc|me|net)\.uk$/.test(domain) ? parts.slice(-3).join('.') : parts.slice(-2).join('.');
  if (PRESS_DOMAINS.has(registrable) || PRESS_DOMAINS.has(domain)) {
    out.push({ signal: 'media.sender_press_domain', weight: 3, evidence: domain });
  } else if (NEUTRAL_DOMAINS.test(domain)) {
    // nothing
  } else if (/\.(?:tv|news|media|press|radio|film|studio)$/.test(domain)) {
    out.push({ signal: 'media.sender_broadcaster_domain', weight: 3, evidence: domain });
  } else {
    const name = registrable.split('.')[0]!;
    if (!NOT_NEWSROOM.test(domain) && NEWSROOM_WORD.test(name)) out.push({ signal: 'media.sender_newsroom_domain', weight: 2, evidence: domain });
  }
  if (/^(?:news|newsdesk|news\.desk|press|pressdesk|newsroom|planning|forwardplanning|producers?|researchers?|reporters?|editor|editorial|features|tips|tipoff)$/.test(local)) {
    out.push({ signal: 'media.sender_newsdesk_mailbox', weight: 2, evidence: author.trim() });
  }
  return out;
}

const ROLE =
  '(?:(?:senior|chief|deputy|assistant|associate|development|series|executive|health|political|news|features?|investigations?|investigative|court|consumer|social affairs|home affairs|digital|local democracy|freelance|broadcast|lead|specialist|staff|contributing|commissioning|managing|desk|programme|planning|data|science|health and social care)\\s+)*' +
  '(?:reporter|correspondent|journalist|producer|researcher|editor|sub-editor|presenter|newsreader|broadcaster|news ?desk|newsdesk|commissioner)s?';
// A short line near the end, e.g. "Senior Reporter, Northvale Echo", "Producer, BBC Radio Northvale", "Researcher, Tonight"
const SIGNATURE_ROLE_RE = new RegExp(`^[ \\t]*(?:[A-Z][\\w'.-]*(?: [A-Z][\\w'.-]*){0,3}[,|-] *)?${ROLE}\\b[^\\n]{0,60}$`, 'im');

const ACADEMIC_RE = /\b(?:universit|phd|doctoral|research (?:fellow|associate|assistant)|institute|nihr|clinical research|college)/i;

/** A journalist's role in an email signature (the last short lines). */
export function signatureRole(text: string): SenderSignal | undefined {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = lines.length - 1; i >= 0 && seen < 6; i--) {
    const line = lines[i]!.trim();
    if (!line) continue;
    seen++;
    if (line.length > 80) break;
    const m = SIGNATURE_ROLE_RE.exec(line);
    if (m !== null && !ACADEMIC_RE.test(line)) return { signal: 'media.signature_role', weight: 3, evidence: line };
  }
  return undefined;
}
