import type { InboundEvent, InboundMessage } from '@desk/domain';
import { commentText, ignored, isOurs, readAuthor, type ChangeContext } from './change.js';
import { isRecord, label, notAfter, readId, readPermalink, readTime, type Json } from './values.js';

/**
 * An Instagram `comments` change: sent when a comment is made on our media, with no verb (Instagram
 * sends no edits; removals and hides are not notified). `parent_id` is present only on a reply and
 * always names a comment. The payload carries no time of its own, so the entry's time is used.
 */
export function instagramComment(value: Json, context: ChangeContext): InboundEvent {
  const externalId = readId(value.id);
  if (!externalId) return ignored(`Instagram comment id ${label(value.id)} is not a usable id`);
  const author = readAuthor(value.from);
  if (isOurs(author, context.options)) return ignored('comment by our own Instagram account', externalId);

  const { now } = context.options;
  const message: InboundMessage = {
    channel: 'instagram',
    externalId,
    author,
    receivedAt: notAfter(readTime(value.timestamp) ?? context.entryTime ?? now, now),
    text: commentText(value.text),
    kind: 'message',
    raw: context.raw,
  };
  const mediaId = isRecord(value.media) ? readId(value.media.id) : undefined;
  const parentId = readId(value.parent_id);
  // As on Facebook, a thread is a top-level comment and its replies, not the whole media.
  if (parentId && parentId !== mediaId) message.replyTo = [parentId];
  const url = readPermalink(value.permalink_url ?? value.permalink, ['instagram.com']);
  if (url) message.url = url;
  return { type: 'message', message };
}
