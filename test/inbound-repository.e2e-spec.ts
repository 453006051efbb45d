import { randomUUID } from 'node:crypto';
import type { InboundMessage } from '@desk/domain';
import pg from 'pg';
import { createDataSource, InboundRepository } from '@desk/persistence';
import { TEST_DATABASE_URL } from './support/test-env.js';

const db = createDataSource({ url: TEST_DATABASE_URL, poolSize: 4 });
const repo = new InboundRepository(db);

/** Every statement any pg client sends while `statementsFor` runs, BEGIN and COMMIT included: each is a round trip. */
let sent: string[] | undefined;
const query = pg.Client.prototype.query;
function counting(this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text: string };
  sent?.push(typeof first === 'string' ? first : first.text);
  return (query as (...a: unknown[]) => unknown).apply(this, args);
}
async function statementsFor<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  sent = [];
  try {
    const result = await work();
    return { result, statements: sent };
  } finally {
    sent = undefined;
  }
}
// More connections than callers below, so that concurrent deliveries really are concurrent.
const wideDb = createDataSource({ url: TEST_DATABASE_URL, poolSize: 12 });
const wide = new InboundRepository(wideDb);

beforeAll(async () => {
  pg.Client.prototype.query = counting as typeof query;
  await Promise.all([db.initialize(), wideDb.initialize()]);
});
afterAll(async () => {
  pg.Client.prototype.query = query;
  await Promise.all([db.destroy(), wideDb.destroy()]);
});

const id = () => `t-${randomUUID()}`;
function message(over: Partial<InboundMessage> = {}): InboundMessage {
  return {
    channel: 'email',
    externalId: id(),
    author: { externalId: `${randomUUID()}@example.org`, displayName: 'A Person' },
    receivedAt: new Date(Date.now() - 60_000),
    text: 'Hello',
    kind: 'message',
    raw: { test: true },
    ...over,
  };
}
async function row(externalId: string, channel = 'email') {
  const rows = await db.query(`SELECT * FROM inbound_item WHERE channel = $1 AND external_id = $2`, [channel, externalId]);
  return rows[0];
}

