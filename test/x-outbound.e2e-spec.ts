import { OutboundFailure, x } from '@desk/channels';
import { FAKE_CREDENTIALS } from '@desk/config';
import { FakeXApi, snowflakeTime, type FakeUser } from './fakes/x-api.js';
import { freshId } from './fakes/x-webhook.js';

const { XOutboundClient, MAX_LOOKUP_PAGES } = x;
type Client = InstanceType<typeof XOutboundClient>;

let fake: FakeXApi;
const clients: Client[] = [];

beforeAll(async () => {
  fake = await FakeXApi.start(4460);
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  fake.pageSize = 100;
  fake.responseDelayMs = 0;
  fake.holdResponses = false;
  fake.onAccepted = undefined;
  fake.releaseResponses();
});

afterAll(async () => {
  await fake?.close();
});

/** A client for `account` against the fake (or `baseUrl`), each test with an account of its own. */
function clientFor(account: string, overrides: Partial<ConstructorParameters<typeof XOutboundClient>[0]> = {}): Client {
  const { consumerKey, consumerSecret, accessSecret } = FAKE_CREDENTIALS.x;
  const client = new XOutboundClient({ baseUrl: fake.url, consumerKey, consumerSecret, accessToken: FakeXApi.tokenFor(account), accessSecret, userId: account, timeoutMs: 5000, ...overrides });
  clients.push(client);
  return client;
}

function person(label: string): FakeUser {
  const id = freshId();
  return { id, username: `${label}_${id.slice(-6)}`, name: `${label} ${id.slice(-4)}` };
}

/** A mention of `account` by `author`, which our replies answer. */
function mention(account: string, author: FakeUser, text = 'How long is the wait at A&E today?'): string {
  const id = freshId();
  fake.addMention(account, { id, text, edit_history_tweet_ids: [id], author_id: author.id, created_at: snowflakeTime(id), conversation_id: id }, author);
  return id;
}

async function failureOf(promise: Promise<unknown>): Promise<OutboundFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OutboundFailure) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const postsBy = (account: string) => fake.posts.filter((p) => p.author_id === account);

// Links, an ampersand and a bare host: everything X rewrites when it stores a reply.
const REPLY = 'Sorry to hear that. A&E waits are at https://www.nhs.uk/service-search/a-and-e. For advice, 111.nhs.uk or call 111.';

