import type { InboundEvent, InboundMessage } from '@desk/domain';
import { commentText, eventTime, ignored, isOurs, readAuthor, type ChangeContext } from './change.js';
import { label, notAfter, readId, readPermalink, readTime, type Json } from './values.js';

const VERBS = ['add', 'edited', 'remove', 'hide', 'unhide'] as const;
type Verb = (typeof VERBS)[number];

function isVerb(value: unknown): value is Verb {
  return typeof value === 'string' && (VERBS as readonly string[]).includes(value);
}

/**
 * A Page `feed` change. Only comments are inbound items: posts on our own Page, reactions, shares
 * and the rest are ignored with a reason. The verbs map onto what the desk stores about an item.
 */
export function feedChange(value: Json, context: ChangeContext): InboundEvent {
  if (value.item !== 'comment') return ignored(`feed item ${label(value.item)} is not a comment`);
  const externalId = readId(value.comment_id);
  if (!externalId) return ignored(`comment_id ${label(value.comment_id)} is not a usable id`);
  if (!isVerb(value.verb)) return ignored(`comment verb ${label(value.verb)} is not handled`, externalId);
  const author = readAuthor(value.from, value.sender_id, value.sender_name);
  if (isOurs(author, context.options)) return ignored('comment by our own Page', externalId);

  const createdAt = readTime(value.created_time);
  const at = eventTime(context, createdAt);
  const common = { channel: 'facebook' as const, externalId, at, raw: context.raw };
  switch (value.verb) {
    case 'add':
      return { type: 'message', message: feedMessage(value, externalId, author, createdAt, context) };
    case 'edited': {
      const message = feedMessage(value, externalId, author, createdAt, context);
      return { type: 'edited', ...common, text: message.text, message };
    }
    case 'remove':
      return { type: 'removed', ...common };
    case 'hide':
      return { type: 'hidden', ...common };
    case 'unhide':
      return { type: 'unhidden', ...common };
  }
}

function feedMessage(
  value: Json,
  externalId: string,
  author: InboundMessage['author'],
  createdAt: Date | undefined,
  context: ChangeContext,
): InboundMessage {
  const { now } = context.options;
  const postId = readId(value.post_id);
  const parentId = readId(value.parent_id);
  const message: InboundMessage = {
    channel: 'facebook',
    externalId,
    author,
    receivedAt: notAfter(createdAt ?? context.entryTime ?? now, now),
    text: commentText(value.message),
    kind: 'message',
    raw: context.raw,
  };
  // A top-level comment names the post as its parent; only a reply names another comment. A
  // thread is a top-level comment and the replies under it, not the whole post (ingest threads a
  // reply under the comment it answers, and a comment is a thread of its own): a post in the news
  // draws thousands of comments from as many people, each owed an answer of their own.
  if (parentId && parentId !== postId) message.replyTo = [parentId];
  const url = readPermalink(value.permalink_url, ['facebook.com']) ?? commentUrl(postId, externalId);
  if (url) message.url = url;
  return message;
}

/** Post ids are "<page>_<post>" and comment ids "<post>_<comment>"; together they give the comment's link. */
function commentUrl(postId: string | undefined, commentId: string): string | undefined {
  const post = /^(\d+)_(\d+)$/.exec(postId ?? '');
  const comment = /^(\d+)_(\d+)$/.exec(commentId);
  if (!post || !comment) return undefined;
  return `https://www.facebook.com/${post[1]}/posts/${post[2]}?comment_id=${comment[2]}`;
}
