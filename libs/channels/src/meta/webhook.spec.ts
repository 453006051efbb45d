import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InboundEvent, InboundMessage } from '@desk/domain';
import { MAX_TEXT_CHARS, type ParseOptions } from './change.js';
import { MAX_CHANGES, parseWebhook } from './webhook.js';

/** Meta's published payloads, kept beside the repository (../shared/fixtures/meta). */
const FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'meta');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

const now = new Date('2026-03-02T10:00:00Z');
const options: ParseOptions = { pageIds: ['1234567890', '17841400000000000'], now };

function events(payload: unknown, opts = options): InboundEvent[] {
  const parsed = parseWebhook(payload, opts);
  if (!parsed.ok) throw new Error(`expected a delivery, got: ${parsed.reason}`);
  return parsed.events;
}

function only(payload: unknown): InboundEvent {
  const all = events(payload);
  expect(all).toHaveLength(1);
  return all[0]!;
}

function messageOf(event: InboundEvent): InboundMessage {
  if (event.type !== 'message' && event.type !== 'edited') throw new Error(`expected a message, got ${event.type}`);
  return event.message;
}

const seconds = (s: number) => new Date(s * 1000);

/** A Page feed change as Meta sends it, with what a test changes. */
function feed(value: Record<string, unknown>, entry: Record<string, unknown> = {}) {
  return {
    object: 'page',
    entry: [
      {
        id: '1234567890',
        time: 1767261600,
        changes: [
          {
            field: 'feed',
            value: {
              item: 'comment',
              verb: 'add',
              comment_id: '555_777',
              post_id: '1234567890_555',
              parent_id: '1234567890_555',
              from: { id: '4242', name: 'A Patient' },
              created_time: 1767261600,
              message: 'Thank you to ward 7',
              ...value,
            },
          },
        ],
        ...entry,
      },
    ],
  };
}

function instagram(value: Record<string, unknown>, entry: Record<string, unknown> = {}) {
  return {
    object: 'instagram',
    entry: [{ id: '17841400000000000', time: 1767261600, changes: [{ field: 'comments', value: { id: '1801', text: 'hello', ...value } }], ...entry }],
  };
}

describe('parseWebhook: the published Page feed fixtures', () => {
  const fixtureAuthor = { externalId: '1234567890321', displayName: 'Tester' };
  const firstComment = {
    channel: 'facebook',
    externalId: '901097836652708_903438993085259',
    author: fixtureAuthor,
    receivedAt: seconds(1449135003),
    text: 'and the next one',
    url: 'https://www.facebook.com/1234567890321/posts/901097836652708?comment_id=903438993085259',
    kind: 'message',
  };

  it.each(['webhooks__feed-comment-add-211.json', 'webhooks__feed-comment-add-25.json', 'webhooks__feed-comment-add-with-photo.json', 'webhooks__feed-comment-add-with-video.json'])(
    '%s: a new comment, the author from `from` or the older sender_id / sender_name',
    (name) => {
      const event = only(fixture(name));
      expect(event.type).toBe('message');
      const message = messageOf(event);
      expect(message).toMatchObject(firstComment);
      // The parent is the post itself: not a reply to a comment.
      expect(message.replyTo).toBeUndefined();
      expect(message.raw).toMatchObject({ object: 'page', entry: { id: '1234567890321', time: 1449135003 }, change: { field: 'feed' } });
    },
  );

  it.each(['webhooks__feed-comment-edited-25.json', 'webhooks__feed-comment-edited-with-photo.json', 'webhooks__feed-comment-edited-with-video.json'])(
    '%s: an edit, carrying the whole comment in case it was never seen',
    (name) => {
      const event = only(fixture(name));
      expect(event).toMatchObject({
        type: 'edited',
        channel: 'facebook',
        externalId: '900728623356296_900744590021366',
        text: "Let's see the Webhooks in action :D",
        at: seconds(1448555737),
        message: {
          externalId: '900728623356296_900744590021366',
          text: "Let's see the Webhooks in action :D",
          author: fixtureAuthor,
          receivedAt: seconds(1448555737),
        },
      });
    },
  );

  it('webhooks__feed-comment-remove-25.json: a removal, at the entry time (the change has none)', () => {
    expect(only(fixture('webhooks__feed-comment-remove-25.json'))).toEqual({
      type: 'removed',
      channel: 'facebook',
      externalId: '905578656204626_905579239537901',
      at: seconds(1452107182),
      raw: expect.objectContaining({ object: 'page' }),
    });
  });

  it('webhooks__feed-comment-hide.json / -unhide.json: hidden and shown again', () => {
    const common = { channel: 'facebook', externalId: '900728623356296_900744590021366', at: seconds(1467894562) };
    expect(only(fixture('webhooks__feed-comment-hide.json'))).toMatchObject({ type: 'hidden', ...common });
    expect(only(fixture('webhooks__feed-comment-unhide.json'))).toMatchObject({ type: 'unhidden', ...common });
  });

  it.each(['webhooks__feed-post-add-25.json', 'webhooks__feed-post-edit.json', 'webhooks__feed-post-hide.json', 'webhooks__feed-post-remove-25.json', 'webhooks__feed-post-unhide.json'])(
    '%s: a post, not a comment, is ignored with the reason',
    (name) => {
      expect(only(fixture(name))).toEqual({ type: 'ignored', reason: 'feed item "post" is not a comment' });
    },
  );
});

