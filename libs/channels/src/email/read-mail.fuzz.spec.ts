/**
 * Fuzzing the email reader (readMail, and unreadableMail beside it) with fast-check: arbitrary
 * bytes, generated MIME trees with bogus charsets and transfer encodings, then truncated, garbled
 * and re-lined; huge and numerous headers; deep nesting; HTML with character references.
 *
 * The contract, from read-mail.ts and the ingest mail store (apps/ingest/src/mail/mail-store.ts):
 * readMail never throws for a bad message: the store has no handler for that, so a throw would
 * leave the mailbox retrying the same message for ever. What it cannot read it still returns, as a
 * message with `parseError` set and the bytes kept in `raw.source`, so a person sees it; and every
 * field is capped and clean as the code promises. unreadableMail, the store's fallback when the
 * database refuses what readMail made, must not be able to fail at all.
 *
 * One seed for the whole run: FUZZ_SEED=<n> to explore others (a failure prints its seed and path).
 */
import fc from 'fast-check';
import type { InboundEvent, InboundMessage } from '@desk/domain';
import { decodeEntities } from './html-to-text.js';
import { readMail, unreadableMail } from './read-mail.js';
import type { FetchedMail, MailSettings } from './types.js';

const SEED = Number(process.env.FUZZ_SEED ?? 92026);
/** FUZZ_SCALE=10 runs ten times the cases, for a long local run. */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const runs = (n: number) => ({ seed: SEED, numRuns: Math.ceil(n * SCALE) });
/** Per test: each takes a few seconds at scale 1, far more than the 5 s Jest allows by default. */
const TIMEOUT = 60_000 * Math.max(1, SCALE);

/** Far under the parser's own 30 s timeout: a case slower than this is a message that could stall the mailbox. */
const CASE_BUDGET_MS = 3_000;
const OURS = 'comms@trust.example.nhs.uk';
const SETTINGS: MailSettings = { ownAddresses: [OURS], attachmentCapBytes: 64 * 1024, maxMessageBytes: 25 * 1024 * 1024 };
/** Small caps, so that truncation and dropped attachment bytes happen often. */
const TIGHT: MailSettings = { ownAddresses: [OURS], attachmentCapBytes: 16, maxMessageBytes: 2_048 };
const NOW = new Date('2026-11-20T10:00:00Z');
const ARRIVED = new Date('2026-11-20T09:30:00Z');

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function fetched(source: Buffer, size = source.length, receivedAt = ARRIVED): FetchedMail {
  return { source, size, receivedAt, origin: { kind: 'imap', mailbox: 'INBOX', uidValidity: '7', uid: 42 } };
}

/** Text safe to store and show, at most `max` characters. */
function expectCleanText(value: unknown, max: number, what: string): void {
  expect(typeof value).toBe('string');
  const text = value as string;
  if (text.length > max || UNSAFE.test(text) || LONE_SURROGATE.test(text) || text.includes('\r')) {
    throw new Error(`${what} is not clean or over ${max} characters: ${JSON.stringify(text.slice(0, 200))} (${text.length})`);
  }
}

/** One line: clean, and no line breaks or tabs either. */
function expectCleanLine(value: unknown, max: number, what: string): void {
  expectCleanText(value, max, what);
  if (/[\n\t]/.test(value as string)) throw new Error(`${what} has a line break or tab: ${JSON.stringify(value)}`);
}

/** Every string in `value` is one jsonb takes: no NUL, no half of a surrogate pair. */
function expectJsonbSafe(value: unknown, path = 'raw'): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000') || LONE_SURROGATE.test(value)) throw new Error(`${path} cannot be stored as jsonb: ${JSON.stringify(value.slice(0, 100))}`);
  } else if (Array.isArray(value)) value.forEach((v, i) => expectJsonbSafe(v, `${path}[${i}]`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) expectJsonbSafe(v, `${path}.${k}`);
}

const MESSAGE_ID = /^<[!-~\u0080-\uFFFF]{1,500}>$/;

