import type { InboundEvent, InboundMessage } from '@desk/domain';
import {
  dmThreadKey,
  isRecord,
  type Json,
  MAX_NAME,
  MAX_TEXT,
  notAfter,
  readEpochMs,
  readHandle,
  readId,
  readText,
  readV1Date,
  snowflakeTime,
  storableJson,
  tweetUrl,
} from './values.js';
import { dmUrl, editOf, ignored, label } from './events.js';

export interface ActivityOptions {
  /** Our own account: what it posts or sends is not inbound. */
  userId: string;
  now: Date;
}

export type ParsedActivity = { ok: true; events: InboundEvent[] } | { ok: false; reason: string };

/** The Account Activity keys we read; every other activity (likes, follows, typing...) is not a message to us. */
const HANDLED = new Set(['for_user_id', 'user_has_blocked', 'tweet_create_events', 'direct_message_events', 'users', 'apps']);

/**
 * Reads one Account Activity delivery (v1.1 shapes) into inbound events. A body that is not an
 * Account Activity object at all is refused (`ok: false`, answered 400); a single unreadable event
 * inside a good body becomes an `ignored` event with a log-safe reason, so the rest still count.
 */
export function parseAccountActivity(payload: unknown, options: ActivityOptions): ParsedActivity {
  if (!isRecord(payload)) return { ok: false, reason: 'body is not a JSON object' };
  const tweets = payload.tweet_create_events;
  const dms = payload.direct_message_events;
  if (tweets !== undefined && !Array.isArray(tweets)) return { ok: false, reason: 'tweet_create_events is not a list' };
  if (dms !== undefined && !Array.isArray(dms)) return { ok: false, reason: 'direct_message_events is not a list' };
  if (payload.users !== undefined && !isRecord(payload.users)) return { ok: false, reason: 'users is not an object' };

  // One app can subscribe several accounts to the same webhook; only ours belong in this desk.
  if (readId(payload.for_user_id) !== options.userId) {
    return { ok: true, events: [ignored(`delivery for another account (for_user_id ${label(payload.for_user_id)})`)] };
  }
  const users = (payload.users as Json | undefined) ?? {};
  const events: InboundEvent[] = [
    ...(tweets ?? []).map((tweet: unknown) => tweetEvent(tweet, options)),
    ...(dms ?? []).map((dm: unknown) => dmEvent(dm, users, options)),
  ];
  for (const key of Object.keys(payload)) if (!HANDLED.has(key)) events.push(ignored(`not a message: ${label(key)}`));
  return { ok: true, events };
}

function tweetEvent(tweet: unknown, { userId, now }: ActivityOptions): InboundEvent {
  if (!isRecord(tweet)) return ignored('a tweet that is not an object');
  const id = readId(tweet.id_str);
  if (!id) return ignored(`a tweet without a usable id_str (${label(tweet.id_str)})`);
  const user = isRecord(tweet.user) ? tweet.user : {};
  const authorId = readId(user.id_str);
  if (authorId === userId) return ignored('our own tweet', id);
  // A retweet repeats someone else's words to the retweeter's followers; nobody is asking us anything.
  if (isRecord(tweet.retweeted_status)) return ignored('a retweet', id);

  const extended = isRecord(tweet.extended_tweet) ? tweet.extended_tweet : {};
  const text = readText(extended.full_text, MAX_TEXT) ?? readText(tweet.full_text, MAX_TEXT) ?? readText(tweet.text, MAX_TEXT) ?? '';
  const handle = readHandle(user.screen_name);
  const parent = readId(tweet.in_reply_to_status_id_str);
  const postedAt = readV1Date(tweet.created_at) ?? readEpochMs(tweet.timestamp_ms) ?? snowflakeTime(id) ?? now;
  const message: InboundMessage = {
    channel: 'x',
    externalId: id,
    author: authorId ? { externalId: authorId, handle, displayName: readText(user.name, MAX_NAME) } : null,
    receivedAt: notAfter(postedAt, now),
    text,
    url: tweetUrl(id, handle),
    ...(parent ? { replyTo: [parent] } : {}),
    kind: 'message',
    raw: storableJson(tweet),
  };
  const initial = readId(isRecord(tweet.edit_history) ? tweet.edit_history.initial_tweet_id : undefined);
  return initial && initial !== id ? editOf(initial, message, handle, now) : { type: 'message', message };
}

function dmEvent(event: unknown, users: Json, { userId, now }: ActivityOptions): InboundEvent {
  if (!isRecord(event)) return ignored('a direct message event that is not an object');
  if (event.type !== 'message_create') return ignored(`a direct message event of type ${label(event.type)}`);
  const id = readId(event.id);
  if (!id) return ignored(`a direct message without a usable id (${label(event.id)})`);
  const create = isRecord(event.message_create) ? event.message_create : {};
  const sender = readId(create.sender_id);
  const recipient = readId(isRecord(create.target) ? create.target.recipient_id : undefined);
  if (!sender) return ignored('a direct message without a sender', id);
  if (sender === userId) return ignored('our own direct message', id);
  if (recipient !== userId) return ignored('a direct message not addressed to us', id);

  const profile = isRecord(users[sender]) ? (users[sender] as Json) : {};
  const data = isRecord(create.message_data) ? create.message_data : {};
  const postedAt = readEpochMs(event.created_timestamp) ?? snowflakeTime(id) ?? now;
  return {
    type: 'message',
    message: {
      channel: 'x_dm',
      externalId: id,
      author: { externalId: sender, handle: readHandle(profile.screen_name), displayName: readText(profile.name, MAX_NAME) },
      receivedAt: notAfter(postedAt, now),
      text: readText(data.text, MAX_TEXT) ?? '',
      url: dmUrl(sender, userId),
      threadKey: dmThreadKey(sender, userId),
      kind: 'message',
      // The sender's profile travels beside the event in `users`; keep it with the event.
      raw: storableJson({ direct_message_event: event, users: users[sender] === undefined ? {} : { [sender]: users[sender] } }),
    },
  };
}
