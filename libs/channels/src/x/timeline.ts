import type { InboundEvent, InboundMessage } from '@desk/domain';
import { dmUrl, editOf, ignored, label } from './events.js';
import {
  compareIds,
  dmThreadKey,
  isRecord,
  type Json,
  MAX_NAME,
  MAX_TEXT,
  maxId,
  notAfter,
  readHandle,
  readId,
  readIsoDate,
  readText,
  snowflakeTime,
  storableJson,
  tweetUrl,
} from './values.js';

export interface PageOptions {
  /** Our own account: what it posts or sends is not inbound. */
  userId: string;
  now: Date;
  /** Items up to and including this id were read before (the poller's checkpoint). */
  afterId?: string;
}

export interface TimelinePage {
  events: InboundEvent[];
  /** The newest id on the page, read or not; where the checkpoint moves once the walk is done. */
  newestId?: string;
  /** Present when there are older items to fetch (`meta.next_token`). */
  nextToken?: string;
  /** True when the page reached `afterId`: everything older was read before. */
  reachedCheckpoint: boolean;
}

export type ParsedPage = { ok: true; page: TimelinePage } | { ok: false; reason: string };

/** The fields the mention timeline is asked for, and what this reader understands. */
export const MENTION_QUERY = {
  'tweet.fields': 'id,text,created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,edit_history_tweet_ids,note_tweet',
  expansions: 'author_id',
  'user.fields': 'id,name,username',
} as const;

/** The fields the DM event list is asked for. */
export const DM_QUERY = {
  'dm_event.fields': 'id,text,event_type,created_at,dm_conversation_id,sender_id,participant_ids',
  event_types: 'MessageCreate',
  expansions: 'sender_id',
  'user.fields': 'id,name,username',
} as const;

const TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

/** One page of GET /2/users/:id/mentions (v2 shapes: `data`, `includes.users`, `meta`). */
export function readMentionsPage(body: unknown, options: PageOptions): ParsedPage {
  const shell = readShell(body);
  if (!shell.ok) return shell;
  const { items, users, meta } = shell;
  const fresh = items.filter((item) => isNewer(item, options.afterId));
  return {
    ok: true,
    page: {
      events: fresh.map((tweet) => mentionEvent(tweet, users, options)),
      newestId: readId(meta.newest_id) ?? maxId(idsOf(items)),
      nextToken: readToken(meta.next_token),
      reachedCheckpoint: fresh.length < items.length,
    },
  };
}

/** One page of GET /2/dm_events; it takes no since_id, so the checkpoint is applied here. */
export function readDmEventsPage(body: unknown, options: PageOptions): ParsedPage {
  const shell = readShell(body);
  if (!shell.ok) return shell;
  const { items, users, meta } = shell;
  const fresh = items.filter((item) => isNewer(item, options.afterId));
  return {
    ok: true,
    page: {
      events: fresh.map((event) => dmEvent(event, users, options)),
      newestId: maxId(idsOf(items)),
      nextToken: readToken(meta.next_token),
      reachedCheckpoint: fresh.length < items.length,
    },
  };
}

type Shell = { ok: true; items: unknown[]; users: Map<string, Json>; meta: Json } | { ok: false; reason: string };

function readShell(body: unknown): Shell {
  if (!isRecord(body)) return { ok: false, reason: 'answer is not a JSON object' };
  // An empty result has no `data` at all (`{"meta":{"result_count":0}}`).
  if (body.data !== undefined && !Array.isArray(body.data)) return { ok: false, reason: 'data is not a list' };
  const includes = isRecord(body.includes) ? body.includes : {};
  const users = new Map<string, Json>();
  for (const user of Array.isArray(includes.users) ? includes.users : []) {
    const id = isRecord(user) ? readId(user.id) : undefined;
    if (id) users.set(id, user as Json);
  }
  return { ok: true, items: (body.data as unknown[] | undefined) ?? [], users, meta: isRecord(body.meta) ? body.meta : {} };
}

function readToken(value: unknown): string | undefined {
  return typeof value === 'string' && TOKEN.test(value) ? value : undefined;
}

function idsOf(items: unknown[]): string[] {
  return items.flatMap((item) => {
    const id = isRecord(item) ? readId(item.id) : undefined;
    return id ? [id] : [];
  });
}

