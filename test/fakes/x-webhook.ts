/**
 * Plays X's side of the Account Activity webhook: builds deliveries in the v1.1 shapes X sends
 * (tweet_create_events, direct_message_events with a users map, for_user_id), signs them the way
 * X does (HMAC-SHA256 of the exact body with the consumer secret, base64, "sha256=" before it),
 * and sends them; also makes the CRC check. It signs with node:crypto itself, not with our code,
 * so a mistake in ours cannot cancel out.
 */
import { createHmac } from 'node:crypto';
import { FAKE_CREDENTIALS } from '@desk/config';

export interface V1User {
  id: string;
  screen_name: string;
  name: string;
}

export interface TweetSpec {
  id: string;
  text: string;
  user: V1User;
  createdAt?: Date;
  /** The tweet it answers. */
  inReplyTo?: { id: string; user: V1User };
  /** Sent as a retweet of this (X delivers retweets of and by the account too). */
  retweetOf?: Record<string, unknown>;
  /** For an edit: the id of the first version. */
  initialTweetId?: string;
}

export interface DmSpec {
  id: string;
  senderId: string;
  recipientId: string;
  text: string;
  createdAt?: Date;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** v1.1's `created_at`: "Wed Oct 10 20:19:24 +0000 2018". */
export function v1Date(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${two(date.getUTCDate())} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000 ${date.getUTCFullYear()}`;
}

/** A 64-bit id as X writes it beside `id_str`: a bare JSON number (see `serialise`). */
const bigNumber = (id: string) => `__number__${id}`;

function v1UserObject(user: V1User): Record<string, unknown> {
  return {
    id: bigNumber(user.id),
    id_str: user.id,
    name: user.name,
    screen_name: user.screen_name,
    location: null,
    url: null,
    description: null,
    protected: false,
    verified: false,
    followers_count: 12,
    friends_count: 40,
    listed_count: 0,
    favourites_count: 3,
    statuses_count: 120,
    created_at: v1Date(new Date('2015-03-01T10:00:00Z')),
    profile_image_url_https: 'https://pbs.twimg.com/profile_images/1/default_normal.png',
    default_profile: true,
  };
}

/** A tweet object as tweet_create_events carries it; over 140 characters it is truncated with extended_tweet. */
export function v1Tweet(spec: TweetSpec): Record<string, unknown> {
  const created = spec.createdAt ?? new Date();
  const long = [...spec.text].length > 140;
  const tweet: Record<string, unknown> = {
    created_at: v1Date(created),
    id: bigNumber(spec.id),
    id_str: spec.id,
    text: long ? `${[...spec.text].slice(0, 139).join('')}… https://t.co/${spec.id.slice(-10)}` : spec.text,
    source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
    truncated: long,
    in_reply_to_status_id: spec.inReplyTo ? bigNumber(spec.inReplyTo.id) : null,
    in_reply_to_status_id_str: spec.inReplyTo?.id ?? null,
    in_reply_to_user_id: spec.inReplyTo ? bigNumber(spec.inReplyTo.user.id) : null,
    in_reply_to_user_id_str: spec.inReplyTo?.user.id ?? null,
    in_reply_to_screen_name: spec.inReplyTo?.user.screen_name ?? null,
    user: v1UserObject(spec.user),
    geo: null,
    coordinates: null,
    place: null,
    contributors: null,
    is_quote_status: false,
    quote_count: 0,
    reply_count: 0,
    retweet_count: 0,
    favorite_count: 0,
    entities: { hashtags: [], urls: [], user_mentions: [], symbols: [] },
    favorited: false,
    retweeted: false,
    filter_level: 'low',
    lang: 'en',
    timestamp_ms: String(created.getTime()),
  };
  if (long) tweet.extended_tweet = { full_text: spec.text, display_text_range: [0, [...spec.text].length], entities: tweet.entities };
  if (spec.retweetOf) tweet.retweeted_status = spec.retweetOf;
  if (spec.initialTweetId) {
    tweet.edit_history = { initial_tweet_id: spec.initialTweetId, edit_tweet_ids: [spec.initialTweetId, spec.id] };
  }
  return tweet;
}

export function tweetCreateDelivery(forUserId: string, tweets: Array<Record<string, unknown>>): Record<string, unknown> {
  return { for_user_id: forUserId, tweet_create_events: tweets };
}

/** direct_message_events with the `apps` and `users` maps X sends beside them. */
export function dmDelivery(forUserId: string, dms: DmSpec[], users: V1User[]): Record<string, unknown> {
  return {
    for_user_id: forUserId,
    direct_message_events: dms.map((dm) => ({
      type: 'message_create',
      id: dm.id,
      created_timestamp: String((dm.createdAt ?? new Date()).getTime()),
      message_create: {
        target: { recipient_id: dm.recipientId },
        sender_id: dm.senderId,
        source_app_id: '3033300',
        message_data: { text: dm.text, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } },
      },
    })),
    apps: { '3033300': { id: '3033300', name: 'Twitter Web App', url: 'https://mobile.twitter.com' } },
    users: Object.fromEntries(
      users.map((u) => [u.id, { id: u.id, created_timestamp: '1422556069340', name: u.name, screen_name: u.screen_name, protected: false, verified: false, followers_count: 22, friends_count: 45, statuses_count: 494 }]),
    ),
  };
}

/** JSON as X writes it: 64-bit ids as bare numbers (which JSON.parse rounds; readers must use id_str). */
export function serialise(payload: unknown): string {
  return JSON.stringify(payload).replace(/"__number__(\d+)"/g, '$1');
}

export function signXBody(body: Buffer | string, consumerSecret: string = FAKE_CREDENTIALS.x.consumerSecret): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(body).digest('base64')}`;
}

export interface Delivered {
  status: number;
  body: unknown;
}

/**
 * POSTs a delivery to `<baseUrl>/webhooks/x`. An object is serialised like X; a string or Buffer is
 * sent as given. `signature: null` sends no signature header; a string sends that header instead.
 */
export async function deliverToXWebhook(
  baseUrl: string,
  payload: unknown,
  options: { signature?: string | null; consumerSecret?: string } = {},
): Promise<Delivered> {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : serialise(payload));
  const signature = options.signature === undefined ? signXBody(body, options.consumerSecret) : options.signature;
  const res = await fetch(`${baseUrl}/webhooks/x`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...(signature === null ? {} : { 'x-twitter-webhooks-signature': signature }) },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** The challenge X sends: GET with a crc_token; the answer must be its HMAC with the consumer secret. */
export async function crcCheck(baseUrl: string, token: string): Promise<Delivered> {
  const res = await fetch(`${baseUrl}/webhooks/x?crc_token=${encodeURIComponent(token)}`);
  return { status: res.status, body: (await res.json()) as unknown };
}

export function expectedCrcAnswer(token: string, consumerSecret: string = FAKE_CREDENTIALS.x.consumerSecret): { response_token: string } {
  return { response_token: signXBody(token, consumerSecret) };
}

let sequence = 0;
/**
 * A fresh snowflake id minted now (time, then a counter), so each test's items are its own in a
 * database other suites share, and newer items have larger ids as X's do.
 */
export function freshId(at: Date = new Date()): string {
  sequence = (sequence + 1) % 4096;
  const workerBits = BigInt(process.pid % 1024) << 12n;
  return (((BigInt(at.getTime()) - 1288834974657n) << 22n) | workerBits | BigInt(sequence)).toString();
}
