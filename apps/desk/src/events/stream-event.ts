import type { DeskStreamEvent, Role } from '@desk/domain';
import type { DeskEvent } from '@desk/runtime';

/** What a browser is told about a back-end event; undefined when browsers don't need it. */
export function toStreamEvents(event: DeskEvent): DeskStreamEvent[] {
  switch (event.type) {
    case 'item.triaged':
      return [{ type: 'queue.changed', conversationId: event.conversationId, reason: 'new item' }];
    case 'contact.flagged_for_blocking':
      return [];
    case 'outbound.queued':
      return [
        { type: 'outbound.changed', outboundId: event.outboundId, conversationId: event.conversationId, status: 'pending', failure: null },
        ...(event.kind === 'press_forward' ? [{ type: 'press.changed', outboundId: event.outboundId } as const] : []),
      ];
    case 'outbound.sent':
    case 'outbound.failed': {
      const failed = event.type === 'outbound.failed';
      const out: DeskStreamEvent[] = [
        {
          type: 'outbound.changed',
          outboundId: event.outboundId,
          conversationId: event.conversationId,
          status: failed ? 'failed' : 'sent',
          failure: failed ? event.reason : null,
        },
      ];
      if (event.conversationId) out.push({ type: 'queue.changed', conversationId: event.conversationId, reason: failed ? 'send failed' : 'sent' });
      if (event.kind === 'press_forward') out.push({ type: 'press.changed', outboundId: event.outboundId });
      return out;
    }
    case 'conversation.changed':
      return [{ type: 'queue.changed', conversationId: event.conversationId, reason: event.reason }];
    case 'conversation.viewing':
      return [{ type: 'conversation.viewing', conversationId: event.conversationId, viewers: event.viewers }];
    case 'press.changed':
      return [{ type: 'press.changed', outboundId: event.outboundId }];
  }
}

/** The press office sees its own list move, nothing of the public queue. */
export function visibleTo(role: Role, event: DeskStreamEvent): boolean {
  if (role === 'press') return event.type === 'press.changed';
  return true;
}