/** What readMail promises about any message it returns, checked field by field. */
function expectContract(mail: FetchedMail, settings: MailSettings, event: InboundEvent): void {
  if (event.type === 'ignored') {
    expect(event.reason).toBe('sent from our own address');
    return;
  }
  expect(event.type).toBe('message');
  if (event.type !== 'message') return;
  const m: InboundMessage = event.message;
  const read = Math.min(mail.source.length, settings.maxMessageBytes);
  const size = Math.max(mail.size, mail.source.length);

  expect(m.channel).toBe('email');
  expect(m.externalId).toMatch(MESSAGE_ID);
  expect(LONE_SURROGATE.test(m.externalId)).toBe(false);
  expect(Number.isNaN(m.receivedAt.getTime())).toBe(false);
  expect(m.receivedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
  expectCleanText(m.text, 50_000, 'text');
  if (m.subject !== undefined) expectCleanLine(m.subject, 998, 'subject');
  if (m.subject !== undefined) expect(m.subject.length).toBeGreaterThan(0);
  if (m.threadSubject !== undefined) expect(m.threadSubject.length).toBeLessThanOrEqual(255);
  expect(['message', 'auto_reply', 'bounce']).toContain(m.kind);

  if (m.author) {
    expect(m.author.externalId.length).toBeLessThanOrEqual(320);
    expect(m.author.externalId).toMatch(/^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+$/);
    expect(m.author.externalId).toBe(m.author.externalId.toLowerCase());
    expect(m.author.handle).toBe(m.author.externalId);
    if (m.author.displayName !== undefined) expectCleanLine(m.author.displayName, 200, 'displayName');
  }
  if (m.replyTo !== undefined) {
    expect(m.replyTo.length).toBeGreaterThan(0);
    expect(m.replyTo.length).toBeLessThanOrEqual(50);
    for (const id of m.replyTo) expect(id).toMatch(MESSAGE_ID);
    for (const id of m.replyTo) expect(LONE_SURROGATE.test(id)).toBe(false);
  }

  const attachments = m.attachments ?? [];
  expect(attachments.length).toBeLessThanOrEqual(50);
  for (const a of attachments) {
    if (a.filename !== undefined) expectCleanLine(a.filename, 255, 'filename');
    expectCleanLine(a.contentType, 255, 'contentType');
    expect(Number.isSafeInteger(a.size) && a.size >= 0).toBe(true);
    if (a.content) expect(a.content.length).toBeLessThanOrEqual(settings.attachmentCapBytes);
  }

  const raw = m.raw as Record<string, unknown>;
  expect(raw.origin).toEqual(mail.origin);
  expect(raw.size).toBe(size);
  expect(raw.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  for (const value of Object.values(raw.headers as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    expect(values.length).toBeLessThanOrEqual(5);
    for (const v of values) expect((v as string).length).toBeLessThanOrEqual(2_000);
  }
  // read-mail makes the headers it keeps jsonb-safe itself; the rest of `raw` (kindBecause quotes a
  // header raw) is made safe by the repository on the way in (postgresSafeJson).
  expectJsonbSafe(raw.headers, 'raw.headers');

  if (size > read) expect(m.parseError).toContain('only the start was read');
  if (m.parseError !== undefined) {
    // Unreadable mail is kept whole (up to the cap) for a person to see.
    expectCleanText(m.parseError, 2_000, 'parseError');
    expect(m.parseError.length).toBeGreaterThan(0);
    expect(Buffer.from(raw.source as string, 'base64').equals(mail.source.subarray(0, read))).toBe(true);
    expect(raw.sourceTruncated).toBe(size > read);
  } else {
    expect(raw.source).toBeUndefined();
  }
}

/** Reads one message within the time budget; a throw fails the case with the input that caused it. */
async function readChecked(mail: FetchedMail, settings: MailSettings = SETTINGS): Promise<InboundEvent> {
  const started = performance.now();
  const event = await readMail(mail, settings, NOW);
  const ms = performance.now() - started;
  if (ms > CASE_BUDGET_MS) throw new Error(`readMail took ${Math.round(ms)} ms on a ${mail.source.length}-byte message`);
  expectContract(mail, settings, event);
  return event;
}

// ---------------------------------------------------------------------------------------------
// Generators: MIME as hostile senders and broken mailers write it.

const NASTY = fc.constantFrom(
  '\u0000', '\u0001', '\u001b[31m', '\u007f', '\u0085', '\u00a0', '\u2028', '\u202e', '\u2066', '\u200b', '\ufeff', '\ud800',
  '\udfff', '\uffff', '\r', '\n', '\r\n', '\t', '"', '\\', '<', '>', ';', ':', '=?', '?=', '%', '&', '🏥', '👩🏽‍⚕️', '\u0301',
  'constructor', '__proto__',
);
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.array(fc.oneof(NASTY, loneSurrogate, fc.string({ maxLength: 5 })), { maxLength: 20 }).map((a) => a.join('')),
);

const CHARSET = fc.constantFrom(
  'utf-8', 'UTF-8', 'us-ascii', 'iso-8859-1', 'latin1', 'windows-1252', 'cp1251', 'koi8-r', 'iso-2022-jp', 'shift_jis', 'euc-jp',
  'gb2312', 'gbk', 'gb18030', 'big5', 'euc-kr', 'utf-16', 'utf-16le', 'utf-16be', 'utf-32', 'utf-7', 'unicode-1-1-utf-7', 'x-unknown',
  'bogus-\u00ff', '', '"', 'utf-8"; format=flowed', 'iso-8859-99', 'binary', 'ks_c_5601-1987', 'x-mac-roman', 'constructor', '__proto__',
);
const ENCODING = fc.constantFrom('7bit', '8bit', 'binary', 'base64', 'quoted-printable', 'Base64', 'QUOTED-PRINTABLE', 'x-uuencode', 'uuencode', 'x-gzip', 'bogus', '', 'base64; junk');
const LEAF_TYPE = fc.constantFrom(
  'text/plain', 'text/html', 'TEXT/HTML', 'application/octet-stream', 'image/png', 'application/pdf', 'message/rfc822',
  'message/delivery-status', 'message/disposition-notification', 'text/rfc822-headers', 'application/ms-tnef', 'text/calendar',
  '', 'text', '/', 'x/y; name=', 'text/plain; format=flowed; delsp=yes', 'message/global', 'application/pkcs7-mime',
);
const MULTI_TYPE = fc.constantFrom(
  'multipart/mixed', 'multipart/alternative', 'multipart/related', 'multipart/report; report-type=delivery-status',
  'multipart/report; report-type=feedback-report', 'multipart/report; report-type=disposition-notification',
  'multipart/signed; protocol="application/pgp-signature"', 'multipart/digest', 'MULTIPART/MIXED', 'multipart/x-unknown', 'multipart/',
);

/** RFC 2047 encoded words, well-formed and not. */
const encodedWord = fc
  .tuple(CHARSET, fc.constantFrom('B', 'Q', 'b', 'q', 'X', ''), fc.oneof(fc.base64String({ maxLength: 40 }), fc.string({ maxLength: 40 }), fc.constantFrom('=FF=FE=00', '====', '=?', '?=', '_', '=E2=80')))
  .map(([charset, enc, payload]) => `=?${charset}?${enc}?${payload}?=`);

const headerText = fc.oneof(anyText, fc.array(fc.oneof(encodedWord, fc.string({ maxLength: 10 })), { maxLength: 6 }).map((a) => a.join(' ')));

const address = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom(OURS, 'COMMS@Trust.Example.NHS.uk', 'MAILER-DAEMON@example.org', 'postmaster@example.org', 'a@b', '@', 'a@', '@b', '<>', 'a@b.c.', 'a b@c.d', '"a@b"@c.d', 'a@[127.0.0.1]', `${'x'.repeat(400)}@example.org`),
  anyText,
);
const fromValue = fc.oneof(
  address,
  fc.tuple(headerText, address).map(([name, a]) => `"${name}" <${a}>`),
  fc.tuple(headerText, address).map(([name, a]) => `${name} <${a}>`),
  fc.tuple(anyText, address, address).map(([group, a, b]) => `${group}: ${a}, ${b};`),
  fc.array(address, { maxLength: 5 }).map((a) => a.join(', ')),
  fc.integer({ min: 1, max: 3_000 }).map((n) => `${'g:'.repeat(n)} a@b.c${';'.repeat(n)}`),
);
const messageIdValue = fc.oneof(
  fc.tuple(fc.string({ unit: 'binary', maxLength: 30 }), fc.domain()).map(([l, d]) => `<${l}@${d}>`),
  fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.domain()).map(([l, d]) => `<${l}@${d}>`), { maxLength: 80 }).map((ids) => ids.join(' ')),
  fc.constantFrom('<>', '<<<>>>', 'a@b', 'a@b, c@d', `<${'x'.repeat(600)}@a>`, '<a@b', 'a@b>', '<\u0000@b>', '<\ud800@b>', '< a @ b >'),
  anyText,
);

