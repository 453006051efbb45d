import { jest } from '@jest/globals';
import { simpleParser } from 'mailparser';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { email, OutboundFailure, type OutgoingMail } from '@desk/channels';
import { SmtpSink } from './fakes/smtp-sink.js';
import { startDovecot, type Dovecot, type ImapTestClient } from './support/dovecot.js';
import { portAnswers } from './support/ports.js';

// Outbound email end to end: the SMTP mailer against a real SMTP server (the sink), which files a
// copy of what it accepts in a Sent mailbox on the test Dovecot, as Gmail and Microsoft 365 do.
const SMTP_PORT = 4480;
const OPEN_SMTP_PORT = 4481;
/** Nothing listens here: a mail server that is down. */
const CLOSED_PORT = 4489;
const SENT = 'Sent';
const OPEN_SENT = 'Sent Items';
const SMTP_USER = 'desk-smtp';
const SMTP_PASSWORD = 'correct horse battery staple';
const FROM = '"Communications team" <communications@trust.example.nhs.uk>';
const TRUST = 'Northvale NHS Foundation Trust';
const DOMAIN = 'trust.example.nhs.uk';

// Each accepted message is filed in Dovecot, whose logins can be slowed after a failed one.
jest.setTimeout(20_000);

let dovecot: Dovecot;
let imap: ImapTestClient;
let sink: SmtpSink;
let openSink: SmtpSink;
let outboxDir: string;
let outboundSeq = 0;

const nextMessageId = () => email.outboundMessageId(`e2e-${process.pid}-${++outboundSeq}`, DOMAIN);

function mailer(overrides: Partial<email.SmtpSettings> = {}): email.SmtpMailer {
  return new email.SmtpMailer({
    host: '127.0.0.1',
    port: SMTP_PORT,
    secure: false,
    user: SMTP_USER,
    password: SMTP_PASSWORD,
    timeoutMs: 10_000,
    sentMailbox: {
      imap: { host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password },
      mailbox: SENT,
    },
    ...overrides,
  });
}

function reply(messageId = nextMessageId()): OutgoingMail {
  return email.composeReply({
    original: {
      messageId: '<CAF=original-1@mail.example.org>',
      references: ['<thread-start@mail.example.org>'],
      subject: 'Parking at Riverside',
      text: 'Why does parking cost £5 <b>an hour</b>?',
      receivedAt: new Date('2026-11-20T09:00:00Z'),
    },
    to: { address: 'jane.smith@example.org', name: 'Jane Smith' },
    from: FROM,
    messageId,
    body: 'Dear Jane,\n\nThank you for your message about <script>alert(1)</script> parking.\nWe have passed it on.',
    signer: { name: 'Alice Brown', initials: 'AB' },
    trustName: TRUST,
  });
}

function pressForward(messageId = nextMessageId()): OutgoingMail {
  return email.composePressForward({
    reference: 'MED-2026-0042',
    from: FROM,
    to: ['"Press office" <press.office@trust.example.nhs.uk>'],
    messageId,
    trustName: TRUST,
    item: {
      channel: 'email',
      author: { name: 'Hannah Cole', email: 'hannah.cole@northvaleecho.co.uk' },
      subject: 'A&E waits on Saturday night',
      text: "Could you provide a statement? We're hoping to run this in tomorrow's edition so I'd need anything by 4pm today.\n\nThanks,\nHannah Cole\nSenior Reporter, Northvale Echo",
      receivedAt: new Date('2026-11-20T10:15:00Z'),
    },
    dueAt: new Date('2026-11-23T16:30:00Z'),
  });
}

async function failureOf(promise: Promise<unknown>): Promise<OutboundFailure> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof OutboundFailure)) throw new Error(`expected an OutboundFailure, got ${outcome === undefined ? 'success' : String(outcome)}`);
  return outcome;
}

/** No further message arrives within a short while (the sender did not retry on its own). */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
}

beforeAll(async () => {
  dovecot = await startDovecot();
  imap = await dovecot.client();
  await imap.create(SENT);
  const saveToSent = { host: dovecot.host, port: dovecot.port, user: dovecot.user, password: dovecot.password, mailbox: SENT };
  sink = await SmtpSink.start({ port: SMTP_PORT, users: { [SMTP_USER]: SMTP_PASSWORD }, saveToSent });
  // Its Sent mailbox does not exist yet: the sink creates it on first use, as providers always have one.
  openSink = await SmtpSink.start({ port: OPEN_SMTP_PORT, saveToSent: { ...saveToSent, mailbox: OPEN_SENT } });
  outboxDir = mkdtempSync(join(tmpdir(), 'desk-outbox-e2e-'));
}, 60_000);

