import type { Channel } from './channel.js';
import type { Flag, Route } from './route.js';

/** What an automatic action does; `alert` tells the on-duty officer, `press_forward` the press office. */
export type ActionKind = 'reply' | 'direct_message' | 'email' | 'hide' | 'press_forward' | 'alert';
export type TemplateKey = 'emergency' | 'clinical' | 'appointment' | 'press_ack';

export interface PlannedAction {
  kind: ActionKind;
  /** The channel it goes out on (email for forwards and alerts). */
  channel: Channel;
  template?: TemplateKey;
  /** Unique per item, so planning twice plans the same actions. */
  key: string;
}

/** Channels where the public can see the item, and where we can hide it. */
export const PUBLIC_CHANNELS: readonly Channel[] = ['x', 'facebook', 'instagram'];

export function canHide(channel: Channel): boolean {
  return PUBLIC_CHANNELS.includes(channel);
}

/** How a reply reaches the sender on their own channel. */
export function replyKind(channel: Channel): 'reply' | 'direct_message' | 'email' {
  if (channel === 'x_dm') return 'direct_message';
  if (channel === 'email') return 'email';
  return 'reply';
}

/** Routes answered automatically and closed: no person needs to see them in the queue. */
export const AUTO_CLOSED_ROUTES: readonly Route[] = ['clinical', 'appointment', 'spam'];

/**
 * The route's automatic actions (TRIAGE.md). Abuse, spam and personal data on a public channel
 * are hidden where the channel allows it; the strike for abuse is recorded by the worker.
 */
export function automaticActions(route: Route, flags: readonly Flag[], channel: Channel): PlannedAction[] {
  const reply = (template: TemplateKey): PlannedAction => ({ kind: replyKind(channel), channel, template, key: `reply-${template}` });
  const actions: PlannedAction[] = [];
  switch (route) {
    case 'urgent_safety':
      actions.push(reply('emergency'), { kind: 'alert', channel: 'email', key: 'alert-on-duty' });
      break;
    case 'clinical':
      actions.push(reply('clinical'));
      break;
    case 'appointment':
      actions.push(reply('appointment'));
      break;
    case 'media':
      actions.push({ kind: 'press_forward', channel: 'email', key: 'press-forward' }, reply('press_ack'));
      break;
    default:
      break;
  }
  const hide = route === 'abuse' || route === 'spam' || flags.includes('pii');
  if (hide && canHide(channel)) actions.push({ kind: 'hide', channel, key: 'hide' });
  return actions;
}

/** Queue order: lower first. Urgent always leads; then complaints; praise last among human routes. */
export const ROUTE_PRIORITY: Record<Route, number> = {
  urgent_safety: 0,
  complaint: 10,
  media: 20,
  abuse: 30,
  general: 40,
  story: 40,
  praise: 60,
  clinical: 90,
  appointment: 90,
  spam: 90,
};
