import type { InboundEvent, InboundMessage } from '@desk/domain';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDistinctId } from './identity.js';
import { readMail } from './read-mail.js';
import type { FetchedMail, MailSettings } from './types.js';

const FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'mime');
const SETTINGS: MailSettings = { ownAddresses: ['comms@trust.example.nhs.uk'], attachmentCapBytes: 1024 * 1024, maxMessageBytes: 25 * 1024 * 1024 };
const ARRIVED = new Date('2026-11-20T09:30:00Z');
const NOW = new Date('2026-11-20T10:00:00Z');

function fetched(source: Buffer | string, extra: Partial<FetchedMail> = {}): FetchedMail {
  const bytes = Buffer.isBuffer(source) ? source : Buffer.from(source);
  return { source: bytes, size: bytes.length, receivedAt: ARRIVED, origin: { kind: 'imap', mailbox: 'INBOX', uidValidity: '7', uid: 42 }, ...extra };
}

function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

function message(event: InboundEvent): InboundMessage {
  if (event.type !== 'message') throw new Error(`expected a message, got ${event.type}`);
  return event.message;
}

async function read(source: Buffer | string, settings: MailSettings = SETTINGS, extra: Partial<FetchedMail> = {}): Promise<InboundMessage> {
  return message(await readMail(fetched(source, extra), settings, NOW));
}