describe('replies', () => {
  it('posts exactly one reply to the tweet, with our text, and says what X made', async () => {
    const account = freshId();
    const author = person('parent');
    const target = mention(account, author);
    const before = Date.now();

    const sent = await clientFor(account).reply(target, REPLY);

    const posts = postsBy(account);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ author_id: account, in_reply_to_tweet_id: target, text: REPLY });
    const requests = fake.requestsFor(account, 'tweets_create');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/2/tweets', status: 201, body: { text: REPLY, reply: { in_reply_to_tweet_id: target } } });
    expect(sent.providerId).toBe(posts[0]!.id);
    expect(sent.response).toEqual({ id: posts[0]!.id, text: posts[0]!.storedText });
    expect(posts[0]!.storedText.startsWith(`@${author.username} `)).toBe(true);
    expect(sent.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(sent.at.getTime()).toBeLessThanOrEqual(Date.now());
    expect(sent.slowDownUntil).toBeUndefined();
  });

  it('finds our reply only once it is posted, and not another reply to the same tweet or ours to another', async () => {
    const account = freshId();
    const target = mention(account, person('carer'));
    // Another person: X refuses the same words to the same person twice.
    const other = mention(account, person('visitor'), 'And parking?');
    const client = clientFor(account);

    expect(await client.findReply(target, REPLY)).toBeUndefined();
    const lookups = fake.requestsFor(account, 'user_tweets');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]).toMatchObject({ path: `/2/users/${account}/tweets`, query: { since_id: target, max_results: '100' } });
    expect(lookups[0]!.query['tweet.fields']!.split(',')).toEqual(expect.arrayContaining(['referenced_tweets', 'created_at']));

    const differentText = await client.reply(target, 'Thank you, we have passed this on to the team.');
    const sameTextElsewhere = await client.reply(other, REPLY);
    expect(await client.findReply(target, REPLY)).toBeUndefined();

    const ours = await client.reply(target, REPLY);
    // X holds it as "@carer_… Sorry… https://t.co/… For advice, https://t.co/… or call 111.", with &amp;.
    const stored = postsBy(account).find((p) => p.id === ours.providerId)!.storedText;
    expect(stored).not.toContain('nhs.uk');
    expect(stored).toContain('&amp;');
    expect(await client.findReply(target, REPLY)).toBe(ours.providerId);
    expect(await client.findReply(target, 'Thank you, we have passed this on to the team.')).toBe(differentText.providerId);
    expect(await client.findReply(other, REPLY)).toBe(sameTextElsewhere.providerId);
  });

  it('follows pagination to an older reply, and gives up unsure rather than say "not there" past its page limit', async () => {
    const account = freshId();
    const target = mention(account, person('walker'));
    const client = clientFor(account);
    const ours = await client.reply(target, REPLY);
    for (let i = 0; i < 3; i++) await client.reply(mention(account, person(`n${i}`)), `Later reply ${i}`);
    fake.pageSize = 1;

    expect(await client.findReply(target, REPLY)).toBe(ours.providerId);
    const pages = fake.requestsFor(account, 'user_tweets');
    expect(pages.map((r) => r.returnedIds.length)).toEqual([1, 1, 1, 1]);
    for (let i = 1; i < pages.length; i++) expect(pages[i]!.query.pagination_token).toBe(pages[i - 1]!.nextToken);

    for (let i = 0; i < MAX_LOOKUP_PAGES; i++) await client.reply(mention(account, person(`m${i}`)), `Even later reply ${i}`);
    const failure = await failureOf(client.findReply(target, 'A reply we never sent'));
    expect(failure.kind).toBe('permanent');
    expect(failure.message).toMatch(/could not tell whether X has our reply/);
    expect(fake.requestsFor(account, 'user_tweets')).toHaveLength(pages.length + MAX_LOOKUP_PAGES);
  });

  it('refuses a reply over 280 characters before calling X', async () => {
    const account = freshId();
    const failure = await failureOf(clientFor(account).reply(mention(account, person('long')), '😀'.repeat(141)));
    expect(failure).toMatchObject({ kind: 'permanent', error: { message: 'reply is 282 characters; X allows 280' } });
    expect(fake.requestsFor(account, 'tweets_create')).toHaveLength(0);
  });

  it('a reply to a deleted tweet is permanent, with X problem body and transaction id kept', async () => {
    const account = freshId();
    const target = mention(account, person('gone'));
    fake.deleteTweet(target);

    const failure = await failureOf(clientFor(account).reply(target, REPLY));

    expect(failure).toMatchObject({
      kind: 'permanent',
      maybeDelivered: false,
      error: { provider: 'x', status: 403, message: 'the tweet was deleted or is not visible to us (403)', body: { title: 'Forbidden', detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.', type: 'about:blank', status: 403 } },
    });
    expect(failure.error.traceId).toMatch(/^[0-9a-f]{16}$/);
    expect(postsBy(account)).toHaveLength(0);
  });

  it('the same reply twice to the same person is refused by X as a duplicate', async () => {
    const account = freshId();
    const target = mention(account, person('twice'));
    const client = clientFor(account);
    await client.reply(target, REPLY);
    const failure = await failureOf(client.reply(target, REPLY));
    expect(failure).toMatchObject({ kind: 'permanent', error: { status: 403, message: 'X refused the post as a duplicate of one we already made (403)' } });
    expect(postsBy(account)).toHaveLength(1);
  });
});

describe('direct messages', () => {
  it('sends one DM and finds it again, not an older one, not theirs, not another text', async () => {
    const account = freshId();
    const participant = person('patient');
    const client = clientFor(account);
    const text = 'Hello, please send us your reference number & we will look into it: https://www.nhs.uk/contact';
    const since = new Date();

    const sent = await client.sendDm(participant.id, text);

    expect(fake.dmsSent.filter((d) => d.sender_id === account)).toEqual([expect.objectContaining({ id: sent.providerId, participant_id: participant.id, text })]);
    const [request] = fake.requestsFor(account, 'dm_send');
    expect(request).toMatchObject({ method: 'POST', path: `/2/dm_conversations/with/${participant.id}/messages`, status: 201, body: { text } });
    expect(sent.response).toEqual({ dm_event_id: sent.providerId, dm_conversation_id: fake.dmsSent.at(-1)!.dm_conversation_id });

    // Their copy of the same words, newer than ours: found first if the sender were not checked.
    const theirs = freshId();
    fake.addDmEvent(account, { id: theirs, event_type: 'MessageCreate', text, sender_id: participant.id, created_at: snowflakeTime(theirs) }, participant);

    expect(await client.findDm(participant.id, text, since)).toBe(sent.providerId);
    const [lookup] = fake.requestsFor(account, 'dm_with_events');
    expect(lookup).toMatchObject({ path: `/2/dm_conversations/with/${participant.id}/dm_events`, query: { event_types: 'MessageCreate' } });
    expect(lookup!.query['dm_event.fields']!.split(',')).toEqual(expect.arrayContaining(['id', 'text', 'sender_id', 'created_at', 'event_type']));
    expect(await client.findDm(participant.id, 'Hello, a different message', since)).toBeUndefined();
    // Sent well before `since` (past the clock-skew allowance): not the DM we are looking for.
    expect(await client.findDm(participant.id, text, new Date(Date.now() + 10 * 60_000))).toBeUndefined();
    expect(await client.findDm(person('stranger').id, text, since)).toBeUndefined();
  });
});