interface Leaf {
  kind: 'leaf';
  type: string;
  charset?: string;
  encoding?: string;
  disposition?: string;
  filename?: string;
  extra: Array<[string, string]>;
  body: Buffer;
}
interface Multi {
  kind: 'multi';
  type: string;
  /** undefined: the boundary parameter is missing. */
  boundary?: string;
  /** What the delimiter lines actually use (usually the boundary). */
  written: string;
  extra: Array<[string, string]>;
  preamble: string;
  epilogue: string;
  closed: boolean;
  children: Part[];
}
type Part = Leaf | Multi;

const headerName = fc.oneof(
  fc.constantFrom('X-Junk', 'Content-ID', 'Content-Description', 'Content-Language', 'MIME-Version', 'Content-Location', 'Received', 'Subject', 'From', 'Content-Type'),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 20 }).map((s) => s.replace(/[\r\n:]/g, '')),
);
const extraHeaders = fc.array(fc.tuple(headerName, headerText), { maxLength: 3 });

/** A body, in the part's encoding, or deliberately not. */
const htmlBody = fc
  .array(
    fc.oneof(
      anyText,
      fc.constantFrom('<p>', '</p>', '<br>', '<a href="https://example.org/x">', '</a>', '<script>alert(1)</script>', '<style>p{}</style>', '<!--', '-->', '<', '<div', '<table><tr><td>', '<![CDATA[', '<?xml?>', '<svg><text>x</text></svg>'),
      fc.constantFrom('&amp;', '&lt;', '&nbsp;', '&#0;', '&#x110000;', '&#xD800;', '&#99999999;', '&constructor;', '&toString;', '&hasOwnProperty;', '&valueOf;', '&unknown;', '&amp', '&#65', '&'),
    ),
    { maxLength: 40 },
  )
  .map((a) => a.join(''));

