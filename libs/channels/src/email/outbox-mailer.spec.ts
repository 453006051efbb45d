import { simpleParser } from 'mailparser';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutboundFailure, type OutgoingMail } from '../outbound/ports.js';
import { OutboxMailer, outboxFileName } from './outbox-mailer.js';

const mail: OutgoingMail = {
  messageId: '<out-7@trust.nhs.uk>',
  from: 'communications@trust.nhs.uk',
  to: ['press.office@trust.nhs.uk'],
  subject: '[MED-2026-0042] Media enquiry',
  text: 'Forwarded',
  html: '<p>Forwarded</p>',
  headers: { 'X-Desk-Reference': 'MED-2026-0042' },
};

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'desk-outbox-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('outboxFileName', () => {
  it('is safe, readable and distinct for ids that sanitise alike', () => {
    expect(outboxFileName('<out-7@trust.nhs.uk>')).toMatch(/^out-7@trust\.nhs\.uk-[0-9a-f]{12}\.eml$/);
    const traversal = outboxFileName('<../../etc/passwd@x>');
    expect(traversal).not.toMatch(/[/\\]|^\./);
    expect(traversal).toMatch(/_etc_passwd@x-[0-9a-f]{12}\.eml$/);
    expect(outboxFileName('<a/b@x>')).not.toBe(outboxFileName('<a_b@x>'));
  });
});

describe('OutboxMailer', () => {
  it('writes the message as an .eml named after its Message-ID, and finds it', async () => {
    const outbox = new OutboxMailer(join(dir, 'outbox'));
    expect(await outbox.findSent(mail.messageId)).toBe(false);
    const sent = await outbox.send(mail);
    expect(sent.providerId).toBe('<out-7@trust.nhs.uk>');
    const files = readdirSync(join(dir, 'outbox'));
    expect(files).toEqual([outboxFileName(mail.messageId)]);
    const parsed = await simpleParser(readFileSync(join(dir, 'outbox', files[0]!)));
    expect(parsed.messageId).toBe('<out-7@trust.nhs.uk>');
    expect(parsed.headers.get('x-desk-reference')).toBe('MED-2026-0042');
    expect(await outbox.findSent(mail.messageId)).toBe(true);
    expect(await outbox.findSent('<other@trust.nhs.uk>')).toBe(false);
  });

  it('replaces the file when the same Message-ID is sent again, leaving no temporary files', async () => {
    const outbox = new OutboxMailer(dir);
    await outbox.send(mail);
    await outbox.send({ ...mail, text: 'Second attempt' });
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(readFileSync(join(dir, files[0]!), 'utf8')).toContain('Second attempt');
  });

  it('fails without a usable folder, and nothing was sent', async () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, '');
    const failure = await new OutboxMailer(file).send(mail).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OutboundFailure);
    expect((failure as OutboundFailure).maybeDelivered).toBe(false);
    expect((failure as OutboundFailure).error.provider).toBe('local');
  });

  if (process.getuid?.() !== 0) {
    it('treats a folder it may not write to as permanent', async () => {
      chmodSync(dir, 0o500);
      const failure = (await new OutboxMailer(dir).send(mail).catch((e: unknown) => e)) as OutboundFailure;
      chmodSync(dir, 0o700);
      expect(failure.kind).toBe('permanent');
    });
  }
});
