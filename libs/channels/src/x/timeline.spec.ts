import type { InboundEvent, InboundMessage } from '@desk/domain';
import { loadXFixture } from '../../../../test/fakes/x-api.js';
import { readDmEventsPage, readMentionsPage, type TimelinePage } from './timeline.js';

interface V2Body {
  data: Array<Record<string, unknown>>;
  meta: Record<string, unknown>;
}

const mentions = loadXFixture('users-mentions-200.json');
const mentionsBody = mentions.body as V2Body;
/** The timeline in the fixture is @Twitter's (GET /2/users/783214/mentions). */
const OWNER = /users\/(\d+)\/mentions/.exec(mentions.request.url)![1]!;
const dmFixtures = ['dm-conversations-id-dm-events-200.json', 'dm-conversations-with-participant-dm-events-200.json'];
const now = new Date('2026-03-02T12:00:00Z');

function page(parsed: ReturnType<typeof readMentionsPage>): TimelinePage {
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.page;
}

function message(event: InboundEvent | undefined): InboundMessage {
  if (event?.type !== 'message') throw new Error(`expected a message, got ${JSON.stringify(event)}`);
  return event.message;
}

describe('the mention timeline (v2), from the recorded users-mentions-200.json', () => {
  const read = page(readMentionsPage(mentionsBody, { userId: OWNER, now }));

  it('reads every tweet on the page, newest first, with its text', () => {
    expect(read.events).toHaveLength(mentionsBody.data.length);
    expect(read.events.map((e) => message(e).externalId)).toEqual(mentionsBody.data.map((t) => t.id));
    expect(read.events.map((e) => message(e).text)).toEqual(mentionsBody.data.map((t) => t.text));
    expect(read.events.every((e) => message(e).channel === 'x' && message(e).kind === 'message')).toBe(true);
  });

  it('passes on the paging: next_token, and newest_id for the checkpoint', () => {
    expect(read.nextToken).toBe('7140dibdnow9c7btw423i3sy3u5zupmkcpofxcsmxj48j');
    expect(read.newestId).toBe('1578516295611748353');
    expect(read.reachedCheckpoint).toBe(false);
  });

  it('dates each tweet from its snowflake id when created_at was not asked for', () => {
    // The recording was answered at 22:43:18 UTC; the newest mention was minted seconds before.
    const newest = message(read.events[0]).receivedAt.getTime();
    const answered = Date.parse(String(mentions.headers.date));
    expect(answered - newest).toBeGreaterThanOrEqual(0);
    expect(answered - newest).toBeLessThan(60_000);
  });

  it('has no author without author_id, and links through /i/web', () => {
    const first = message(read.events[0]);
    expect(first.author).toBeNull();
    expect(first.url).toBe('https://x.com/i/web/status/1578516295611748353');
    expect(first.raw).toEqual({ data: mentionsBody.data[0] });
  });

  it('reads only what is newer than the checkpoint, and says it got there', () => {
    const checkpoint = mentionsBody.data[3]!.id as string;
    const after = page(readMentionsPage(mentionsBody, { userId: OWNER, now, afterId: checkpoint }));
    expect(after.events.map((e) => message(e).externalId)).toEqual(mentionsBody.data.slice(0, 3).map((t) => t.id));
    expect(after.reachedCheckpoint).toBe(true);
  });
});

describe('the mention timeline with the fields the poller asks for', () => {
  // The recorded tweets, with the fields and expansion X adds when asked (tweet.fields, expansions=author_id).
  const [first, second, third, fourth] = mentionsBody.data;
  const body = {
    data: [
      { ...first, author_id: '6253282', created_at: '2022-10-07T22:43:12.000Z', conversation_id: '1578500000000000000', referenced_tweets: [{ type: 'replied_to', id: '1578510000000000000' }] },
      { ...second, author_id: '495309159', created_at: '2022-10-07T22:43:07.000Z', conversation_id: second!.id },
      { ...third, author_id: OWNER, created_at: '2022-10-07T22:43:01.000Z', conversation_id: third!.id },
      { ...fourth, author_id: '495309159', created_at: '2022-10-07T22:43:00.000Z', conversation_id: fourth!.id, referenced_tweets: [{ type: 'retweeted', id: '1578400000000000000' }] },
    ],
    includes: {
      users: [
        { id: '6253282', name: 'Twitter API', username: 'TwitterAPI' },
        { id: '495309159', name: 'Twitter New York City', username: 'TwitterNYC' },
      ],
    },
    meta: { result_count: 4, newest_id: first!.id, oldest_id: fourth!.id },
  };
  const read = page(readMentionsPage(body, { userId: OWNER, now }));

  it('names the author from includes.users and links to the tweet under their handle', () => {
    expect(message(read.events[0])).toMatchObject({
      author: { externalId: '6253282', handle: 'TwitterAPI', displayName: 'Twitter API' },
      url: `https://x.com/TwitterAPI/status/${first!.id}`,
      receivedAt: new Date('2022-10-07T22:43:12.000Z'),
    });
  });

  it('keeps a reply in its conversation: threadKey is conversation_id, replyTo the tweet answered', () => {
    expect(message(read.events[0])).toMatchObject({ threadKey: '1578500000000000000', replyTo: ['1578510000000000000'] });
    expect(message(read.events[1]).threadKey).toBe(second!.id);
    expect(message(read.events[1]).replyTo).toBeUndefined();
  });

  it('keeps the author with the raw tweet', () => {
    expect(message(read.events[0]).raw).toEqual({ data: body.data[0], includes: { users: [body.includes.users[0]] } });
  });

  it('ignores our own tweets and retweets', () => {
    expect(read.events[2]).toEqual({ type: 'ignored', reason: 'our own tweet', externalId: third!.id });
    expect(read.events[3]).toEqual({ type: 'ignored', reason: 'a retweet', externalId: fourth!.id });
  });

  it('takes a long post\'s whole text from note_tweet', () => {
    const long = 'a'.repeat(400);
    const withNote = { data: [{ ...body.data[1], note_tweet: { text: long } }], includes: body.includes, meta: {} };
    expect(message(page(readMentionsPage(withNote, { userId: OWNER, now })).events[0]).text).toBe(long);
  });

  it('reads an edited tweet as an edit of its first version', () => {
    const edit = { ...body.data[1], id: '1578516300000000000', edit_history_tweet_ids: [second!.id, '1578516300000000000'], text: 'edited' };
    const [event] = page(readMentionsPage({ data: [edit], includes: body.includes, meta: {} }, { userId: OWNER, now })).events;
    expect(event).toMatchObject({ type: 'edited', channel: 'x', externalId: second!.id, text: 'edited', message: { externalId: second!.id } });
  });
});

