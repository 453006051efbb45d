import type { Channel, InboundEvent } from '@desk/domain';
import { ignored, type ChangeContext, type ParseOptions } from './change.js';
import { feedChange } from './feed.js';
import { instagramComment } from './instagram.js';
import { isRecord, label, readTime, type Json } from './values.js';

export type WebhookParse = { ok: true; events: InboundEvent[] } | { ok: false; reason: string };

/** Meta batches at most 1,000 changes in one delivery; more is not Meta, and would hold the request open. */
export const MAX_CHANGES = 1000;

/**
 * Looked up by a value from the payload, so a Map: an object literal would also "find" what every
 * object inherits, and `"object": "constructor"` (or "toString", "hasOwnProperty"...) would read
 * as a topic we handle, its changes stored as Instagram comments (found by fuzzing).
 */
const CHANNEL_OF = new Map<string, Channel>([['page', 'facebook'], ['instagram', 'instagram']]);
const COMMENT_FIELD: Record<string, string> = { facebook: 'feed', instagram: 'comments' };

/**
 * Turns one signed webhook delivery into events. Never throws: a body that is not a Meta delivery
 * at all is `ok: false` (the caller answers 400); inside a delivery, every entry or change that
 * cannot be used becomes an `ignored` event with its reason, and the rest is still read.
 */
export function parseWebhook(payload: unknown, options: ParseOptions): WebhookParse {
  if (!isRecord(payload)) return { ok: false, reason: 'body is not a JSON object' };
  if (typeof payload.object !== 'string') return { ok: false, reason: 'no "object" field' };
  if (!Array.isArray(payload.entry)) return { ok: false, reason: 'no "entry" array' };
  const channel = CHANNEL_OF.get(payload.object);
  // A topic we did not subscribe to is Meta's to send; refusing it would only make it retry.
  if (!channel) return { ok: true, events: [ignored(`webhook object ${label(payload.object)} is not handled`)] };

  const events: InboundEvent[] = [];
  let changes = 0;
  for (const [index, entry] of payload.entry.entries()) {
    if (!isRecord(entry)) {
      events.push(ignored(`entry ${index} is not an object`));
      continue;
    }
    if (!Array.isArray(entry.changes)) {
      events.push(ignored(entry.messaging || entry.standby ? 'messaging events are not handled (comments only)' : `entry ${index} has no changes`));
      continue;
    }
    for (const change of entry.changes) {
      if (++changes > MAX_CHANGES) {
        events.push(ignored(`more than ${MAX_CHANGES} changes in one delivery; the rest is not read`));
        return { ok: true, events };
      }
      events.push(readChange(channel, payload.object, entry, change, options));
    }
  }
  return { ok: true, events };
}

function readChange(channel: Channel, object: string, entry: Json, change: unknown, options: ParseOptions): InboundEvent {
  if (!isRecord(change)) return ignored(`a ${channel} change is not an object`);
  if (change.field !== COMMENT_FIELD[channel]) return ignored(`${channel} field ${label(change.field)} is not handled`);
  if (!isRecord(change.value)) return ignored(`${channel} ${change.field} change has no value object`);
  const context: ChangeContext = {
    options,
    entryTime: readTime(entry.time),
    raw: { object, entry: { id: entry.id, time: entry.time }, change },
  };
  return channel === 'facebook' ? feedChange(change.value, context) : instagramComment(change.value, context);
}
