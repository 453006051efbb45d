import { defaultCalendar, dueAt } from '@desk/sla';
import type { FactSource } from '@desk/domain';
import { isBreached, itemFact } from './item-fact.js';

const calendar = defaultCalendar();
const HOUR = 3_600_000;

function source(over: Partial<FactSource>): FactSource {
  const receivedAt = over.receivedAt ?? new Date('2026-03-04T10:00:00Z');
  return {
    itemId: 'i',
    channel: 'x',
    route: 'general',
    reroutedFrom: null,
    receivedAt,
    dueAt: dueAt(receivedAt, calendar),
    firstResponseAt: null,
    firstResponseAutomatic: null,
    firstHumanResponseAt: null,
    firstHumanResponderId: null,
    firstHumanTouchAt: null,
    hiddenAt: null,
    assigneeId: null,
    pressForwardedAt: null,
    pressAnsweredAt: null,
    ...over,
  };
}

describe('itemFact', () => {
  it('counts working time across a weekend: Friday 16:00 answered Monday 10:00 took 2 working hours', () => {
    const fact = itemFact(
      source({ receivedAt: new Date('2026-03-06T16:00:00Z'), firstResponseAt: new Date('2026-03-09T10:00:00Z'), firstResponseAutomatic: false }),
      calendar,
    );
    expect(fact.responseWorkingMs).toBe(2 * HOUR);
    expect(fact.met).toBe(true);
    expect(fact.outOfHours).toBe(false);
    expect(fact.receivedDay).toBe('2026-03-06');
    expect(fact.hourOfWeek).toBe(4 * 24 + 16);
  });

  it('skips bank holidays: Thu 24 Dec 2026 16:30, answered Tue 29 Dec 09:30, took 1 working hour', () => {
    const fact = itemFact(source({ receivedAt: new Date('2026-12-24T16:30:00Z'), firstResponseAt: new Date('2026-12-29T09:30:00Z') }), calendar);
    expect(fact.responseWorkingMs).toBe(HOUR);
    expect(fact.dueAt!.toISOString()).toBe('2026-12-31T16:30:00.000Z');
    expect(fact.met).toBe(true);
  });

  it('uses London wall-clock time across the clock change for the day and hour of week', () => {
    // Sun 29 Mar 2026 23:30 BST is 22:30 UTC: still Sunday, hour 23, out of hours.
    const fact = itemFact(source({ receivedAt: new Date('2026-03-29T22:30:00Z') }), calendar);
    expect(fact.receivedDay).toBe('2026-03-29');
    expect(fact.hourOfWeek).toBe(6 * 24 + 23);
    expect(fact.outOfHours).toBe(true);
    // Answered Mon 30 Mar 10:00 BST (09:00 UTC): one working hour.
    expect(itemFact(source({ receivedAt: new Date('2026-03-29T22:30:00Z'), firstResponseAt: new Date('2026-03-30T09:00:00Z') }), calendar).responseWorkingMs).toBe(HOUR);
  });

  it('keeps automatic and human responses apart, and is late when the first response came after due', () => {
    const receivedAt = new Date('2026-03-02T09:00:00Z');
    const fact = itemFact(
      source({
        receivedAt,
        firstResponseAt: new Date('2026-03-02T09:00:05Z'),
        firstResponseAutomatic: true,
        firstHumanResponseAt: new Date('2026-03-05T09:30:00Z'),
        firstHumanResponderId: 'u1',
      }),
      calendar,
    );
    expect(fact.met).toBe(true);
    expect(fact.humanMet).toBe(false);
    expect(fact.humanResponseWorkingMs).toBe(24.5 * HOUR);
  });

  it('is unanswered: no figures, breached only once due has passed', () => {
    const fact = itemFact(source({}), calendar);
    expect([fact.responseWorkingMs, fact.met]).toEqual([null, null]);
    expect(isBreached(fact, new Date(fact.dueAt!.getTime() - 1))).toBe(false);
    expect(isBreached(fact, new Date(fact.dueAt!.getTime() + 1))).toBe(true);
    expect(isBreached({ dueAt: fact.dueAt, firstResponseAt: new Date(fact.dueAt!.getTime() + 1) }, new Date(0))).toBe(true);
  });
  it('counts a response stamped before its item (clocks disagree) as immediate, not negative', () => {
    const receivedAt = new Date('2026-03-04T10:00:00Z');
    const fact = itemFact(
      source({
        receivedAt,
        firstResponseAt: new Date('2026-03-04T09:59:30Z'),
        firstResponseAutomatic: true,
        pressForwardedAt: new Date('2026-03-04T10:01:00Z'),
        pressAnsweredAt: new Date('2026-03-04T10:00:30Z'),
      }),
      calendar,
    );
    expect(fact).toMatchObject({ responseWorkingMs: 0, met: true, pressResponseWorkingMs: 0 });
  });
});
