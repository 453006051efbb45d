import { jest } from '@jest/globals';
import type { email } from '@desk/channels';
import type { IngestSettings } from '@desk/config';
import type { InboundEvent, InboundMessage } from '@desk/domain';
import type { ApplyOutcome, InboundService } from '../inbound.service.js';
import { MailStore } from './mail-store.js';
import type { StoredMail } from './stored-mail.js';

const settings = {
  mail: { driver: 'fake', imap: {}, spoolDir: '', ownAddresses: ['comms@trust.example'], attachmentCapBytes: 1_000, maxMessageBytes: 100_000 },
} as unknown as IngestSettings;

function mail(source: string): email.FetchedMail {
  return { source: Buffer.from(source), size: source.length, receivedAt: new Date('2026-11-20T09:00:00Z'), origin: { kind: 'spool', file: 'a.eml' } };
}

const SOURCE = 'From: a@example.org\r\nSubject: Hello\r\nMessage-ID: <m1@example.org>\r\n\r\nBody\r\n';

function setup(apply: (events: InboundEvent[]) => Promise<ApplyOutcome[]>, stored?: { fingerprint: string | null }) {
  const inbound = { apply: jest.fn(apply) };
  const find = jest.fn(async () => stored);
  return { inbound, find, store: new MailStore(settings, inbound as unknown as InboundService, { find } as unknown as StoredMail) };
}

const created: ApplyOutcome[] = [{ event: 'message', itemId: 'item-1', created: true, queued: true }];
const messageOf = (events: InboundEvent[]) => (events[0] as { message: InboundMessage }).message;

describe('MailStore', () => {
  it('stores a message under its Message-ID', async () => {
    const { inbound, store } = setup(async () => created);
    await store.store(mail(SOURCE));
    expect(messageOf(inbound.apply.mock.calls[0]![0])).toMatchObject({ externalId: '<m1@example.org>', subject: 'Hello', text: 'Body' });
  });

  it('gives a different message reusing a stored Message-ID an id of its own', async () => {
    const { inbound, store } = setup(async () => created, { fingerprint: 'someone-elses' });
    await store.store(mail(SOURCE));
    expect(messageOf(inbound.apply.mock.calls[0]![0]).externalId).toMatch(/^<m1@example\.org>#[0-9a-f]{32}$/);
  });

  it('stores the message raw and flagged when the database refuses what was read', async () => {
    let calls = 0;
    const { inbound, store } = setup(async () => {
      if (calls++ === 0) throw Object.assign(new Error('invalid byte sequence for encoding "UTF8"'), { code: '22021' });
      return created;
    });
    await store.store(mail(SOURCE));
    expect(inbound.apply).toHaveBeenCalledTimes(2);
    const reduced = messageOf(inbound.apply.mock.calls[1]![0]);
    expect(reduced.parseError).toMatch(/^stored raw: the database refused the message as read \(invalid byte sequence/);
    expect(Buffer.from((reduced.raw as { source: string }).source, 'base64').toString()).toBe(SOURCE);
    expect(reduced.externalId).toBe('<m1@example.org>');
  });

  it('lets other failures through, so the mailbox retries without advancing', async () => {
    const { inbound, store } = setup(async () => {
      throw Object.assign(new Error('connection terminated'), { code: 'ECONNRESET' });
    });
    await expect(store.store(mail(SOURCE))).rejects.toThrow('connection terminated');
    expect(inbound.apply).toHaveBeenCalledTimes(1);
  });

  it('passes mail from our own address on as ignored', async () => {
    const { inbound, store } = setup(async () => [{ event: 'ignored', created: false, queued: false }]);
    await store.store(mail(SOURCE.replace('a@example.org', 'Comms@Trust.example')));
    expect(inbound.apply.mock.calls[0]![0]).toEqual([{ type: 'ignored', reason: 'sent from our own address', externalId: '<m1@example.org>' }]);
  });
});
