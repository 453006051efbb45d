export { ignored, label } from '../payload.js';
import type { InboundEvent, InboundMessage } from '@desk/domain';
import { compareIds, notAfter, snowflakeTime, tweetUrl } from './values.js';



/** Where the account holder reads a one-to-one conversation on x.com. */
export function dmUrl(a: string, b: string): string {
  const [low, high] = compareIds(a, b) <= 0 ? [a, b] : [b, a];
  return `https://x.com/messages/${low}-${high}`;
}

/**
 * An edit is a new tweet id that names the first version; the desk keeps one item per post, under
 * the first id, with the newest text (the repository keeps the earlier text in its history).
 */
export function editOf(initialId: string, edit: InboundMessage, handle: string | undefined, now: Date): InboundEvent {
  const whole: InboundMessage = {
    ...edit,
    externalId: initialId,
    url: tweetUrl(initialId, handle),
    receivedAt: notAfter(snowflakeTime(initialId) ?? edit.receivedAt, now),
  };
  return { type: 'edited', channel: 'x', externalId: initialId, text: edit.text, at: edit.receivedAt, raw: edit.raw, message: whole };
}
