/**
 * The X side of the responder: replies, DMs and hidden replies through twitter-api-v2, every
 * failure judged as permanent, transient or rate limited, and look-ups that find a post we made
 * when a crash left us not knowing whether X has it.
 */
import { type Agent as HttpAgent, type IncomingHttpHeaders } from 'node:http';
import { type TwitterApi } from 'twitter-api-v2';
import { OutboundFailure, type Sent, type XOutbound } from '../outbound/ports.js';
import { rateLimitReset, twitterApi, type XApiSettings } from './client.js';
import { failureFromXError, type XCallContext } from './outbound-errors.js';
import { sameXText, X_MAX_DM_LENGTH, X_MAX_WEIGHTED_LENGTH, xWeightedLength } from './outbound-text.js';
import { isRecord, readId, readIsoDate, readText, snowflakeTime } from './values.js';

export interface XOutboundSettings extends XApiSettings {
  /** Our own account: the author of our replies and the sender of our DMs. */
  userId: string;
}

/** How many pages a look-up reads before it gives up rather than answer "not there" unsure. */
export const MAX_LOOKUP_PAGES = 5;
const PAGE_SIZE = 100;
/** Our clock and X's may differ; a DM stamped a little before we started sending is still ours. */
export const DM_CLOCK_SKEW_MS = 5 * 60_000;
/** Enough of X's echo of our text to recognise it in the desk; the row already holds the full text. */
const MAX_ECHO = 1000;

interface Answer {
  data: unknown;
  headers: IncomingHttpHeaders;
}

type Call =
  | { method: 'GET'; path: string; query: Record<string, string | number | undefined>; params?: Record<string, string> }
  | { method: 'POST' | 'PUT'; path: string; body: Record<string, unknown>; params?: Record<string, string> };

export class XOutboundClient implements XOutbound {
  private readonly api: TwitterApi;
  private readonly agent?: HttpAgent;
  private readonly timeoutMs: number;
  private readonly userId: string;

  constructor(settings: XOutboundSettings) {
    if (!readId(settings.userId)) throw new Error('X userId must be the numeric id of our account');
    ({ api: this.api, agent: this.agent } = twitterApi(settings));
    this.timeoutMs = settings.timeoutMs ?? 15_000;
    this.userId = settings.userId;
  }

  async reply(inReplyToTweetId: string, text: string): Promise<Sent> {
    const target = requireId(inReplyToTweetId, 'tweet');
    refuseReplyText(text);
    const answer = await this.send({ method: 'POST', path: 'tweets', body: { text, reply: { in_reply_to_tweet_id: target } } }, 'tweet');
    const data = isRecord(answer.data) && isRecord(answer.data.data) ? answer.data.data : undefined;
    const id = readId(data?.id);
    if (!id) throw acceptedUnreadable('tweet id');
    return sent(id, { id, text: readText(data?.text, MAX_ECHO) ?? '' }, answer.headers);
  }

  async findReply(inReplyToTweetId: string, text: string): Promise<string | undefined> {
    const target = requireId(inReplyToTweetId, 'tweet');
    // Our reply is newer than the tweet it answers, so X itself narrows the walk with since_id.
    const query = { since_id: target, 'tweet.fields': 'referenced_tweets,created_at', max_results: PAGE_SIZE };
    return this.walk({ method: 'GET', path: 'users/:id/tweets', query, params: { id: this.userId } }, 'tweet', (items) => ({
      found: items.find((tweet) => isReplyTo(tweet, target) && typeof tweet.text === 'string' && sameXText(tweet.text, text)),
    }));
  }

  async sendDm(participantId: string, text: string): Promise<Sent> {
    const participant = requireId(participantId, 'dm');
    refuseDmText(text);
    const answer = await this.send({ method: 'POST', path: 'dm_conversations/with/:participant_id/messages', body: { text }, params: { participant_id: participant } }, 'dm');
    const data = isRecord(answer.data) && isRecord(answer.data.data) ? answer.data.data : undefined;
    const id = readId(data?.dm_event_id);
    if (!id) throw acceptedUnreadable('DM event id');
    const conversation = typeof data?.dm_conversation_id === 'string' && /^\d{1,20}-\d{1,20}$/.test(data.dm_conversation_id) ? data.dm_conversation_id : undefined;
    return sent(id, { dm_event_id: id, ...(conversation ? { dm_conversation_id: conversation } : {}) }, answer.headers);
  }

  async findDm(participantId: string, text: string, since: Date): Promise<string | undefined> {
    const participant = requireId(participantId, 'dm');
    const cutoff = since.getTime() - DM_CLOCK_SKEW_MS;
    const query = { 'dm_event.fields': 'id,text,sender_id,created_at,event_type', event_types: 'MessageCreate', max_results: PAGE_SIZE };
    const call: Call = { method: 'GET', path: 'dm_conversations/with/:participant_id/dm_events', query, params: { participant_id: participant } };
    return this.walk(call, 'dm', (items) => {
      const recent = items.filter((event) => (eventTime(event) ?? Infinity) >= cutoff);
      return {
        found: recent.find((event) => event.sender_id === this.userId && typeof event.text === 'string' && sameXText(event.text, text)),
        // Newest first: once a page reaches past the cutoff, no later page can hold our DM.
        done: recent.length < items.length,
      };
    });
  }

