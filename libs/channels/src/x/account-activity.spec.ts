import type { InboundEvent, InboundMessage } from '@desk/domain';
import { dmDelivery, serialise, tweetCreateDelivery, v1Tweet, type V1User } from '../../../../test/fakes/x-webhook.js';
import { parseAccountActivity } from './account-activity.js';

const US = '2244994945';
const now = new Date('2026-03-02T12:00:00Z');
const public1: V1User = { id: '6253282', screen_name: 'TwitterAPI', name: 'Twitter API' };
const ourAccount: V1User = { id: US, screen_name: 'TwitterDev', name: 'Twitter Dev' };

/** Through the wire format: X writes 64-bit ids as bare numbers that JSON.parse rounds. */
const wire = (payload: unknown) => JSON.parse(serialise(payload)) as unknown;
const parse = (payload: unknown) => parseAccountActivity(wire(payload), { userId: US, now });

function events(payload: unknown): InboundEvent[] {
  const parsed = parse(payload);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.events;
}

function message(event: InboundEvent | undefined): InboundMessage {
  if (event?.type !== 'message') throw new Error(`expected a message, got ${JSON.stringify(event)}`);
  return event.message;
}

describe('tweet_create_events', () => {
  const posted = new Date('2018-10-10T20:19:24Z');
  const tweet = v1Tweet({ id: '1050118621198921728', text: '@TwitterDev is the ward open on Sunday?', user: public1, createdAt: posted });

  it('reads a mention into an x message, by id_str (the numeric id has lost digits)', () => {
    const payload = wire(tweetCreateDelivery(US, [tweet])) as { tweet_create_events: Array<{ id: number }> };
    expect(String(payload.tweet_create_events[0]!.id)).not.toBe('1050118621198921728');
    expect(message(events(tweetCreateDelivery(US, [tweet]))[0])).toMatchObject({
      channel: 'x',
      externalId: '1050118621198921728',
      author: { externalId: '6253282', handle: 'TwitterAPI', displayName: 'Twitter API' },
      receivedAt: posted,
      text: '@TwitterDev is the ward open on Sunday?',
      url: 'https://x.com/TwitterAPI/status/1050118621198921728',
      kind: 'message',
    });
  });

  it('reads created_at in X\'s format, with its offset', () => {
    const t = { ...v1Tweet({ id: '1050118621198921729', text: 'hi', user: public1 }), created_at: 'Wed Oct 10 21:19:24 +0100 2018', timestamp_ms: undefined };
    expect(message(events(tweetCreateDelivery(US, [t]))[0]).receivedAt).toEqual(posted);
  });

  it('keeps the raw tweet, and no reply or thread for a tweet that answers nothing', () => {
    const m = message(events(tweetCreateDelivery(US, [tweet]))[0]);
    expect(m.replyTo).toBeUndefined();
    expect(m.threadKey).toBeUndefined();
    expect(m.raw).toMatchObject({ id_str: '1050118621198921728', user: { screen_name: 'TwitterAPI' } });
  });

  it('takes the whole text of a long tweet from extended_tweet.full_text', () => {
    const long = `@TwitterDev ${'my mother waited nine hours in A&E and nobody told us anything. '.repeat(4)}`.trim();
    const t = v1Tweet({ id: '1050118621198921730', text: long, user: public1 });
    expect(t.truncated).toBe(true);
    expect((t.text as string).length).toBeLessThan(long.length);
    expect(message(events(tweetCreateDelivery(US, [t]))[0]).text).toBe(long);
  });

  it('keeps a reply in its thread: replyTo names the tweet it answers', () => {
    const reply = v1Tweet({ id: '1050118621198921731', text: '@TwitterDev thanks', user: public1, inReplyTo: { id: '1050000000000000000', user: ourAccount } });
    expect(message(events(tweetCreateDelivery(US, [reply]))[0]).replyTo).toEqual(['1050000000000000000']);
  });

  it('ignores our own tweets', () => {
    const own = v1Tweet({ id: '1050118621198921732', text: 'Our visiting hours are changing', user: ourAccount });
    expect(events(tweetCreateDelivery(US, [own]))).toEqual([{ type: 'ignored', reason: 'our own tweet', externalId: '1050118621198921732' }]);
  });

  it('ignores our own replies to the public too', () => {
    const own = v1Tweet({ id: '1050118621198921733', text: '@TwitterAPI please DM us', user: ourAccount, inReplyTo: { id: '1050118621198921728', user: public1 } });
    expect(events(tweetCreateDelivery(US, [own]))[0]).toMatchObject({ type: 'ignored', reason: 'our own tweet' });
  });

  it('ignores retweets', () => {
    const rt = v1Tweet({ id: '1050118621198921734', text: 'RT @TwitterDev: Our visiting hours', user: public1, retweetOf: v1Tweet({ id: '1', text: 'x', user: ourAccount }) });
    expect(events(tweetCreateDelivery(US, [rt]))[0]).toMatchObject({ type: 'ignored', reason: 'a retweet' });
  });

  it('ignores a delivery for another account (one app, several subscriptions)', () => {
    const parsed = parse(tweetCreateDelivery('783214', [tweet]));
    expect(parsed).toEqual({ ok: true, events: [{ type: 'ignored', reason: 'delivery for another account (for_user_id "783214")' }] });
  });

  it('ignores a delivery without for_user_id', () => {
    expect(events({ tweet_create_events: [tweet] })).toEqual([{ type: 'ignored', reason: 'delivery for another account (for_user_id missing)' }]);
  });

  it('turns an edit into an edit of the first version, keyed by its id', () => {
    const edit = v1Tweet({ id: '1050118621198921800', text: '@TwitterDev is the ward open on Saturday?', user: public1, initialTweetId: '1050118621198921728' });
    const [event] = events(tweetCreateDelivery(US, [edit]));
    expect(event).toMatchObject({
      type: 'edited',
      channel: 'x',
      externalId: '1050118621198921728',
      text: '@TwitterDev is the ward open on Saturday?',
      message: { externalId: '1050118621198921728', url: 'https://x.com/TwitterAPI/status/1050118621198921728' },
    });
  });

  it('reads several events, and reports an unreadable one as ignored without dropping the rest', () => {
    const list = events(tweetCreateDelivery(US, [tweet, { id: 5, text: 'no id_str' }, 'junk' as unknown as Record<string, unknown>]));
    expect(list.map((e) => e.type)).toEqual(['message', 'ignored', 'ignored']);
    expect(list[1]).toMatchObject({ reason: 'a tweet without a usable id_str (missing)' });
  });

  it('caps hostile sizes and refuses hostile handles in links', () => {
    const t: Record<string, unknown> = { ...v1Tweet({ id: '1050118621198921735', text: 'x', user: public1 }), text: 'a'.repeat(30_000) };
    (t.user as Record<string, unknown>).screen_name = '../../evil?';
    (t.user as Record<string, unknown>).name = 'N'.repeat(500);
    const m = message(events(tweetCreateDelivery(US, [t]))[0]);
    expect(m.text).toHaveLength(25_000);
    expect(m.author).toMatchObject({ externalId: '6253282', handle: undefined });
    expect(m.author!.displayName).toHaveLength(100);
    expect(m.url).toBe('https://x.com/i/web/status/1050118621198921735');
  });

  it('makes text and raw storable in Postgres (no NUL, no lone surrogate) and bounds nesting', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200; i++) deep = [deep];
    const t = JSON.parse(
      serialise({ ...v1Tweet({ id: '1050118621198921737', text: 'x', user: public1 }), entities: { deep } }).replace('"text":"x"', '"text":"a\\u0000b\\ud800c"'),
    ) as Record<string, unknown>;
    const m = message(events(tweetCreateDelivery(US, [t]))[0]);
    expect(m.text).toBe('a\uFFFDb\uFFFDc');
    expect(JSON.stringify(m.raw)).not.toMatch(/\\u0000|\\ud800/);
    expect(JSON.stringify(m.raw)).toContain('[nested too deep]');
  });

  it('never dates a tweet in the future', () => {
    const t = v1Tweet({ id: '1050118621198921736', text: 'x', user: public1, createdAt: new Date('2030-01-01T00:00:00Z') });
    expect(message(events(tweetCreateDelivery(US, [t]))[0]).receivedAt).toEqual(now);
  });
});