afterEach(() => {
  sink.reset();
  openSink.reset();
});

afterAll(async () => {
  await sink?.stop();
  await openSink?.stop();
  await imap?.logout();
  await dovecot?.stop();
  if (outboxDir) rmSync(outboxDir, { recursive: true, force: true });
});

describe('SmtpMailer', () => {
  it('sends a composed reply: the server receives exactly that message, threaded and escaped', async () => {
    const mail = reply();
    const sent = await mailer().send(mail);
    expect(sent.providerId).toBe(mail.messageId);
    expect(sent.response).toMatchObject({ accepted: ['jane.smith@example.org'], rejected: [] });
    expect((sent.response as { response: string }).response).toMatch(/^250 /);

    const [received] = await sink.waitFor(1);
    await settle();
    expect(sink.messages).toHaveLength(1);
    expect(sink.logins).toEqual([{ user: SMTP_USER, ok: true }]);
    expect(received!.user).toBe(SMTP_USER);
    expect(received!.envelope).toEqual({ from: 'communications@trust.example.nhs.uk', to: ['jane.smith@example.org'] });
    expect(received!.from).toContain('communications@trust.example.nhs.uk');
    expect(received!.to).toEqual(['jane.smith@example.org']);
    expect(received!.subject).toBe('Re: Parking at Riverside');
    expect(received!.messageId).toBe(mail.messageId);
    expect(received!.inReplyTo).toBe('<CAF=original-1@mail.example.org>');
    expect(received!.references).toEqual(['<thread-start@mail.example.org>', '<CAF=original-1@mail.example.org>']);
    expect(received!.text).toContain('Thank you for your message about <script>alert(1)</script> parking.');
    expect(received!.text).toContain('Alice Brown – AB\nCommunications team, Northvale NHS Foundation Trust');
    expect(received!.text).toContain('> Why does parking cost £5 <b>an hour</b>?');
    expect(received!.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(received!.html).toContain('£5 &lt;b&gt;an hour&lt;/b&gt;');
    expect(received!.html).not.toMatch(/<script|<b>/i);
  });

  it('finds what it sent in the Sent mailbox, and nothing it did not send', async () => {
    const mail = reply();
    const smtp = mailer();
    expect(await smtp.findSent(mail.messageId)).toBe(false);
    await smtp.send(mail);
    expect(await smtp.findSent(mail.messageId)).toBe(true);
    expect(await smtp.findSent(nextMessageId())).toBe(false);
    // SEARCH HEADER matches substrings: a hit whose Message-ID only contains the one asked for is another message.
    expect(await smtp.findSent(mail.messageId.replace('<', '<x'))).toBe(false);
    expect(await smtp.findSent(mail.messageId.slice(2, -1))).toBe(false);
  });

  it('a wrong password is a permanent 535, and nothing is sent', async () => {
    const failure = await failureOf(mailer({ password: 'wrong password' }).send(reply()));
    expect(failure.kind).toBe('permanent');
    expect(failure.maybeDelivered).toBe(false);
    expect(failure.error).toMatchObject({ provider: 'smtp', status: 535, code: '5.7.8' });
    expect(failure.error.message).toMatch(/bad credentials/);
    expect(failure.error.message).not.toContain('wrong password');
    expect(sink.logins).toEqual([{ user: SMTP_USER, ok: false }]);
    await settle();
    expect(sink.messages).toHaveLength(0);
  });

  it('a 450 to DATA is transient and certainly not delivered; the next attempt goes through once', async () => {
    sink.failNext({ code: 450, message: '4.2.1 Mailbox temporarily unavailable' });
    const mail = reply();
    const failure = await failureOf(mailer().send(mail));
    expect(failure.kind).toBe('transient');
    expect(failure.maybeDelivered).toBe(false);
    expect(failure.error).toMatchObject({ status: 450, code: '4.2.1' });
    expect(sink.messages).toHaveLength(0);

    await mailer().send(mail);
    await sink.waitFor(1);
    await settle();
    expect(sink.messages.map((m) => m.messageId)).toEqual([mail.messageId]);
  });

  it('a 550 to the only recipient is permanent', async () => {
    sink.failNext({ code: 550, message: '5.1.1 No such user here', at: 'rcpt' });
    const failure = await failureOf(mailer().send(reply()));
    expect(failure.kind).toBe('permanent');
    expect(failure.maybeDelivered).toBe(false);
    expect(failure.error).toMatchObject({ status: 550, code: '5.1.1' });
    expect(failure.error.message).toMatch(/refused the recipient/);
    await settle();
    expect(sink.messages).toHaveLength(0);
  });

  it('no answer after the message was handed over may hide a delivery, and the Sent mailbox settles it', async () => {
    const accepted: string[] = [];
    sink.onAccepted = (message) => void accepted.push(message.messageId ?? '');
    sink.holdResponses();
    const mail = reply();
    const failure = await failureOf(mailer({ timeoutMs: 1_500 }).send(mail));
    expect(failure.kind).toBe('transient');
    expect(failure.maybeDelivered).toBe(true);
    expect(accepted).toEqual([mail.messageId]);
    expect(await mailer().findSent(mail.messageId)).toBe(true);
  });

  it('a server that is down is transient and certainly not delivered', async () => {
    expect(await portAnswers(CLOSED_PORT)).toBe(false);
    const failure = await failureOf(mailer({ port: CLOSED_PORT }).send(reply()));
    expect(failure.kind).toBe('transient');
    expect(failure.maybeDelivered).toBe(false);
    expect(failure.error.code).toBe('ECONNREFUSED');
  });

  it('sends without logging in to a server that offers no AUTH', async () => {
    const mail = reply();
    await mailer({ port: OPEN_SMTP_PORT, user: undefined, password: undefined }).send(mail);
    const [received] = await openSink.waitFor(1);
    expect(received!.messageId).toBe(mail.messageId);
    expect(received!.user).toBeUndefined();
    expect((await imap.status(OPEN_SENT)).messages).toBe(1);
  });

  it('forwards a media enquiry with its reference header, and Reply-To the journalist', async () => {
    const mail = pressForward();
    await mailer().send(mail);
    const [received] = await sink.waitFor(1);
    expect(received!.envelope.to).toEqual(['press.office@trust.example.nhs.uk']);
    expect(received!.headers.get('x-desk-reference')).toBe('MED-2026-0042');
    expect(received!.replyTo).toContain('hannah.cole@northvaleecho.co.uk');
    expect(received!.subject).toBe(
      '[MED-2026-0042] Media enquiry from Hannah Cole (Northvale Echo) – their deadline "by 4pm today" – due Mon 23 Nov 16:30',
    );
    expect(received!.text).toMatch(/^Outlet: +Northvale Echo$/m);
    expect(received!.text).toMatch(/^Received: +Fri 20 Nov 2026 10:15$/m);
    expect(received!.html).toContain('A&amp;E waits on Saturday night');
  });

  // Last: Dovecot slows every login from this address for a while after a failed one.
  it('cannot tell without a Sent mailbox, and says a failed check may hide a delivery', async () => {
    expect(await mailer({ sentMailbox: undefined }).findSent(nextMessageId())).toBeUndefined();
    const badImap = mailer({
      sentMailbox: { imap: { host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: 'wrong' }, mailbox: SENT },
    });
    const failure = await failureOf(badImap.findSent(nextMessageId()));
    expect(failure.kind).toBe('transient');
    expect(failure.maybeDelivered).toBe(true);
    expect(failure.error.provider).toBe('imap');
    expect(failure.error.message).not.toContain(dovecot.password);
  });
});

describe('OutboxMailer', () => {
  it('writes the same message as an .eml and finds it by Message-ID', async () => {
    const outbox = new email.OutboxMailer(outboxDir);
    const mail = pressForward();
    expect(await outbox.findSent(mail.messageId)).toBe(false);
    const sent = await outbox.send(mail);
    expect(sent.providerId).toBe(mail.messageId);
    expect(await outbox.findSent(mail.messageId)).toBe(true);
    expect(await outbox.findSent(nextMessageId())).toBe(false);

    const parsed = await simpleParser(readFileSync(join(outboxDir, email.outboxFileName(mail.messageId))));
    expect(parsed.messageId).toBe(mail.messageId);
    expect(parsed.subject).toBe(mail.subject);
    expect(parsed.headers.get('x-desk-reference')).toBe('MED-2026-0042');
    expect(parsed.replyTo?.value[0]?.address).toBe('hannah.cole@northvaleecho.co.uk');
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined).toBe('press.office@trust.example.nhs.uk');
  });
});