function compose(headers: Record<string, string>, body = 'Hello.'): string {
  return [...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', body, ''].join('\r\n');
}

describe('readMail', () => {
  it('reads a plain message', async () => {
    const m = await read(fixture('plain_emails__basic_email.eml'));
    expect(m).toMatchObject({
      channel: 'email',
      externalId: '<6B7EC235-5B17-4CA8-B2B8-39290DEB43A3@test.lindsaar.net>',
      author: { externalId: 'test@lindsaar.net', handle: 'test@lindsaar.net', displayName: 'Mikel Lindsaar' },
      subject: 'Testing 123',
      threadSubject: 'testing 123',
      text: 'Plain email.\n\nHope it works well!\n\nMikel',
      kind: 'message',
      receivedAt: ARRIVED,
      attachments: [],
    });
    expect(m.parseError).toBeUndefined();
    expect(m.replyTo).toBeUndefined();
    const raw = m.raw as Record<string, unknown>;
    expect(raw).toMatchObject({ origin: { kind: 'imap', uid: 42, uidValidity: '7' }, headers: { subject: 'Testing 123' } });
    expect(raw.source).toBeUndefined();
  });

  it('lower-cases the sender address and keeps the name', async () => {
    const m = await read(compose({ From: '"Jane Public" <Jane.Public@Example.ORG>', Subject: 'Hi', 'Message-ID': '<a@b>' }));
    expect(m.author).toEqual({ externalId: 'jane.public@example.org', handle: 'jane.public@example.org', displayName: 'Jane Public' });
  });

  it('renders HTML-only mail as text without markup or style', async () => {
    const m = await read(fixture('error_emails__content_transfer_encoding_with_8bits.eml'));
    expect(m.text).toContain('PROVANTAGE.COM : The Original Advantage');
    expect(m.text).not.toMatch(/<\/?[a-z]/i);
    expect(m.text).not.toContain('A:visited');
    expect(m.parseError).toBeUndefined();
  });

  it('never shows script content and caps the text', async () => {
    const html = `<html><body><p>Dear team,</p><script>stealCookies()</script><style>p{color:red}</style><p>${'word '.repeat(30_000)}</p></body></html>`;
    const m = await read(compose({ From: 'a@example.org', Subject: 'x', 'Content-Type': 'text/html; charset=utf-8' }, html));
    expect(m.text.startsWith('Dear team,')).toBe(true);
    expect(m.text).not.toContain('stealCookies');
    expect(m.text).not.toContain('color:red');
    expect(m.text.length).toBeLessThanOrEqual(50_000);
    expect(m.text).toMatch(/more characters not shown\]$/);
  });

  it('keeps attachment metadata always and content only within the cap', async () => {
    const source = fixture('attachment_emails__attachment_pdf.eml');
    const kept = await read(source);
    expect(kept.attachments).toHaveLength(1);
    const pdf = kept.attachments![0]!;
    expect(pdf).toMatchObject({ filename: 'broken.pdf', contentType: 'application/pdf' });
    expect(pdf.size).toBeGreaterThan(1000);
    expect(Buffer.from(pdf.content!).subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.content!.length).toBe(pdf.size);

    const capped = await read(source, { ...SETTINGS, attachmentCapBytes: pdf.size - 1 });
    expect(capped.attachments![0]).toEqual({ filename: 'broken.pdf', contentType: 'application/pdf', size: pdf.size, content: undefined });
  });

  it.each(['bounce.eml', 'delivery-status.eml', 'arf.eml', 'multipart_report_emails__multi_address_bounce1.eml', 'multipart_report_emails__multipart_report_multiple_status.eml', 'multipart_report_emails__report_422.eml', 'multipart_report_emails__report_530.eml'])(
    'recognises %s as a bounce',
    async (file) => {
      const m = await read(fixture(file));
      expect(m.kind).toBe('bounce');
      expect(m.parseError).toBeUndefined();
    },
  );

  it('recognises bounces by their sender alone', async () => {
    expect((await read(compose({ From: 'Postmaster <POSTMASTER@mx.example.org>', Subject: 'Delivery failure' }))).kind).toBe('bounce');
  });

  it.each([
    ['Auto-Submitted', 'auto-replied'],
    ['Auto-Submitted', 'auto-generated; type=vacation'],
    ['X-Autoreply', 'yes'],
    ['X-Autorespond', 'Out of office'],
    ['Precedence', 'auto_reply'],
  ])('recognises an auto-reply by %s: %s', async (name, value) => {
    expect((await read(compose({ From: 'erin@example.org', Subject: 'Out of office', [name]: value }))).kind).toBe('auto_reply');
  });

  it('treats Auto-Submitted: no as a person writing', async () => {
    expect((await read(compose({ From: 'erin@example.org', Subject: 'Re: hello', 'Auto-Submitted': 'no' }))).kind).toBe('message');
  });

  it('reads the threading headers, nearest first', async () => {
    const m = await read(fixture('rfc2822__example07.eml'));
    expect(m.replyTo).toEqual(['<3456@example.net>', '<1234@local.machine.example>']);
    expect(m.threadSubject).toBe('saying hello');
  });

  it('reads broken threading headers: bare ids, and spaces inside brackets removed', async () => {
    const m = await read(compose({ From: 'a@example.org', Subject: 's', 'In-Reply-To': 'someone@yahoo.com', References: '<x@y> <bad id> <z@w>' }));
    expect(m.replyTo).toEqual(['<someone@yahoo.com>', '<z@w>', '<badid>', '<x@y>']);
  });

  it('stores mail the parser cannot read, with its bytes and the text that could be salvaged', async () => {
    // More MIME parts than the parser accepts: it rejects the message.
    const parts = Array.from({ length: 1_100 }, (_, i) => `--p\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join('');
    const source = compose({ From: 'frank@example.org', Subject: 'Many parts', 'Message-ID': '<many@example.org>', 'Content-Type': 'multipart/mixed; boundary=p' }, `${parts}--p--`);
    const m = await read(source);
    expect(m.parseError).toMatch(/^the parser could not read it \(Max allowed child nodes exceeded\)/);
    expect(m.externalId).toBe('<many@example.org>');
    expect(Buffer.from((m.raw as { source: string }).source, 'base64').toString()).toBe(source);
    expect(m.text).toContain('part 1099');
    expect(m.subject).toBe('Many parts');
  });

  it('flags mail without a readable sender, keeping its bytes', async () => {
    const source = fixture('error_emails__bad_encoded_subject.eml');
    const m = await read(source);
    expect(m.author).toBeNull();
    expect(m.parseError).toBe('no readable sender (From)');
    expect(Buffer.from((m.raw as { source: string }).source, 'base64').equals(source)).toBe(true);
    expect(m.text).toBe('TEST');
  });

  it('flags a message over the size limit and keeps only its start', async () => {
    const source = compose({ From: 'a@example.org', Subject: 'Big', 'Message-ID': '<big@example.org>' }, 'x'.repeat(10_000));
    const m = message(await readMail({ ...fetched(source.slice(0, 200)), size: source.length }, { ...SETTINGS, maxMessageBytes: 200 }, NOW));
    expect(m.parseError).toMatch(/over the 200-byte limit/);
    expect(Buffer.from((m.raw as { source: string }).source, 'base64')).toHaveLength(200);
    expect(m.externalId).toBe('<big@example.org>');
  });

  it('ignores mail from our own addresses', async () => {
    const event = await readMail(fetched(compose({ From: 'Comms <Comms@Trust.example.nhs.uk>', Subject: 'Newsletter', 'Message-ID': '<n@trust>' })), SETTINGS, NOW);
    expect(event).toEqual({ type: 'ignored', reason: 'sent from our own address', externalId: '<n@trust>' });
  });

  it('never dates a message after now', async () => {
    const m = await read(compose({ From: 'a@example.org', Subject: 'x' }), SETTINGS, { receivedAt: new Date('2030-01-01T00:00:00Z') });
    expect(m.receivedAt).toEqual(NOW);
  });

  it('gives mail without a Message-ID a stable id from its bytes', async () => {
    const crlf = compose({ From: 'a@example.org', Subject: 'No id' });
    const first = await read(crlf);
    const again = await read(crlf.replace(/\r\n/g, '\n'));
    const other = await read(compose({ From: 'a@example.org', Subject: 'No id either' }));
    expect(first.externalId).toMatch(/^<sha256\.[0-9a-f]{64}@no-message-id\.invalid>$/);
    expect(again.externalId).toBe(first.externalId);
    expect(other.externalId).not.toBe(first.externalId);
  });

  it('tells a redelivery from a different message reusing the Message-ID', async () => {
    const pdf = await read(fixture('attachment_emails__attachment_pdf.eml'));
    const pdfLf = await read(fixture('attachment_emails__attachment_pdf_lf.eml'));
    const other = await read(fixture('attachment_emails__attachment_pdf_non_ascii.eml'));
    const stored = { fingerprint: (pdf.raw as { fingerprint: string }).fingerprint };
    expect(withDistinctId(pdf, undefined).externalId).toBe('<xxxx@xxxx.com>');
    expect(withDistinctId(pdfLf, stored).externalId).toBe('<xxxx@xxxx.com>');
    expect(withDistinctId(other, stored).externalId).toBe(`<xxxx@xxxx.com>#${(other.raw as { fingerprint: string }).fingerprint}`);
  });
});