describe('direct_message_events', () => {
  const sender: V1User = { id: '3001969357', screen_name: 'furiouscamper', name: 'Jordan Brinks' };
  const sent = new Date('2018-01-19T23:12:40.557Z');

  it('reads a DM to us into an x_dm message, with the sender from the users map', () => {
    const payload = dmDelivery(US, [{ id: '954491830116155396', senderId: sender.id, recipientId: US, text: 'Can I change my appointment?', createdAt: sent }], [sender, ourAccount]);
    const m = message(events(payload)[0]);
    expect(m).toMatchObject({
      channel: 'x_dm',
      externalId: '954491830116155396',
      author: { externalId: '3001969357', handle: 'furiouscamper', displayName: 'Jordan Brinks' },
      receivedAt: sent,
      text: 'Can I change my appointment?',
      threadKey: `dm-${US}-3001969357`,
      url: `https://x.com/messages/${US}-3001969357`,
      kind: 'message',
    });
    expect(m.raw).toMatchObject({ direct_message_event: { id: '954491830116155396' }, users: { '3001969357': { screen_name: 'furiouscamper' } } });
  });

  it('orders the thread key numerically, not as text', () => {
    const small: V1User = { id: '999', screen_name: 'early', name: 'Early' };
    const m = message(events(dmDelivery(US, [{ id: '954491830116155397', senderId: '999', recipientId: US, text: 'hi' }], [small]))[0]);
    expect(m.threadKey).toBe(`dm-999-${US}`);
  });

  it('still reads a DM whose sender is missing from the users map', () => {
    const m = message(events(dmDelivery(US, [{ id: '954491830116155398', senderId: sender.id, recipientId: US, text: 'hi' }], []))[0]);
    expect(m.author).toEqual({ externalId: sender.id, handle: undefined, displayName: undefined });
  });

  it('ignores our own DMs', () => {
    const payload = dmDelivery(US, [{ id: '954491830116155399', senderId: US, recipientId: sender.id, text: 'Please call 0300 123 4567' }], [sender, ourAccount]);
    expect(events(payload)).toEqual([{ type: 'ignored', reason: 'our own direct message', externalId: '954491830116155399' }]);
  });

  it('ignores a DM for another account', () => {
    const payload = dmDelivery('783214', [{ id: '954491830116155400', senderId: sender.id, recipientId: '783214', text: 'hi' }], [sender]);
    expect(events(payload)).toEqual([{ type: 'ignored', reason: 'delivery for another account (for_user_id "783214")' }]);
  });

  it('ignores DM events that are not messages, and other activities', () => {
    const list = events({ for_user_id: US, direct_message_events: [{ type: 'message_delete', id: '1' }], favorite_events: [{}], direct_message_indicate_typing_events: [{}] });
    expect(list).toEqual([
      { type: 'ignored', reason: 'a direct message event of type "message_delete"' },
      { type: 'ignored', reason: 'not a message: "favorite_events"' },
      { type: 'ignored', reason: 'not a message: "direct_message_indicate_typing_events"' },
    ]);
  });
});

describe('a body that is not an Account Activity delivery', () => {
  it.each([
    ['a list', [], 'body is not a JSON object'],
    ['a string', 'hello', 'body is not a JSON object'],
    ['null', null, 'body is not a JSON object'],
    ['tweets that are not a list', { for_user_id: US, tweet_create_events: {} }, 'tweet_create_events is not a list'],
    ['DMs that are not a list', { for_user_id: US, direct_message_events: 'x' }, 'direct_message_events is not a list'],
    ['users that are not an object', { for_user_id: US, users: [] }, 'users is not an object'],
  ])('is refused: %s', (_label, payload, reason) => {
    expect(parseAccountActivity(payload, { userId: US, now })).toEqual({ ok: false, reason });
  });
});