function quotedPrintable(bytes: Buffer): string {
  return [...bytes].map((b) => (b >= 33 && b <= 126 && b !== 61 ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('').replace(/(.{70})/g, '$1=\r\n');
}

const leafBody = (encoding: string | undefined): fc.Arbitrary<Buffer> => {
  const text = fc.oneof(anyText, htmlBody).map((t) => Buffer.from(t));
  const bytes = fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b));
  const garbage = fc.constantFrom('=\r\n', '=ZZ', '=', '====', '!!!!', 'QUJD\r\nRA', 'begin 644 x\r\n`\r\nend', '\u0000\u0000').map((s) => Buffer.from(s));
  if (encoding?.toLowerCase().startsWith('base64')) {
    return fc.oneof(fc.tuple(fc.oneof(text, bytes), fc.integer({ min: 4, max: 200 })).map(([b, width]) => Buffer.from(b.toString('base64').replace(new RegExp(`(.{${width}})`, 'g'), '$1\r\n'))), garbage, bytes);
  }
  if (encoding?.toLowerCase() === 'quoted-printable') return fc.oneof(fc.oneof(text, bytes).map((b) => Buffer.from(quotedPrintable(b))), garbage, bytes);
  return fc.oneof(text, bytes, garbage);
};

const leaf: fc.Arbitrary<Leaf> = fc
  .record({
    type: LEAF_TYPE,
    charset: fc.option(CHARSET, { nil: undefined }),
    encoding: fc.option(ENCODING, { nil: undefined }),
    disposition: fc.option(fc.constantFrom('attachment', 'inline', 'ATTACHMENT', 'form-data', '', 'attachment; filename*=bogus\'\'%FF%FE', 'attachment; filename*0*=utf-8\'\'%E2%82; filename*1*=%AC'), { nil: undefined }),
    filename: fc.option(fc.oneof(headerText, fc.constantFrom('../../etc/passwd', 'a'.repeat(400), 'CON', '.htaccess', 'x.exe\u0000.pdf', 'résumé.pdf')), { nil: undefined }),
    extra: extraHeaders,
  })
  .chain((l) => leafBody(l.encoding).map((body): Leaf => ({ kind: 'leaf', ...l, body })));