describe('InboundRepository', () => {
  it('stores a message once, however often it arrives', async () => {
    const m = message();
    const first = await repo.storeMessage(m);
    const again = await Promise.all([repo.storeMessage(m), repo.storeMessage(m), repo.storeMessage({ ...m, text: 'changed?' })]);
    expect(first.created).toBe(true);
    expect(again.every((r) => !r.created && r.id === first.id)).toBe(true);
    expect((await row(m.externalId)).body).toBe('Hello');
  });

  it('stores a message, or answers a repeat of it, in one round trip to Postgres', async () => {
    const m = message({ replyTo: ['<unseen@x>'], threadSubject: 'parking' });
    const first = await statementsFor(() => repo.storeMessage(m));
    const repeat = await statementsFor(() => repo.storeMessage(m));
    expect(first.result.created).toBe(true);
    expect(repeat.result).toEqual({ id: first.result.id, created: false });
    expect(first.statements).toHaveLength(1);
    expect(repeat.statements).toHaveLength(1);
  });

  it('keeps an item and its attachments in one transaction', async () => {
    const m = message({ attachments: [{ contentType: 'text/plain', size: 1, content: new Uint8Array([1]) }] });
    const { statements } = await statementsFor(() => repo.storeMessage(m));
    expect(statements[0]).toMatch(/^START TRANSACTION/);
    expect(statements.at(-1)).toBe('COMMIT');
  });

  it('stores ten concurrent deliveries of one new item once, and answers each with its id', async () => {
    for (let round = 0; round < 5; round++) {
      const m = message({ channel: 'facebook', threadKey: 'post-1' });
      const answers = await Promise.all(Array.from({ length: 10 }, () => wide.storeMessage(m)));
      expect(answers.filter((a) => a.created)).toHaveLength(1);
      expect(new Set(answers.map((a) => a.id)).size).toBe(1);
      const rows = await db.query(`SELECT id FROM inbound_item WHERE channel = 'facebook' AND external_id = $1`, [m.externalId]);
      expect(rows).toEqual([{ id: answers[0]!.id }]);
    }
  });

  it('upserts one contact per platform identity, X and X DMs alike', async () => {
    const author = { externalId: `${Date.now()}`, handle: 'nurse_jo' };
    const tweet = await repo.storeMessage(message({ channel: 'x', author }));
    const dm = await repo.storeMessage(message({ channel: 'x_dm', author: { ...author, displayName: 'Jo' } }));
    const contacts = await db.query(`SELECT contact_id FROM inbound_item WHERE id = ANY($1)`, [[tweet.id, dm.id]]);
    expect(new Set(contacts.map((c: { contact_id: string }) => c.contact_id)).size).toBe(1);
    const contact = await db.query(`SELECT handle, display_name FROM contact WHERE id = $1`, [contacts[0].contact_id]);
    expect(contact[0]).toEqual({ handle: 'nurse_jo', display_name: 'Jo' });
  });

  it('never stores a received time later than the moment of ingest', async () => {
    const m = message({ receivedAt: new Date(Date.now() + 3_600_000) });
    await repo.storeMessage(m);
    const stored = await row(m.externalId);
    expect(stored.received_at.getTime()).toBeLessThanOrEqual(stored.ingested_at.getTime());
  });

  it('stores a claimed time at the ends of what JavaScript can date (years 275760 and -271821) as received when ingested', async () => {
    for (const claimed of [new Date(8.64e15), new Date(-8.64e15), new Date(NaN)]) {
      const m = message({ receivedAt: claimed });
      await repo.storeMessage(m);
      const stored = await row(m.externalId);
      expect(stored.received_at.getTime()).toBe(stored.ingested_at.getTime());
    }
  });

  it('stores a batch in one statement, in order, as if its messages came one by one', async () => {
    const comment = message({ channel: 'facebook', threadKey: 'post-batch' });
    const reply = message({ channel: 'facebook', replyTo: [comment.externalId] });
    const other = message({ channel: 'facebook' });
    const { result, statements } = await statementsFor(() => repo.storeMessages([comment, reply, other, comment]));
    expect(statements).toHaveLength(1);
    const [first, second, third, repeat] = result as Array<{ id: string; created: boolean }>;
    expect([first!.created, second!.created, third!.created, repeat!.created]).toEqual([true, true, true, false]);
    expect(repeat!.id).toBe(first!.id);
    expect((await row(reply.externalId, 'facebook')).thread_key).toBe('post-batch');
    expect((await row(other.externalId, 'facebook')).thread_key).toBe(other.externalId);
    expect((await row(reply.externalId, 'facebook')).id).toBe(second!.id);
  });

  it('fails only the message Postgres refuses in a batch, and stores the others', async () => {
    const before = message({ channel: 'facebook' });
    const refused = message({ channel: 'myspace' as InboundMessage['channel'] });
    const after = message({ channel: 'facebook' });
    const results = await repo.storeMessages([before, refused, after]);
    expect(results[1]).toBeInstanceOf(Error);
    expect((results[1] as Error).message).toMatch(/check constraint/);
    expect(results[0]).toMatchObject({ created: true });
    expect(results[2]).toMatchObject({ created: true });
    expect(await row(before.externalId, 'facebook')).toBeDefined();
    expect(await row(after.externalId, 'facebook')).toBeDefined();
  });

  it('stores a claimed time before 2000 (year 1, 1970) as received when ingested, so no working-time sum walks centuries', async () => {
    for (const claimed of [new Date('0001-01-01T00:00:00Z'), new Date(1000)]) {
      const m = message({ receivedAt: claimed });
      await repo.storeMessage(m);
      const stored = await row(m.externalId);
      expect(stored.received_at.getTime()).toBe(stored.ingested_at.getTime());
    }
    const recent = message({ receivedAt: new Date('2024-05-01T10:00:00Z') });
    await repo.storeMessage(recent);
    expect((await row(recent.externalId)).received_at.toISOString()).toBe('2024-05-01T10:00:00.000Z');
  });

  it('threads a reply with the nearest stored message it answers', async () => {
    const root = message();
    await repo.storeMessage(root);
    const reply = message({ replyTo: [root.externalId] });
    await repo.storeMessage(reply);
    const replyToReply = message({ replyTo: ['<never-seen@x>', reply.externalId, root.externalId] });
    await repo.storeMessage(replyToReply);
    expect((await row(reply.externalId)).thread_key).toBe(root.externalId);
    expect((await row(replyToReply.externalId)).thread_key).toBe(root.externalId);
    const orphan = message({ replyTo: ['<parent@x>', '<root@x>'] });
    await repo.storeMessage(orphan);
    expect((await row(orphan.externalId)).thread_key).toBe('<root@x>');
  });

  it('falls back to the subject only within the same sender', async () => {
    const author = { externalId: `${randomUUID()}@example.org` };
    const first = message({ author, threadSubject: 'parking charges' });
    await repo.storeMessage(first);
    const same = message({ author, threadSubject: 'parking charges' });
    const other = message({ threadSubject: 'parking charges' });
    await repo.storeMessage(same);
    await repo.storeMessage(other);
    expect((await row(same.externalId)).thread_key).toBe(first.externalId);
    expect((await row(other.externalId)).thread_key).toBe(other.externalId);
  });

  it('prefers a stored item it answers to the channel thread id, and that to the ids it names', async () => {
    const root = message({ channel: 'x', threadKey: `conv-${randomUUID()}` });
    await repo.storeMessage(root);
    const reply = message({ channel: 'x', replyTo: ['<never-seen@x>', root.externalId], threadKey: 'conv-other' });
    const unseen = message({ channel: 'x', replyTo: ['n-1', 'n-2'], threadKey: 'conv-given' });
    const emptyKey = message({ channel: 'x', replyTo: ['n-1', 'n-2'], threadKey: '' });
    const ownOnly = message({ channel: 'x', threadKey: '' });
    for (const m of [reply, unseen, emptyKey, ownOnly]) await repo.storeMessage(m);
    expect((await row(reply.externalId, 'x')).thread_key).toBe(root.threadKey);
    expect((await row(unseen.externalId, 'x')).thread_key).toBe('conv-given');
    expect((await row(emptyKey.externalId, 'x')).thread_key).toBe('n-2');
    expect((await row(ownOnly.externalId, 'x')).thread_key).toBe(ownOnly.externalId);
  });

  it('threads by subject only without ids to go by, with the sender\'s latest thread of that subject', async () => {
    const author = { externalId: `${randomUUID()}@example.org` };
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const oldest = message({ author, threadSubject: 'visiting', receivedAt: hoursAgo(3) });
    const referenced = message({ author, threadSubject: 'visiting', replyTo: ['<elsewhere@x>'], receivedAt: hoursAgo(2) });
    const latest = message({ author, threadSubject: 'visiting', receivedAt: hoursAgo(1) });
    const given = message({ channel: 'email', author, threadSubject: 'visiting', threadKey: 'given-thread' });
    for (const m of [oldest, referenced, latest, given]) await repo.storeMessage(m);
    expect((await row(referenced.externalId)).thread_key).toBe('<elsewhere@x>');
    expect((await row(latest.externalId)).thread_key).toBe('<elsewhere@x>');
    expect((await row(given.externalId)).thread_key).toBe('given-thread');
  });

  it('keeps the history of an edit, and ignores the same edit twice', async () => {
    const m = message({ channel: 'facebook', text: 'first words' });
    await repo.storeMessage(m);
    const at = new Date();
    const edit = await repo.applyEdit('facebook', m.externalId, 'second words', at, { v: 2 }, m);
    const repeat = await repo.applyEdit('facebook', m.externalId, 'second words', at, { v: 2 }, m);
    expect(edit).toMatchObject({ created: false, changed: true });
    expect(repeat).toMatchObject({ created: false, changed: false });
    const stored = await row(m.externalId, 'facebook');
    expect(stored.body).toBe('second words');
    expect(stored.history).toEqual([expect.objectContaining({ text: 'first words', raw: { test: true } })]);
    expect(stored.edited_at.getTime()).toBe(at.getTime());
    // A second edit in the same second (Meta's resolution) still applies; an older one does not.
    expect(await repo.applyEdit('facebook', m.externalId, 'third words', at, {}, m)).toMatchObject({ changed: true });
    expect(await repo.applyEdit('facebook', m.externalId, 'stale words', new Date(at.getTime() - 60_000), {}, m)).toMatchObject({ changed: false });
    expect((await row(m.externalId, 'facebook')).body).toBe('third words');
  });

  it('stores an edit of a message it never saw, and records a removal of one', async () => {
    const m = message({ channel: 'instagram' });
    const edit = await repo.applyEdit('instagram', m.externalId, 'edited text', new Date(), {}, m);
    expect(edit).toMatchObject({ created: true, changed: true });
    expect((await row(m.externalId, 'instagram')).body).toBe('edited text');
    const gone = `c-${randomUUID()}`;
    expect(await repo.markRemoved('facebook', gone, new Date(), { verb: 'remove' })).toMatchObject({ created: true });
    expect((await row(gone, 'facebook')).status).toBe('removed');
    expect(await repo.markRemoved('facebook', gone, new Date(), { verb: 'remove' })).toMatchObject({ created: false });
  });

  it('stores text Postgres would refuse (NUL, unpaired surrogates), replacing only those characters', async () => {
    const m = message({
      text: 'before\u0000after \uD83D alone, paired \uD83D\uDE00',
      subject: 'sub\u0000ject',
      author: { externalId: `${randomUUID()}@example.org`, displayName: 'Na\u0000me' },
      raw: { nested: [{ 'k\u0000': 'v\uDE00' }] },
    });
    await repo.storeMessage(m);
    const stored = await row(m.externalId);
    expect(stored.body).toBe('before\uFFFDafter \uFFFD alone, paired \uD83D\uDE00');
    expect(stored.subject).toBe('sub\uFFFDject');
    expect(stored.raw).toEqual({ nested: [{ 'k\uFFFD': 'v\uFFFD' }] });
  });

  it('marks hiding and unhiding', async () => {
    const m = message({ channel: 'facebook' });
    const { id: itemId } = await repo.storeMessage(m);
    expect(await repo.setHidden('facebook', m.externalId, new Date())).toBe(itemId);
    expect((await row(m.externalId, 'facebook')).hidden_at).not.toBeNull();
    await repo.setHidden('facebook', m.externalId, null);
    expect((await row(m.externalId, 'facebook')).hidden_at).toBeNull();
    expect(await repo.setHidden('facebook', 'not-stored', new Date())).toBeUndefined();
  });

  it('stores attachment metadata, with content only when given', async () => {
    const m = message({
      attachments: [
        { filename: 'letter.pdf', contentType: 'application/pdf', size: 3, content: new Uint8Array([1, 2, 3]) },
        { filename: 'scan.tiff', contentType: 'image/tiff', size: 90_000_000 },
      ],
    });
    const { id: itemId } = await repo.storeMessage(m);
    const rows = await db.query(`SELECT filename, size, content FROM inbound_attachment WHERE inbound_item_id = $1 ORDER BY position`, [itemId]);
    expect(rows).toEqual([
      { filename: 'letter.pdf', size: 3, content: Buffer.from([1, 2, 3]) },
      { filename: 'scan.tiff', size: 90_000_000, content: null },
    ]);
  });
});