describe('DM events (v2)', () => {
  it.each(dmFixtures)('reads the recorded events of %s', (name) => {
    const fixture = loadXFixture(name);
    const body = fixture.body as V2Body;
    const read = page(readDmEventsPage(body, { userId: '1072250532645998596', now }));
    expect(read.events.map((e) => message(e).externalId)).toEqual(['1585800613752881156', '1585800613253812228']);
    expect(read.events.map((e) => message(e).text)).toEqual(['Testing 2', 'Testing 1']);
    expect(read.nextToken).toBe('18LAA5G1SL0NR5OG0G00ZZZZ');
    expect(read.newestId).toBe('1585800613752881156');
    const first = message(read.events[0]);
    expect(first.channel).toBe('x_dm');
    // Recorded with default fields: no sender, so a person must decide whose message it is.
    expect(first.author).toBeNull();
    expect(first.parseError).toBe('the event names no sender');
    const answered = Date.parse(String(fixture.headers.date));
    expect(answered - first.receivedAt.getTime()).toBeGreaterThanOrEqual(0);
    expect(answered - first.receivedAt.getTime()).toBeLessThan(60_000);
  });

  const US = '1072250532645998596';
  const THEM = '750362064426721281';
  const recorded = (loadXFixture(dmFixtures[0]!).body as V2Body).data;
  const withFields = {
    data: [
      { ...recorded[0], sender_id: US, created_at: '2022-10-28T01:08:23.000Z', dm_conversation_id: `${THEM}-${US}` },
      { ...recorded[1], sender_id: THEM, created_at: '2022-10-28T01:08:22.000Z', dm_conversation_id: `${THEM}-${US}` },
      { id: '1585800000000000000', event_type: 'ParticipantsJoin', dm_conversation_id: '1585700000000000000', participant_ids: [THEM] },
    ],
    includes: { users: [{ id: THEM, name: 'Them', username: 'them_account' }] },
    meta: { result_count: 3, next_token: '18LAA5G1SL0NR5OG0G00ZZZZ' },
  };

  it('reads a message to us with its sender, in the thread of the two of us', () => {
    const read = page(readDmEventsPage(withFields, { userId: US, now }));
    expect(message(read.events[1])).toMatchObject({
      channel: 'x_dm',
      externalId: '1585800613253812228',
      author: { externalId: THEM, handle: 'them_account', displayName: 'Them' },
      receivedAt: new Date('2022-10-28T01:08:22.000Z'),
      text: 'Testing 1',
      threadKey: `dm-${THEM}-${US}`,
      url: `https://x.com/messages/${THEM}-${US}`,
    });
    expect(message(read.events[1]).parseError).toBeUndefined();
  });

  it('ignores our own messages and events that are not messages', () => {
    const read = page(readDmEventsPage(withFields, { userId: US, now }));
    expect(read.events[0]).toEqual({ type: 'ignored', reason: 'our own direct message', externalId: '1585800613752881156' });
    expect(read.events[2]).toEqual({ type: 'ignored', reason: 'a direct message event of type "ParticipantsJoin"', externalId: '1585800000000000000' });
  });

  it('stops at the last event read before (the endpoint takes no since_id)', () => {
    const read = page(readDmEventsPage(withFields, { userId: US, now, afterId: '1585800613253812228' }));
    expect(read.events.map((e) => (e.type === 'ignored' ? e.externalId : message(e).externalId))).toEqual(['1585800613752881156']);
    expect(read.reachedCheckpoint).toBe(true);
    expect(read.newestId).toBe('1585800613752881156');
  });

  it('reads the recorded empty answer (dm-events-200.json) as nothing to do', () => {
    const read = page(readDmEventsPage(loadXFixture('dm-events-200.json').body, { userId: US, now }));
    expect(read).toEqual({ events: [], newestId: undefined, nextToken: undefined, reachedCheckpoint: false });
  });
});

describe('an answer that is not a v2 page', () => {
  it.each([
    ['not an object', 'Rate limit exceeded\n', 'answer is not a JSON object'],
    ['data not a list', { data: {} }, 'data is not a list'],
  ])('is refused: %s', (_label, body, reason) => {
    expect(readMentionsPage(body, { userId: OWNER, now })).toEqual({ ok: false, reason });
    expect(readDmEventsPage(body, { userId: OWNER, now })).toEqual({ ok: false, reason });
  });

  it('drops a next_token that is not a token', () => {
    expect(page(readMentionsPage({ meta: { next_token: 'a b<script>' } }, { userId: OWNER, now })).nextToken).toBeUndefined();
  });
});
