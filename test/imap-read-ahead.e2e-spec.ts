import { email } from '@desk/channels';
import { startDovecot, type Dovecot, type ImapTestClient } from './support/dovecot.js';

// The IMAP mailbox against a real Dovecot with a sink of our own: how many messages it has in hand
// at once, and where its checkpoint stops when one of them can't be stored.
let dovecot: Dovecot;
let imap: ImapTestClient;

beforeAll(async () => {
  dovecot = await startDovecot();
  imap = await dovecot.client();
}, 60_000);

afterAll(async () => {
  await imap?.logout();
  await dovecot?.stop();
});

const silent: email.MailLog = { log: () => undefined, warn: () => undefined, error: () => undefined };

async function fill(mailbox: string, count: number): Promise<number[]> {
  await imap.create(mailbox);
  const uids: number[] = [];
  for (let i = 0; i < count; i++) {
    const source = [`From: p${i}@example.org`, 'To: comms@trust.example.nhs.uk', `Subject: Waiting ${i}`, `Message-ID: <${mailbox}-${i}@example.org>`, '', `Message ${i}`].join('\r\n');
    uids.push((await imap.append(mailbox, source)).uid);
  }
  return uids;
}

/** Reads the mailbox with `sink` until `done` says so, and returns the checkpoints it saved. */
async function read(mailbox: string, sink: email.MailSink, done: (saved: number[]) => boolean): Promise<number[]> {
  const saved: number[] = [];
  const box = new email.ImapMailbox({
    imap: { host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, mailbox },
    maxMessageBytes: 1024 * 1024,
    checkpoints: { load: async () => undefined, save: async (c) => void saved.push(c.lastUid) },
    sink,
    log: silent,
    backoff: { initialMs: 60_000, maxMs: 60_000 },
  });
  box.start();
  const deadline = Date.now() + 15_000;
  while (!done(saved) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await box.stop();
  return saved;
}

const subjectOf = (mail: email.FetchedMail) => /Subject: (.*)\r\n/.exec(mail.source.toString())![1];

describe('reading an IMAP mailbox', () => {
  it('hands waiting messages to the sink in UID order, several at a time, and checkpoints the last', async () => {
    const uids = await fill('ReadAhead', 40);
    const handed: string[] = [];
    let inHand = 0;
    let most = 0;
    const saved = await read(
      'ReadAhead',
      async (mail) => {
        handed.push(subjectOf(mail)!);
        most = Math.max(most, ++inHand);
        await new Promise((r) => setTimeout(r, 20));
        inHand--;
      },
      (s) => s.at(-1) === uids.at(-1),
    );
    expect(handed).toEqual(uids.map((_, i) => `Waiting ${i}`));
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(16);
    expect(saved.at(-1)).toBe(uids.at(-1));
    // Every checkpoint is a UID whose message, and all before it, were stored.
    expect(saved).toEqual([...saved].sort((a, b) => a - b));
  });

  it('stops its checkpoint before a message the sink could not store, though later ones were stored', async () => {
    const uids = await fill('ReadAheadFails', 10);
    const stored = new Set<string>();
    const saved = await read(
      'ReadAheadFails',
      async (mail) => {
        const subject = subjectOf(mail)!;
        // The fourth fails after the ones behind it are done, so they finish first.
        if (subject === 'Waiting 3') {
          await new Promise((r) => setTimeout(r, 200));
          throw new Error('refused');
        }
        stored.add(subject);
      },
      (s) => s.length > 0,
    );
    expect(stored.size).toBe(9);
    expect(saved).toEqual([uids[2]]);
  });
});
