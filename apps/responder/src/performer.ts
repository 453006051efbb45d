import { Inject, Injectable } from '@nestjs/common';
import {
  OutboundFailure,
  type GraphNetwork,
  type GraphOutbound,
  type Mailer,
  type OutgoingMail,
  type Sent,
  type XOutbound,
} from '@desk/channels';
import type { Channel, OutboundKind } from '@desk/domain';
import type { OutboundWork } from '@desk/persistence';
import { GRAPH_OUTBOUND, MAILER, X_OUTBOUND } from './tokens.js';
import { MailContext } from './mail-context.js';

/** What reconciliation learnt from the provider. */
export type Found =
  | { state: 'found'; providerId: string; response?: unknown }
  | { state: 'none' }
  /** The provider cannot be asked (no Sent folder configured): a person must check. */
  | { state: 'unknown'; why: string; provider: string };

/** One provider call, decided from the row alone. */
export type Action =
  | { type: 'x-reply'; tweetId: string; text: string }
  | { type: 'x-dm'; participantId: string; text: string }
  | { type: 'x-hide'; tweetId: string; hidden: boolean }
  | { type: 'graph-reply'; network: GraphNetwork; accountId: string; commentId: string; text: string }
  | { type: 'graph-hide'; network: GraphNetwork; accountId: string; commentId: string; hidden: boolean }
  | { type: 'mail'; mail: OutgoingMail };

/** The provider limits rows spend, each paced on its own. */
export const PACE_SCOPES = ['smtp', 'graph', 'x-hide', 'x-dm', 'x-tweets'] as const;
export type PaceScope = (typeof PACE_SCOPES)[number];

/** Which provider limit a row spends: a 429 on replies must not hold up hides or email. */
export function paceScope(kind: OutboundKind, channel: Channel): PaceScope {
  if (kind === 'press_forward' || kind === 'alert' || kind === 'email' || channel === 'email') return 'smtp';
  if (channel === 'facebook' || channel === 'instagram') return 'graph';
  if (kind === 'hide' || kind === 'unhide') return 'x-hide';
  return channel === 'x_dm' ? 'x-dm' : 'x-tweets';
}

/** A row that cannot be performed as it stands: a person must act on it. */
function refuse(message: string): OutboundFailure {
  return new OutboundFailure('permanent', { provider: 'local', message });
}

/** Turns outbound rows into provider calls, and asks providers whether an earlier call already happened. */
@Injectable()
export class Performer {
  constructor(
    @Inject(X_OUTBOUND) private readonly x: XOutbound,
    @Inject(GRAPH_OUTBOUND) private readonly graph: GraphOutbound,
    @Inject(MAILER) private readonly mailer: Mailer,
    private readonly mail: MailContext,
  ) {}

  async send(work: OutboundWork): Promise<Sent> {
    const action = await this.action(work);
    switch (action.type) {
      case 'x-reply':
        return this.x.reply(action.tweetId, action.text);
      case 'x-dm':
        return this.x.sendDm(action.participantId, action.text);
      case 'x-hide':
        return this.x.hide(action.tweetId, action.hidden);
      case 'graph-reply':
        return this.graph.reply(action.network, action.accountId, action.commentId, action.text);
      case 'graph-hide':
        return this.graph.hide(action.network, action.accountId, action.commentId, action.hidden);
      case 'mail':
        return this.mailer.send(action.mail);
    }
  }

  async find(work: OutboundWork): Promise<Found> {
    const action = await this.action(work);
    const found = (providerId: string | undefined): Found => (providerId ? { state: 'found', providerId } : { state: 'none' });
    switch (action.type) {
      case 'x-reply':
        return found(await this.x.findReply(action.tweetId, action.text));
      case 'x-dm':
        return found(await this.x.findDm(action.participantId, action.text, work.firstAttemptAt));
      case 'graph-reply':
        return found(await this.graph.findReply(action.network, action.accountId, action.commentId, action.text));
      // Hiding is idempotent at both providers: doing it again is the reconciliation.
      case 'x-hide':
      case 'graph-hide':
        return { state: 'none' };
      case 'mail': {
        const sent = await this.mailer.findSent(action.mail.messageId);
        if (sent === undefined) return { state: 'unknown', why: 'no Sent folder is configured to check (MAIL_SENT_MAILBOX)', provider: 'smtp' };
        return sent ? { state: 'found', providerId: action.mail.messageId } : { state: 'none' };
      }
    }
  }

  private async action(work: OutboundWork): Promise<Action> {
    if (work.kind === 'press_forward' || work.kind === 'alert') {
      if (!work.recipient) {
        const setting = work.kind === 'press_forward' ? 'press_office_email' : 'on_duty_email';
        throw refuse(`no ${work.kind === 'press_forward' ? 'press-office' : 'on-duty'} address is set (trust setting ${setting})`);
      }
      return { type: 'mail', mail: await this.mail.compose(work) };
    }
    const item = work.item;
    if (!item) throw refuse(`a ${work.kind} needs the message it answers, and this one has none`);
    if (item.channel === 'email' || work.kind === 'email') return { type: 'mail', mail: await this.mail.compose(work) };
    return actionFor(work, item);
  }
}

/** The provider call for a social channel row. */
export function actionFor(work: OutboundWork, item: NonNullable<OutboundWork['item']>): Action {
  const text = work.body ?? '';
  const needsText = work.kind === 'reply' || work.kind === 'direct_message';
  if (needsText && !text.trim()) throw refuse(`the ${work.kind} has no text`);
  const hidden = work.kind === 'hide';
  switch (item.channel) {
    case 'x':
      if (work.kind === 'reply') return { type: 'x-reply', tweetId: item.externalId, text };
      if (work.kind === 'hide' || work.kind === 'unhide') return { type: 'x-hide', tweetId: item.externalId, hidden };
      // An officer may answer a public tweet privately: a DM to its author.
      if (work.kind === 'direct_message') {
        if (!item.contact) throw refuse('the direct message has no known recipient');
        return { type: 'x-dm', participantId: item.contact.externalId, text };
      }
      break;
    case 'x_dm':
      if (work.kind === 'direct_message' || work.kind === 'reply') {
        if (!item.contact) throw refuse('the direct message has no known recipient');
        return { type: 'x-dm', participantId: item.contact.externalId, text };
      }
      break;
    case 'facebook':
    case 'instagram': {
      const accountId = graphAccountOf(item.raw);
      if (!accountId) throw refuse(`the ${item.channel} comment does not say which account it was made on`);
      if (work.kind === 'reply') return { type: 'graph-reply', network: item.channel, accountId, commentId: item.externalId, text };
      if (work.kind === 'hide' || work.kind === 'unhide') {
        return { type: 'graph-hide', network: item.channel, accountId, commentId: item.externalId, hidden };
      }
      break;
    }
    default:
      break;
  }
  throw refuse(`a ${work.kind} cannot be done on ${item.channel}`);
}

/** The Page or Instagram account a comment's webhook was delivered for (ingest keeps the entry's id in raw). */
function graphAccountOf(raw: unknown): string | undefined {
  const id = (raw as { entry?: { id?: unknown } } | null)?.entry?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}