describe('parseWebhook: the published Instagram and messaging fixtures', () => {
  it('instagram__wh-comments-2021.json: a reply to a comment on a media, with its author', () => {
    const message = messageOf(only(fixture('instagram__wh-comments-2021.json')));
    expect(message).toEqual({
      channel: 'instagram',
      externalId: '123456789',
      author: { externalId: '1234536447', handle: 'testuser' },
      receivedAt: seconds(1519399307),
      text: 'This is an example.',
      replyTo: ['987654321'],
      kind: 'message',
      raw: expect.objectContaining({ object: 'instagram', entry: { id: '0', time: 1519399307 } }),
    });
  });

  it('instagram__wh-comments.json: the minimal form, with no author or media, is still a comment', () => {
    const message = messageOf(only(fixture('instagram__wh-comments.json')));
    expect(message).toMatchObject({ channel: 'instagram', externalId: '123456789', author: null, text: 'This is an example.', receivedAt: seconds(1519399307) });
    expect(message.threadKey).toBeUndefined();
    expect(message.replyTo).toBeUndefined();
  });

  const messaging = readdirSync(FIXTURES).filter((f) => /^(webhooks__messaging-|instagram__messaging-)/.test(f));
  it.each(messaging)('%s: a messaging event is ignored with the reason', (name) => {
    expect(messaging.length).toBeGreaterThanOrEqual(10);
    expect(only(fixture(name))).toEqual({ type: 'ignored', reason: 'messaging events are not handled (comments only)' });
  });

  it.each(['instagram__ig_login_exception.json', 'instagram__comment.json', 'instagram__comment_missing_user.json'])(
    '%s: a Graph object or error, not a webhook, is refused whole',
    (name) => {
      expect(parseWebhook(fixture(name), options)).toMatchObject({ ok: false, reason: 'no "object" field' });
    },
  );

  it('every Meta fixture is either read or refused with a reason, and none throws', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(40);
    for (const name of files) {
      const parsed = parseWebhook(fixture(name), options);
      if (!parsed.ok) expect(parsed.reason).toMatch(/\S/);
      else for (const event of parsed.events) if (event.type === 'ignored') expect(event.reason).toMatch(/\S/);
    }
  });
});