const boundary = fc.oneof(
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 70 }).map((s) => s.replace(/[\r\n"]/g, '')),
  fc.constantFrom('b', '', ' ', '--', '=_Part_0', 'x'.repeat(200), 'a b', '"'),
);

const { part } = fc.letrec<{ part: Part; multi: Multi }>((tie) => ({
  part: fc.oneof({ maxDepth: 4, depthIdentifier: 'mime' }, leaf, tie('multi')),
  multi: fc
    .record({
      type: MULTI_TYPE,
      boundary: fc.option(boundary, { nil: undefined, freq: 8 }),
      mismatched: fc.option(boundary, { nil: undefined, freq: 1 }),
      extra: extraHeaders,
      preamble: fc.oneof(fc.constant(''), anyText),
      epilogue: fc.oneof(fc.constant(''), anyText),
      closed: fc.boolean(),
      children: fc.array(tie('part'), { maxLength: 4, depthIdentifier: 'mime' }),
    })
    .map(({ mismatched, ...m }): Multi => ({ kind: 'multi', ...m, written: mismatched ?? m.boundary ?? 'none' })),
}));

function headerLine([name, value]: [string, string], fold: boolean): string {
  const line = `${name}: ${value}`;
  return fold ? line.replace(/(.{40}) /g, '$1\r\n\t') : line;
}

function renderPart(p: Part, fold: boolean): Buffer {
  const headers: Array<[string, string]> = [];
  if (p.kind === 'leaf') {
    headers.push(['Content-Type', `${p.type}${p.charset !== undefined ? `; charset=${p.charset}` : ''}${p.filename !== undefined ? `; name="${p.filename}"` : ''}`]);
    if (p.encoding !== undefined) headers.push(['Content-Transfer-Encoding', p.encoding]);
    if (p.disposition !== undefined) headers.push(['Content-Disposition', `${p.disposition}${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`]);
  } else {
    headers.push(['Content-Type', `${p.type}${p.boundary !== undefined ? `; boundary="${p.boundary}"` : ''}`]);
  }
  headers.push(...p.extra);
  const head = Buffer.from(`${headers.map((h) => headerLine(h, fold)).join('\r\n')}\r\n\r\n`);
  if (p.kind === 'leaf') return Buffer.concat([head, p.body]);
  const pieces: Buffer[] = [head, Buffer.from(p.preamble ? `${p.preamble}\r\n` : '')];
  for (const child of p.children) pieces.push(Buffer.from(`--${p.written}\r\n`), renderPart(child, fold), Buffer.from('\r\n'));
  if (p.closed) pieces.push(Buffer.from(`--${p.written}--\r\n`));
  pieces.push(Buffer.from(p.epilogue));
  return Buffer.concat(pieces);
}

const topHeaders = fc.record(
  {
    From: fromValue,
    To: fromValue,
    Cc: fromValue,
    Subject: headerText,
    'Message-ID': messageIdValue,
    'In-Reply-To': messageIdValue,
    References: messageIdValue,
    Date: fc.oneof(fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'not a date' : d.toUTCString())), anyText),
    'Auto-Submitted': fc.oneof(fc.constantFrom('no', 'auto-replied', 'auto-generated (x)', 'NO'), anyText),
    'X-Autoreply': fc.constantFrom('yes', 'no', 'false', '0', ''),
    Precedence: fc.constantFrom('bulk', 'auto_reply', 'auto-reply', 'list', 'junk'),
    'MIME-Version': fc.constantFrom('1.0', '2.0', '', '1.0 (produced by x)'),
  },
  { requiredKeys: [] },
);