describe('hiding replies', () => {
  it('hides and unhides a tweet', async () => {
    const account = freshId();
    const abusive = mention(account, person('troll'), 'abuse');
    const client = clientFor(account);

    const hidden = await client.hide(abusive, true);
    expect(hidden).toMatchObject({ providerId: abusive, response: { hidden: true } });
    expect(fake.hidden.get(abusive)).toBe(true);
    expect(fake.requestsFor(account, 'hide')[0]).toMatchObject({ method: 'PUT', path: `/2/tweets/${abusive}/hidden`, body: { hidden: true }, status: 200 });

    expect((await client.hide(abusive, false)).response).toEqual({ hidden: false });
    expect(fake.hidden.get(abusive)).toBe(false);
  });
});

describe('failures', () => {
  it('a 429 is rate limited until the reset X sent, and nothing was posted', async () => {
    const account = freshId();
    fake.limitNext(account, 'tweets_create', { times: 1, resetInSeconds: 30 });

    const failure = await failureOf(clientFor(account).reply(mention(account, person('busy')), REPLY));

    const [refused] = fake.requestsFor(account, 'tweets_create');
    expect(refused!.status).toBe(429);
    expect(failure).toMatchObject({ kind: 'rate_limited', maybeDelivered: false, error: { status: 429 } });
    expect(failure.until).toEqual(new Date(refused!.rateLimitReset! * 1000));
    expect(failure.until!.getTime()).toBeGreaterThan(Date.now() + 20_000);
    expect(postsBy(account)).toHaveLength(0);
  });

  it('a wrong secret is a permanent 401 that shows no credential', async () => {
    const account = freshId();
    const failure = await failureOf(clientFor(account, { consumerSecret: 'not-the-secret' }).reply(mention(account, person('auth')), REPLY));
    expect(failure).toMatchObject({ kind: 'permanent', maybeDelivered: false, error: { status: 401, body: { title: 'Unauthorized', status: 401 } } });
    expect(fake.requestsFor(account, 'tweets_create')[0]!.status).toBe(401);
    const shown = JSON.stringify({ message: failure.message, error: failure.error });
    for (const secret of ['not-the-secret', FAKE_CREDENTIALS.x.accessSecret, FAKE_CREDENTIALS.x.consumerKey, FakeXApi.tokenFor(account)]) expect(shown).not.toContain(secret);
    expect(postsBy(account)).toHaveLength(0);
  });

  it('a server that is down is transient, and the reply certainly not delivered', async () => {
    const account = freshId();
    const failure = await failureOf(clientFor(account, { baseUrl: 'http://127.0.0.1:4469' }).reply(freshId(), REPLY));
    expect(failure).toMatchObject({ kind: 'transient', maybeDelivered: false, error: { code: 'ECONNREFUSED' } });
  });

  it('an answer slower than the timeout may have been delivered, and the reply is then found', async () => {
    const account = freshId();
    const target = mention(account, person('slow'));
    fake.responseDelayMs = 1500;
    const client = clientFor(account, { timeoutMs: 300 });

    const failure = await failureOf(client.reply(target, REPLY));

    expect(failure).toMatchObject({ kind: 'transient', maybeDelivered: true, error: { code: 'timeout' } });
    expect(postsBy(account)).toHaveLength(1);
    expect(await client.findReply(target, REPLY)).toBe(postsBy(account)[0]!.id);
  });

  it('a connection lost after X acted may have been delivered (onAccepted and held answers)', async () => {
    const account = freshId();
    const participant = person('lost');
    fake.holdResponses = true;
    const accepted: string[] = [];
    let onAccepted!: () => void;
    const acceptedOnce = new Promise<void>((resolve) => (onAccepted = resolve));
    fake.onAccepted = (write) => {
      accepted.push(`${write.endpoint}:${write.id}`);
      onAccepted();
    };

    const sending = failureOf(clientFor(account).sendDm(participant.id, 'We have received your message.'));
    await acceptedOnce;
    expect(fake.dropHeldResponses()).toBe(1);
    const failure = await sending;

    expect(failure).toMatchObject({ kind: 'transient', maybeDelivered: true });
    const sent = fake.dmsSent.filter((d) => d.sender_id === account);
    expect(accepted).toEqual([`dm_send:${sent[0]!.id}`]);
  });
});
