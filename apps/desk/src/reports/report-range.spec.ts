import { describe, expect, it } from '@jest/globals';
import { defaultCalendar } from '@desk/sla';
import { ApiException } from '../http/api-error.js';
import { closedDays, periodsOf, reportRange } from './report-range.js';

const ZONE = 'Europe/London';

describe('report ranges', () => {
  it('default to the last 13 weeks, this one included, in London dates', () => {
    // Sat 21 Nov 2026 00:30 UTC is 00:30 in London (GMT): the range ends that Saturday.
    const range = reportRange({}, ZONE, new Date('2026-11-21T00:30:00Z'));
    expect(range).toMatchObject({ from: '2026-08-24', to: '2026-11-21' });
    expect(range.start.toISOString()).toBe('2026-08-23T23:00:00.000Z'); // BST midnight
    expect(range.end.toISOString()).toBe('2026-11-22T00:00:00.000Z');
  });

  it('refuse a backwards, malformed or too long range with a reason', () => {
    const now = new Date('2026-11-21T12:00:00Z');
    expect(() => reportRange({ from: '2026-02-01', to: '2026-01-01' }, ZONE, now)).toThrow(/after/);
    expect(() => reportRange({ from: '2026-02-30' }, ZONE, now)).toThrow(ApiException);
    expect(() => reportRange({ from: '1/2/2026' }, ZONE, now)).toThrow(/YYYY-MM-DD/);
    expect(() => reportRange({ from: '2020-01-01', to: '2026-01-01' }, ZONE, now)).toThrow(/at most/);
  });

  it('list weeks from Monday and months from the 1st that touch the range', () => {
    expect(periodsOf({ from: '2026-12-24', to: '2027-01-05' }, 'week')).toEqual(['2026-12-21', '2026-12-28', '2027-01-04']);
    expect(periodsOf({ from: '2026-12-24', to: '2027-01-05' }, 'month')).toEqual(['2026-12-01', '2027-01-01']);
  });

  it('mark bank holidays on working days, by their official names', () => {
    expect(closedDays({ from: '2026-12-24', to: '2027-01-05' }, defaultCalendar())).toEqual([
      { date: '2026-12-25', title: 'Christmas Day' },
      { date: '2026-12-28', title: 'Boxing Day' },
      { date: '2027-01-01', title: 'New Year’s Day' },
    ]);
  });
});