/** Ways a message is damaged on the way: cut short, bytes flipped, junk inserted, line ends changed. */
type Damage =
  | { kind: 'none' | 'lf-only' | 'cr-only' | 'no-blank-line' }
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number[]; xor: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Damage>({ kind: 'none' }) },
  { weight: 1, arbitrary: fc.constantFrom<Damage>({ kind: 'lf-only' }, { kind: 'cr-only' }, { kind: 'no-blank-line' }) },
  { weight: 2, arbitrary: fc.nat().map((at): Damage => ({ kind: 'truncate', at })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), xor: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 50 }) }) },
);

function damaged(source: Buffer, how: Damage): Buffer {
  switch (how.kind) {
    case 'none':
      return source;
    case 'lf-only':
      return Buffer.from(source.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    case 'cr-only':
      return Buffer.from(source.toString('latin1').replace(/\r\n/g, '\r'), 'latin1');
    case 'no-blank-line':
      return Buffer.from(source.toString('latin1').replace(/\r\n\r\n/g, '\r\n'), 'latin1');
    case 'truncate':
      return source.subarray(0, source.length ? how.at % source.length : 0);
    case 'flip': {
      const copy = Buffer.from(source);
      for (const at of how.at) if (copy.length) copy[at % copy.length] = copy[at % copy.length]! ^ how.xor;
      return copy;
    }
    case 'insert': {
      const at = source.length ? how.at % source.length : 0;
      return Buffer.concat([source.subarray(0, at), how.bytes, source.subarray(at)]);
    }
  }
}

const message = fc
  .record({ headers: topHeaders, extra: extraHeaders, root: part, fold: fc.boolean(), latin1: fc.boolean(), damage })
  .map(({ headers, extra, root, fold, latin1, damage: how }) => {
    const top = [...Object.entries(headers), ...extra].map((h) => headerLine(h as [string, string], fold)).join('\r\n');
    // Header bytes as UTF-8 (RFC 6532) or as Latin-1 (8-bit junk, as old mailers send it).
    const source = Buffer.concat([Buffer.from(`${top}\r\n`, latin1 ? 'latin1' : 'utf8'), renderPart(root, fold)]);
    return damaged(source, how);
  });

/** What a mailbox hands over: the bytes, the size the server reports, the time it says it arrived. */
const delivery = fc.record({
  settings: fc.constantFrom(SETTINGS, TIGHT),
  reportedExtra: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -100, max: 50_000_000 }) }),
  receivedAt: fc.oneof({ weight: 4, arbitrary: fc.constant(ARRIVED) }, { weight: 1, arbitrary: fc.date({ noInvalidDate: false }) }),
});

// ---------------------------------------------------------------------------------------------