describe('parseWebhook: rules', () => {
  it("ignores the Page's own comment, whatever the verb", () => {
    for (const verb of ['add', 'edited', 'remove', 'hide', 'unhide']) {
      expect(only(feed({ verb, from: { id: '1234567890', name: 'Our Trust' } }))).toEqual({ type: 'ignored', reason: 'comment by our own Page', externalId: '555_777' });
    }
    expect(only(feed({ from: undefined, sender_id: 1234567890 }))).toMatchObject({ type: 'ignored', reason: 'comment by our own Page' });
  });

  it("ignores our Instagram account's own comment", () => {
    expect(only(instagram({ from: { id: '17841400000000000', username: 'ourtrust' } }))).toEqual({
      type: 'ignored',
      reason: 'comment by our own Instagram account',
      externalId: '1801',
    });
  });

  it('threads a reply under the comment it answers, not under the whole post', () => {
    const message = messageOf(only(feed({ comment_id: '555_778', parent_id: '555_777' })));
    expect(message.replyTo).toEqual(['555_777']);
    // No post-wide thread: each top-level comment is a thread of its own (ingest gives it its id).
    expect(message.threadKey).toBeUndefined();
    expect(messageOf(only(feed({}))).threadKey).toBeUndefined();
  });

  it('does not treat a top-level comment (parent = post) as a reply', () => {
    expect(messageOf(only(feed({}))).replyTo).toBeUndefined();
    expect(messageOf(only(feed({ parent_id: undefined }))).replyTo).toBeUndefined();
  });

  it('threads an Instagram reply under its parent comment, not the whole media', () => {
    const message = messageOf(only(instagram({ parent_id: '1800', media: { id: '9001' } })));
    expect(message.replyTo).toEqual(['1800']);
    expect(message.threadKey).toBeUndefined();
  });

  it('reads created_time as epoch seconds, milliseconds or ISO 8601', () => {
    expect(messageOf(only(feed({ created_time: 1767261600 }))).receivedAt).toEqual(new Date('2026-01-01T10:00:00Z'));
    expect(messageOf(only(feed({ created_time: 1767261600123 }))).receivedAt).toEqual(new Date('2026-01-01T10:00:00.123Z'));
    expect(messageOf(only(feed({ created_time: '2026-01-01T10:00:00+0000' }))).receivedAt).toEqual(new Date('2026-01-01T10:00:00Z'));
    expect(messageOf(only(instagram({ timestamp: '2026-01-01T10:00:00+0100' }))).receivedAt).toEqual(new Date('2026-01-01T09:00:00Z'));
  });

  it('falls back to the entry time, then to now, when the time is missing or unreadable', () => {
    expect(messageOf(only(feed({ created_time: 'last Tuesday' }, { time: 1767261000 }))).receivedAt).toEqual(seconds(1767261000));
    expect(messageOf(only(feed({ created_time: undefined }, { time: undefined }))).receivedAt).toEqual(now);
  });

  it('never dates an item, or an edit, in the future', () => {
    const future = now.getTime() / 1000 + 3600;
    expect(messageOf(only(feed({ created_time: future }, { time: future }))).receivedAt).toEqual(now);
    expect(only(feed({ verb: 'edited', created_time: future }, { time: future }))).toMatchObject({ at: now, message: { receivedAt: now } });
    expect(only(feed({ verb: 'remove' }, { time: future }))).toMatchObject({ at: now });
  });

  it('uses the entry time for an edit, so a second edit of the same comment is later than the first', () => {
    expect(only(feed({ verb: 'edited', created_time: 1767261000 }, { time: 1767261600 }))).toMatchObject({ at: seconds(1767261600), message: { receivedAt: seconds(1767261000) } });
  });

  it('links to the comment: permalink_url when Meta gives one on its own site, else built from the ids', () => {
    expect(messageOf(only(feed({ permalink_url: 'https://www.facebook.com/permalink.php?story_fbid=454635354242' }))).url).toBe(
      'https://www.facebook.com/permalink.php?story_fbid=454635354242',
    );
    for (const planted of ['javascript:alert(1)', 'https://evil.example/facebook.com', 'http://www.facebook.com/x', 'https://facebook.com.evil.example/']) {
      expect(messageOf(only(feed({ permalink_url: planted }))).url).toBe('https://www.facebook.com/1234567890/posts/555?comment_id=777');
    }
    expect(messageOf(only(feed({ post_id: undefined }))).url).toBeUndefined();
  });

  it('caps the text and the names, keeping the raw payload whole', () => {
    const long = 'a'.repeat(MAX_TEXT_CHARS + 50);
    const message = messageOf(only(feed({ message: long, from: { id: '4242', name: 'n'.repeat(500) } })));
    expect(message.text).toHaveLength(MAX_TEXT_CHARS);
    expect(message.author?.displayName).toHaveLength(200);
    expect(JSON.stringify(message.raw)).toContain(long);
  });

  it('does not cut an emoji in two at the cap', () => {
    const text = `${'a'.repeat(MAX_TEXT_CHARS - 1)}😀`;
    expect(messageOf(only(feed({ message: text }))).text).toBe('a'.repeat(MAX_TEXT_CHARS - 1));
  });

  it('reads a comment without text (a photo alone) as empty text', () => {
    expect(messageOf(only(feed({ message: undefined, photo: 'https://scontent.example/p.jpg' }))).text).toBe('');
  });

  it('stores a comment whose author id cannot be trusted with no author', () => {
    expect(messageOf(only(feed({ from: { id: 2 ** 60, name: 'Lost digits' }, sender_id: undefined }))).author).toBeNull();
    expect(messageOf(only(feed({ from: { id: '../../etc', name: 'x' } }))).author).toBeNull();
  });

  it('ignores, with the reason, a comment without a usable id or with a verb it does not know', () => {
    expect(only(feed({ comment_id: undefined }))).toEqual({ type: 'ignored', reason: 'comment_id missing is not a usable id' });
    expect(only(feed({ comment_id: 'a b;drop' }))).toEqual({ type: 'ignored', reason: 'comment_id "a?b?drop" is not a usable id' });
    expect(only(feed({ verb: 'block' }))).toEqual({ type: 'ignored', reason: 'comment verb "block" is not handled', externalId: '555_777' });
    expect(only(instagram({ id: { nested: true } }))).toEqual({ type: 'ignored', reason: 'Instagram comment id an object is not a usable id' });
  });

  it('ignores reactions and other fields with the reason', () => {
    expect(only(feed({ item: 'reaction', reaction_type: 'like' }))).toEqual({ type: 'ignored', reason: 'feed item "reaction" is not a comment' });
    const mention = { object: 'instagram', entry: [{ id: '1', time: 1, changes: [{ field: 'mentions', value: { media_id: '1' } }] }] };
    expect(only(mention)).toEqual({ type: 'ignored', reason: 'instagram field "mentions" is not handled' });
    expect(only({ object: 'page', entry: [{ id: '1', changes: [{ field: 'comments', value: {} }] }] })).toMatchObject({ type: 'ignored' });
  });

  it('reads what it can from a partly unusable delivery and gives a reason for the rest', () => {
    const good = feed({}).entry[0]!;
    const payload = {
      object: 'page',
      entry: [
        'not an entry',
        { id: '1', time: 1 },
        { ...good, changes: [null, { field: 'feed', value: 'text' }, good.changes[0], { field: 'feed', value: { item: 'comment', verb: 'add' } }] },
      ],
    };
    expect(events(payload).map((e) => (e.type === 'ignored' ? e.reason : `${e.type} ${messageOf(e).externalId}`))).toEqual([
      'entry 0 is not an object',
      'entry 1 has no changes',
      'a facebook change is not an object',
      'facebook feed change has no value object',
      'message 555_777',
      'comment_id missing is not a usable id',
    ]);
  });

  it.each([
    ['an array', [], 'body is not a JSON object'],
    ['null', null, 'body is not a JSON object'],
    ['a string', 'page', 'body is not a JSON object'],
    ['no object', { entry: [] }, 'no "object" field'],
    ['no entry', { object: 'page' }, 'no "entry" array'],
    ['entry not an array', { object: 'page', entry: {} }, 'no "entry" array'],
  ])('refuses a body of entirely the wrong shape: %s', (_, payload, reason) => {
    expect(parseWebhook(payload, options)).toEqual({ ok: false, reason });
  });

  it('ignores a webhook object it does not handle rather than refusing it', () => {
    expect(only({ object: 'user', entry: [{ id: '1', changes: [] }] })).toEqual({ type: 'ignored', reason: 'webhook object "user" is not handled' });
  });

  it('ignores an object named like what every JS object inherits (found by fuzzing: it was read as Instagram)', () => {
    const comment = { value: { id: '55', text: 'hi', from: { id: '9' } } };
    for (const object of ['constructor', 'hasOwnProperty', 'toString', '__proto__']) {
      expect(parseWebhook({ object, entry: [{ id: '1', time: 1, changes: [comment, {}] }] }, options)).toEqual({
        ok: true,
        events: [{ type: 'ignored', reason: `webhook object "${object}" is not handled` }],
      });
    }
  });

  it(`reads at most ${MAX_CHANGES} changes from one delivery`, () => {
    const change = feed({}).entry[0]!.changes[0]!;
    const payload = { object: 'page', entry: [{ id: '1', time: 1767261600, changes: Array.from({ length: MAX_CHANGES + 5 }, () => change) }] };
    const all = events(payload);
    expect(all).toHaveLength(MAX_CHANGES + 1);
    expect(all.at(-1)).toEqual({ type: 'ignored', reason: `more than ${MAX_CHANGES} changes in one delivery; the rest is not read` });
  });
});
