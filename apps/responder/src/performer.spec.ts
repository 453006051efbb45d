import { OutboundFailure } from '@desk/channels';
import type { OutboundWork } from '@desk/persistence';
import { actionFor, paceScope } from './performer.js';

type Item = NonNullable<OutboundWork['item']>;

function work(over: Omit<Partial<OutboundWork>, 'item'> & { item?: Partial<Item> } = {}): { work: OutboundWork; item: Item } {
  const item: Item = {
    id: 'item-1',
    channel: 'x' as const,
    externalId: '1456012973835788293',
    route: 'clinical' as const,
    subject: null,
    body: 'What dose should I take?',
    url: null,
    receivedAt: new Date('2026-11-20T10:00:00Z'),
    dueAt: null,
    raw: {},
    reasons: [],
    contact: { externalId: '750362064426721281', handle: 'someone', displayName: 'Someone' },
    ...over.item,
  };
  const w: OutboundWork = {
    id: 'out-1',
    kind: 'reply',
    channel: item.channel,
    automatic: true,
    template: 'clinical',
    body: 'Please call NHS 111.',
    recipient: null,
    reference: null,
    attempts: 1,
    firstAttemptAt: new Date(),
    createdAt: new Date(),
    author: null,
    ...over,
    item,
  } as OutboundWork;
  return { work: w, item };
}

describe('actionFor', () => {
  it('replies to the tweet itself and DMs the sender of a DM', () => {
    const x = work({});
    expect(actionFor(x.work, x.item)).toEqual({ type: 'x-reply', tweetId: '1456012973835788293', text: 'Please call NHS 111.' });
    const dm = work({ kind: 'direct_message', item: { channel: 'x_dm', externalId: '1585800613253812228' } });
    expect(actionFor(dm.work, dm.item)).toEqual({ type: 'x-dm', participantId: '750362064426721281', text: 'Please call NHS 111.' });
  });

  it("answers a public tweet privately with a DM to its author when an officer chooses to", () => {
    const privately = work({ kind: 'direct_message' });
    expect(actionFor(privately.work, privately.item)).toEqual({ type: 'x-dm', participantId: '750362064426721281', text: 'Please call NHS 111.' });
  });

  it('answers a comment as the account its webhook was delivered for', () => {
    const ig = work({ item: { channel: 'instagram', externalId: '17858893269000001', raw: { object: 'instagram', entry: { id: '17841400000000000' } } } });
    expect(actionFor(ig.work, ig.item)).toMatchObject({ type: 'graph-reply', network: 'instagram', accountId: '17841400000000000', commentId: '17858893269000001' });
    const hide = work({ kind: 'hide', body: null, item: { channel: 'facebook', externalId: '123_456', raw: { entry: { id: '1234567890' } } } });
    expect(actionFor(hide.work, hide.item)).toEqual({ type: 'graph-hide', network: 'facebook', accountId: '1234567890', commentId: '123_456', hidden: true });
    const unhide = work({ kind: 'unhide', body: null });
    expect(actionFor(unhide.work, unhide.item)).toEqual({ type: 'x-hide', tweetId: '1456012973835788293', hidden: false });
  });

  it('refuses what cannot be done, for a person to act on, without calling anyone', () => {
    const cases = [
      work({ body: '   ' }),
      work({ kind: 'hide', item: { channel: 'x_dm' } }),
      work({ item: { channel: 'facebook', raw: {} } }),
      work({ kind: 'direct_message', item: { channel: 'x_dm', contact: null } }),
      work({ kind: 'direct_message', item: { channel: 'x', contact: null } }),
    ];
    for (const c of cases) {
      let thrown: unknown;
      try {
        actionFor(c.work, c.item);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(OutboundFailure);
      expect((thrown as OutboundFailure).kind).toBe('permanent');
    }
  });
});

describe('paceScope', () => {
  it('keeps each provider limit apart, so a 429 on replies does not hold up hides or email', () => {
    expect(paceScope('reply', 'x')).toBe('x-tweets');
    expect(paceScope('direct_message', 'x_dm')).toBe('x-dm');
    expect(paceScope('hide', 'x')).toBe('x-hide');
    expect(paceScope('reply', 'instagram')).toBe('graph');
    expect(paceScope('press_forward', 'email')).toBe('smtp');
    expect(paceScope('email', 'email')).toBe('smtp');
  });
});