describe('readMail under fuzzing', () => {
  it('reads arbitrary bytes without throwing, keeping what it cannot read raw, the same way twice', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 2_000 }),
      fc.string({ unit: 'binary', maxLength: 500 }).map((s) => new TextEncoder().encode(s)),
      fc.tuple(fc.constantFrom('From: a@example.org\r\n', 'From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n', 'Content-Type: text/html\r\n\r\n'), fc.uint8Array({ maxLength: 1_000 })).map(([head, rest]) => Buffer.concat([Buffer.from(head), rest])),
    );
    await fc.assert(
      fc.asyncProperty(bytes, delivery, async (b, { settings, reportedExtra, receivedAt }) => {
        const source = Buffer.from(b);
        const mail = fetched(source, Math.max(0, source.length + reportedExtra), receivedAt);
        const first = await readChecked(mail, settings);
        const second = await readMail(mail, settings, NOW);
        // A redelivery must be recognised as the same message.
        expect(second.type).toBe(first.type);
        if (first.type === 'message' && second.type === 'message') {
          expect(second.message.externalId).toBe(first.message.externalId);
          expect((second.message.raw as { fingerprint: string }).fingerprint).toBe((first.message.raw as { fingerprint: string }).fingerprint);
        }
      }),
      { ...runs(1_000), examples: [[new Uint8Array(0), { settings: SETTINGS, reportedExtra: 0, receivedAt: ARRIVED }]] },
    );
  }, TIMEOUT);

  it('reads generated MIME trees (bogus charsets and encodings, broken boundaries), truncated and garbled, to the contract', async () => {
    await fc.assert(
      fc.asyncProperty(message, delivery, async (source, { settings, reportedExtra, receivedAt }) => {
        await readChecked(fetched(source, Math.max(0, source.length + reportedExtra), receivedAt), settings);
      }),
      runs(1_000),
    );
  }, TIMEOUT);

  it('reads huge and numerous headers, and header blocks that never end, to the contract, in bounded time', async () => {
    const name = fc.constantFrom('Subject', 'From', 'To', 'Cc', 'Reply-To', 'References', 'REFERENCES', 'References ', 'In-Reply-To', 'Message-ID', 'Received', 'List-Id', 'List-Unsubscribe', 'Content-Type', 'Content-Disposition', 'Date', 'X-Junk');
    const eol = fc.constantFrom('\r\n', '\n', '\r');
    const hostileHead = fc.oneof(
      // One huge header, around mailparser's 1 MB cap for a header block.
      fc.tuple(name, fc.integer({ min: 1_000, max: 1_100_000 }), fc.constantFrom('x', 'é', '=?utf-8?B?w6k=?= ', '<a@b> ', 'a@b, ', ' \r\n ', '\u0000', '"', '('), eol)
        .map(([n, size, unit, end]) => `${n}: ${unit.repeat(Math.ceil(size / unit.length))}${end}`),
      // The same header many times over, up to that cap.
      fc.tuple(name, fc.constantFrom('a', '<a@b>', 'a@b', '=?utf-8?Q?a?=', ''), fc.integer({ min: 1_000, max: 80_000 }), eol)
        .map(([n, value, count, end]) => `${n}:${value}${end}`.repeat(count)),
      fc.tuple(fc.integer({ min: 1_000, max: 60_000 }), fc.constantFrom('X-A: b\r\n', 'Received: from x by y\r\n', ':\r\n', 'no colon\r\n')).map(([n, line]) => line.repeat(n)),
      // A header block that never ends, past the 256 KB read for header facts.
      fc.integer({ min: 10_000, max: 400_000 }).map((n) => `Subject: ${'y'.repeat(n)}`),
    );
    await fc.assert(
      fc.asyncProperty(hostileHead, fc.constantFrom('\r\nbody\r\n', '', '\r\n'), async (head, tail) => {
        const source = Buffer.from(`From: "Sender" <someone@example.org>\r\n${head}${tail}`);
        await readChecked(fetched(source));
      }),
      {
        ...runs(80),
        // Found by this property: 40,000 References headers took mailparser 3 to 5 s (just under 1 MB of them, 17 s),
        // and a 450 KB Reply-To of bare-CR-separated "Reply-To:a" (nested groups to it) 3 s.
        examples: [['References: <a@b>\r\n'.repeat(40_000), '\r\nbody\r\n'], ['References:a\n'.repeat(75_000), ''], [`Reply-To:${'a\rReply-To:'.repeat(45_000)}a\r\n`, '\r\nbody\r\n']],
      },
    );
  }, TIMEOUT);

  it('reads a flood of References headers quickly: under the 128 KB header cap parsed, over it kept raw with the reason', async () => {
    const flood = (lines: number) => Buffer.from(`From: Someone <someone@example.org>\r\nSubject: flood\r\n${'References:a\r\n'.repeat(lines)}\r\nthe body text\r\n`);
    for (const [lines, parseError] of [
      [9_000, undefined],
      [70_000, 'the parser could not read it (Max header size for a MIME node exceeded)'],
    ] as const) {
      const started = performance.now();
      const event = await readChecked(fetched(flood(lines)));
      expect(performance.now() - started).toBeLessThan(1_000);
      const m = (event as Extract<InboundEvent, { type: 'message' }>).message;
      expect(m).toMatchObject({ parseError, author: { externalId: 'someone@example.org' }, subject: 'flood', text: 'the body text' });
    }
  }, TIMEOUT);

  it('reads multiparts and attached messages nested thousands deep to the contract', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3_000 }), fc.constantFrom('multipart', 'rfc822', 'mixed'), fc.boolean(), async (depth, how, closed) => {
        let inner = 'Content-Type: text/plain\r\n\r\nthe innermost text\r\n';
        for (let i = depth; i > 0; i--) {
          const nestMessage = how === 'rfc822' || (how === 'mixed' && i % 2 === 0);
          inner = nestMessage
            ? `Content-Type: message/rfc822\r\n\r\nFrom: level${i}@example.org\r\n${inner}`
            : `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${inner}\r\n${closed ? `--b${i}--\r\n` : ''}`;
        }
        await readChecked(fetched(Buffer.from(`From: someone@example.org\r\nSubject: deep\r\n${inner}`)));
      }),
      runs(40),
    );
  }, TIMEOUT);

  it('keeps a message from our own address out, however the From is written', async () => {
    const ours = fc.constantFrom(OURS, OURS.toUpperCase(), `"Comms" <${OURS}>`, `=?utf-8?Q?Comms?= <${OURS}>`, `Team: ${OURS};`);
    await fc.assert(
      fc.asyncProperty(ours, fc.oneof(fc.constant(''), anyText), async (from, body) => {
        const event = await readChecked(fetched(Buffer.from(`From: ${from}\r\nSubject: out of office\r\n\r\n${body}`)));
        expect(event.type).toBe('ignored');
      }),
      runs(100),
    );
  }, TIMEOUT);
});

