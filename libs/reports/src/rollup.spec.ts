import type { ItemFact } from '@desk/domain';
import { bucketOf } from './buckets.js';
import { contribution, rollupDelta, triageRoute } from './rollup.js';

const H = 3_600_000;

function fact(over: Partial<ItemFact> = {}): ItemFact {
  return {
    itemId: 'i1', channel: 'x', route: 'general', reroutedFrom: null, receivedAt: new Date('2026-03-02T10:00:00Z'), receivedDay: '2026-03-02',
    hourOfWeek: 10, outOfHours: false, dueAt: new Date('2026-03-04T17:00:00Z'), firstResponseAt: null, firstResponseAutomatic: null,
    responseWorkingMs: null, met: null, firstHumanResponseAt: null, firstHumanResponderId: null, humanResponseWorkingMs: null, humanMet: null,
    firstHumanTouchAt: null, humanTouchWorkingMs: null, humanTouchMs: null, hidden: false, owed: true, ownerId: null,
    pressForwardedAt: null, pressAnsweredAt: null, pressResponseWorkingMs: null,
    ...over,
  };
}

describe('rollup contributions', () => {
  it('count an item once in every cut, keyed by its channel, route, owner, hour and triage route', () => {
    const { counts } = contribution(fact({ ownerId: 'u1', route: 'complaint', reroutedFrom: 'clinical' }));
    expect(counts.map((c) => [c.cut, c.key])).toEqual([
      ['all', ''], ['channel', 'x'], ['route', 'complaint'], ['officer', 'u1'], ['hour', '10'], ['triage', 'clinical'],
    ]);
    expect(counts.every((c) => c.items === 1 && c.owed === 1 && c.unanswered === 1 && c.met === 0)).toBe(true);
    expect(triageRoute({ route: 'complaint', reroutedFrom: 'clinical' })).toBe('clinical');
  });

  it('keep automatic and human responses apart, and count a deflection and its re-route', () => {
    const auto = contribution(fact({ route: 'general', reroutedFrom: 'clinical', firstResponseAt: new Date(), firstResponseAutomatic: true, responseWorkingMs: 0, met: true }));
    const all = auto.counts[0]!;
    expect(all).toMatchObject({ answered: 1, met: 1, auto_answered: 1, auto_met: 1, deflected: 1, deflection_rerouted: 1, unanswered: 0 });
    expect(auto.hist.map((h) => [h.cut, h.series, h.bucket])).toEqual([
      ['all', 'auto', 0], ['channel', 'auto', 0], ['route', 'auto', 0], ['officer', 'auto', 0],
    ]);
    const human = contribution(fact({ firstResponseAt: new Date(), firstResponseAutomatic: false, responseWorkingMs: 30 * H, met: false }));
    expect(human.counts[0]).toMatchObject({ answered: 1, met: 0, auto_answered: 0, deflected: 0 });
    expect(new Set(human.hist.map((h) => `${h.series}:${h.bucket}`))).toEqual(new Set([`human:${bucketOf(30 * H)}`]));
  });

  it('owe nothing for spam and abuse, and count urgent touches and press times on the whole team only', () => {
    expect(contribution(fact({ route: 'spam', owed: false, hidden: true })).counts[0]).toMatchObject({ items: 1, owed: 0, unanswered: 0, hidden: 1 });
    const urgent = contribution(fact({ route: 'urgent_safety', humanTouchMs: 40 * 60_000 }));
    expect(urgent.counts[0]).toMatchObject({ urgent: 1, urgent_touched: 1, urgent_touched_hour: 1 });
    expect(urgent.hist).toEqual([{ day: '2026-03-02', cut: 'all', key: '', series: 'touch', bucket: bucketOf(40 * 60_000), n: 1 }]);
    const press = contribution(fact({ route: 'media', pressForwardedAt: new Date(), pressAnsweredAt: new Date(), pressResponseWorkingMs: 2 * H }));
    expect(press.hist.filter((h) => h.series === 'press').map((h) => h.cut)).toEqual(['all']);
  });
});

describe('rollup deltas', () => {
  it('move an item from unanswered to met on its own day, and leave out rows that did not change', () => {
    const before = fact();
    const after = fact({ firstResponseAt: new Date(), firstResponseAutomatic: false, responseWorkingMs: 2 * H, met: true });
    const delta = rollupDelta([before], [after]);
    expect(delta.counts).toHaveLength(6);
    expect(delta.counts[0]).toMatchObject({ day: '2026-03-02', cut: 'all', items: 0, answered: 1, met: 1, unanswered: -1 });
    expect(delta.hist.every((h) => h.n === 1 && h.series === 'human')).toBe(true);
    expect(rollupDelta([after], [after])).toEqual({ counts: [], hist: [] });
  });

  it('take a fact off its old day and owner and put it on the new ones', () => {
    const delta = rollupDelta([fact({ ownerId: 'u1' })], [fact({ ownerId: 'u2' })]);
    expect(delta.counts.map((c) => [c.cut, c.key, c.items])).toEqual([
      ['officer', 'u1', -1],
      ['officer', 'u2', 1],
    ]);
    const gone = rollupDelta([fact()], []);
    expect(gone.counts.every((c) => c.items === -1)).toBe(true);
  });
});