  async hide(tweetId: string, hidden: boolean): Promise<Sent> {
    const id = requireId(tweetId, 'tweet');
    const answer = await this.send({ method: 'PUT', path: 'tweets/:id/hidden', body: { hidden }, params: { id } }, 'tweet');
    const data = isRecord(answer.data) && isRecord(answer.data.data) ? answer.data.data : undefined;
    if (typeof data?.hidden !== 'boolean') throw acceptedUnreadable('hidden state');
    return sent(id, { hidden: data.hidden }, answer.headers);
  }

  close(): void {
    this.agent?.destroy();
  }

  /**
   * Pages through a newest-first list until `look` finds the item or says nothing older can match.
   * Running out of pages is an error, not "not there": that answer would let the responder post twice.
   */
  private async walk(call: Call & { method: 'GET' }, subject: XCallContext['subject'], look: (items: Record<string, unknown>[]) => { found?: Record<string, unknown>; done?: boolean }): Promise<string | undefined> {
    let token: string | undefined;
    for (let page = 0; page < MAX_LOOKUP_PAGES; page++) {
      const answer = await this.send({ ...call, query: { ...call.query, pagination_token: token } }, subject);
      const body = isRecord(answer.data) ? answer.data : {};
      const items = Array.isArray(body.data) ? body.data.filter(isRecord) : [];
      const { found, done } = look(items);
      const id = readId(found?.id);
      if (id) return id;
      token = isRecord(body.meta) && typeof body.meta.next_token === 'string' ? body.meta.next_token : undefined;
      if (done || !token) return undefined;
    }
    throw new OutboundFailure('permanent', {
      provider: 'x',
      message: `could not tell whether X has our ${subject === 'tweet' ? 'reply' : 'DM'}: more than ${MAX_LOOKUP_PAGES * PAGE_SIZE} items to search; check on X before sending again`,
    });
  }

  private async send(call: Call, subject: XCallContext['subject']): Promise<Answer> {
    const options = { fullResponse: true as const, params: call.params, timeout: this.timeoutMs };
    try {
      if (call.method === 'GET') return await this.api.v2.get(call.path, definedOnly(call.query), options);
      if (call.method === 'POST') return await this.api.v2.post(call.path, call.body, options);
      return await this.api.v2.put(call.path, call.body, options);
    } catch (error) {
      throw failureFromXError(error, { method: call.method, subject, now: new Date() });
    }
  }
}

/** Refuses, before calling X, a reply X would refuse: nothing to say, or over 280 as X counts. */
export function refuseReplyText(text: string): void {
  if (!text.trim()) throw localRefusal('reply is empty');
  const length = xWeightedLength(text);
  if (length > X_MAX_WEIGHTED_LENGTH) throw localRefusal(`reply is ${length} characters; X allows ${X_MAX_WEIGHTED_LENGTH}`);
}

export function refuseDmText(text: string): void {
  if (!text.trim()) throw localRefusal('direct message is empty');
  // DMs are counted in code points, without the weighting posts get.
  const length = [...text].length;
  if (length > X_MAX_DM_LENGTH) throw localRefusal(`direct message is ${length} characters; X allows ${X_MAX_DM_LENGTH.toLocaleString('en-GB')}`);
}

function localRefusal(message: string): OutboundFailure {
  return new OutboundFailure('permanent', { provider: 'x', message });
}

/** Ids go into URL paths: anything but a snowflake is refused rather than sent somewhere else. */
function requireId(value: string, subject: XCallContext['subject']): string {
  const id = readId(value);
  if (!id) throw localRefusal(`not an X ${subject === 'tweet' ? 'tweet' : 'account'} id: ${JSON.stringify(value.slice(0, 40))}`);
  return id;
}

/** X said yes but we cannot read what it made: it may well exist, so the retry must look first. */
function acceptedUnreadable(what: string): OutboundFailure {
  return new OutboundFailure('transient', { provider: 'x', message: `X accepted the request but its answer had no ${what}` }, { maybeDelivered: true });
}

function sent(providerId: string, response: Record<string, unknown>, headers: IncomingHttpHeaders): Sent {
  const slowDownUntil = headers['x-rate-limit-remaining'] === '0' ? rateLimitReset(headers) : undefined;
  return { providerId, at: new Date(), response, ...(slowDownUntil ? { slowDownUntil } : {}) };
}

function isReplyTo(tweet: Record<string, unknown>, target: string): boolean {
  return Array.isArray(tweet.referenced_tweets) && tweet.referenced_tweets.some((ref) => isRecord(ref) && ref.type === 'replied_to' && ref.id === target);
}

function eventTime(event: Record<string, unknown>): number | undefined {
  const id = readId(event.id);
  return (readIsoDate(event.created_at) ?? (id ? snowflakeTime(id) : undefined))?.getTime();
}

function definedOnly(query: Record<string, string | number | undefined>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(query).filter((entry): entry is [string, string | number] => entry[1] !== undefined));
}