describe('unreadableMail under fuzzing: the fallback that must not fail', () => {
  it('always gives a flagged message with the bytes kept, clean text and no author', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 3_000 }).map((b) => Buffer.from(b)), message), delivery, anyText, (source, { settings, reportedExtra, receivedAt }, reason) => {
        const mail = fetched(source, Math.max(0, source.length + reportedExtra), receivedAt);
        const m = unreadableMail(mail, settings, reason, NOW);
        expect(m.author).toBeNull();
        expect(m.externalId).toMatch(MESSAGE_ID);
        expectCleanText(m.text, 50_000, 'text');
        expect(typeof m.parseError).toBe('string');
        expectCleanLine(m.parseError, 500, 'parseError');
        const read = Math.min(source.length, settings.maxMessageBytes);
        const raw = m.raw as { source: string; sourceTruncated: boolean };
        expect(Buffer.from(raw.source, 'base64').equals(source.subarray(0, read))).toBe(true);
        expect(raw.sourceTruncated).toBe(Math.max(mail.size, source.length) > read);
        expect(m.receivedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      }),
      runs(1_000),
    );
  }, TIMEOUT);
});

describe('character references in HTML mail under fuzzing', () => {
  it('decodes a reference to at most the characters it was written with, never to something longer', () => {
    const reference = fc.oneof(
      fc.stringMatching(/^&[a-zA-Z][a-zA-Z0-9]{1,31};?$/),
      fc.stringMatching(/^&#[0-9]{1,7};?$/),
      fc.stringMatching(/^&#[xX][0-9a-fA-F]{1,6};?$/),
      fc.constantFrom('&constructor;', '&toString;', '&hasOwnProperty;', '&valueOf;', '&isPrototypeOf;', '&propertyIsEnumerable;', '&toLocaleString;', '&amp;', '&nbsp;'),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(reference, fc.string({ maxLength: 4 })), { maxLength: 20 }), (pieces) => {
        const html = pieces.join('');
        const text = decodeEntities(html);
        expect(text.length).toBeLessThanOrEqual(html.length);
        expect(text).not.toContain('[native code]');
      }),
      // Found by this property: "&constructor;" became "function Object() { [native code] }".
      { ...runs(2_000), examples: [[['&constructor;']], [['Dear ', '&toString;', ' &hasOwnProperty;']]] },
    );
  }, TIMEOUT);
});
