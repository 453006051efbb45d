import { describe, expect, it } from '@jest/globals';
import { toStreamEvents, visibleTo } from './stream-event.js';

describe('stream events', () => {
  it('tells browsers the queue moved when an item is triaged or a send finishes', () => {
    expect(toStreamEvents({ type: 'item.triaged', itemId: 'i', conversationId: 'c', route: 'general' })).toEqual([
      { type: 'queue.changed', conversationId: 'c', reason: 'new item' },
    ]);
    const failed = toStreamEvents({ type: 'outbound.failed', outboundId: 'o', kind: 'reply', itemId: 'i', conversationId: 'c', reason: 'x: deleted' });
    expect(failed).toEqual([
      { type: 'outbound.changed', outboundId: 'o', conversationId: 'c', status: 'failed', failure: 'x: deleted' },
      { type: 'queue.changed', conversationId: 'c', reason: 'send failed' },
    ]);
  });

  it('tells the press office when a forward is sent', () => {
    const sent = toStreamEvents({ type: 'outbound.sent', outboundId: 'o', kind: 'press_forward', itemId: 'i', conversationId: 'c', reconciled: false });
    expect(sent.map((e) => e.type)).toEqual(['outbound.changed', 'queue.changed', 'press.changed']);
  });

  it('shows the press office its own list only', () => {
    for (const event of toStreamEvents({ type: 'conversation.changed', conversationId: 'c', reason: 'note' })) {
      expect(visibleTo('press', event)).toBe(false);
      expect(visibleTo('officer', event)).toBe(true);
    }
    expect(visibleTo('press', { type: 'press.changed', outboundId: 'o' })).toBe(true);
  });
});