/** An unreadable item is kept (and reported as ignored) rather than silently treated as old. */
function isNewer(item: unknown, afterId: string | undefined): boolean {
  const id = isRecord(item) ? readId(item.id) : undefined;
  return !afterId || !id || compareIds(id, afterId) > 0;
}

function author(users: Map<string, Json>, id: string | undefined) {
  const user = id ? users.get(id) : undefined;
  if (!id) return null;
  return { externalId: id, handle: readHandle(user?.username), displayName: readText(user?.name, MAX_NAME) };
}

function references(tweet: Json, type: string): string[] {
  const refs = Array.isArray(tweet.referenced_tweets) ? tweet.referenced_tweets : [];
  return refs.flatMap((ref) => {
    const id = isRecord(ref) && ref.type === type ? readId(ref.id) : undefined;
    return id ? [id] : [];
  });
}

function mentionEvent(tweet: unknown, users: Map<string, Json>, { userId, now }: PageOptions): InboundEvent {
  if (!isRecord(tweet)) return ignored('a tweet that is not an object');
  const id = readId(tweet.id);
  if (!id) return ignored(`a tweet without a usable id (${label(tweet.id)})`);
  const authorId = readId(tweet.author_id);
  if (authorId === userId) return ignored('our own tweet', id);
  if (references(tweet, 'retweeted').length) return ignored('a retweet', id);

  const who = author(users, authorId);
  // A long post's `text` is its first 280 characters; the whole of it is in `note_tweet`.
  const note = isRecord(tweet.note_tweet) ? tweet.note_tweet : {};
  const text = readText(note.text, MAX_TEXT) ?? readText(tweet.text, MAX_TEXT) ?? '';
  const parent = references(tweet, 'replied_to')[0];
  const conversation = readId(tweet.conversation_id);
  const message: InboundMessage = {
    channel: 'x',
    externalId: id,
    author: who,
    receivedAt: notAfter(readIsoDate(tweet.created_at) ?? snowflakeTime(id) ?? now, now),
    text,
    url: tweetUrl(id, who?.handle),
    ...(parent ? { replyTo: [parent] } : {}),
    ...(conversation ? { threadKey: conversation } : {}),
    kind: 'message',
    raw: slice(tweet, authorId, users),
  };
  const history = Array.isArray(tweet.edit_history_tweet_ids) ? tweet.edit_history_tweet_ids : [];
  const initial = readId(history[0]);
  return initial && initial !== id ? editOf(initial, message, who?.handle, now) : { type: 'message', message };
}

function dmEvent(event: unknown, users: Map<string, Json>, { userId, now }: PageOptions): InboundEvent {
  if (!isRecord(event)) return ignored('a direct message event that is not an object');
  const id = readId(event.id);
  if (!id) return ignored(`a direct message event without a usable id (${label(event.id)})`);
  if (event.event_type !== 'MessageCreate') return ignored(`a direct message event of type ${label(event.event_type)}`, id);
  const sender = readId(event.sender_id);
  if (sender === userId) return ignored('our own direct message', id);

  const pair = typeof event.dm_conversation_id === 'string' ? /^(\d{1,20})-(\d{1,20})$/.exec(event.dm_conversation_id) : null;
  const group = pair ? undefined : readId(event.dm_conversation_id);
  const threadKey = pair ? dmThreadKey(pair[1]!, pair[2]!) : group ? `dm-group-${group}` : sender ? dmThreadKey(sender, userId) : undefined;
  const message: InboundMessage = {
    channel: 'x_dm',
    externalId: id,
    author: author(users, sender),
    receivedAt: notAfter(readIsoDate(event.created_at) ?? snowflakeTime(id) ?? now, now),
    text: readText(event.text, MAX_TEXT) ?? '',
    ...(pair ? { url: dmUrl(pair[1]!, pair[2]!) } : sender && !group ? { url: dmUrl(sender, userId) } : {}),
    ...(threadKey ? { threadKey } : {}),
    kind: 'message',
    // Without a sender we cannot tell our own message from theirs: a person decides.
    ...(sender ? {} : { parseError: 'the event names no sender' }),
    raw: slice(event, sender, users),
  };
  return { type: 'message', message };
}

/** The item with its author's profile, in the shape it came in, so it can be read again later. */
function slice(item: Json, authorId: string | undefined, users: Map<string, Json>): unknown {
  const user = authorId ? users.get(authorId) : undefined;
  return storableJson(user ? { data: item, includes: { users: [user] } } : { data: item });
}
