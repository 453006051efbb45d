import { describe, expect, it } from '@jest/globals';
import { defaultCalendar } from '@desk/sla';
import { slaState } from './sla-state.js';

const calendar = defaultCalendar();
const HOUR = 3_600_000;
// Wed 4 Mar 2026 10:00 London (GMT), a plain working day.
const now = new Date('2026-03-04T10:00:00Z');

describe('slaState', () => {
  it('is ok with plenty of working time left and at risk under the threshold', () => {
    expect(slaState(calendar, new Date('2026-03-05T10:00:00Z'), true, now, 4 * HOUR)).toEqual({ sla: 'ok', workingMsLeft: 8 * HOUR });
    expect(slaState(calendar, new Date('2026-03-04T13:00:00Z'), true, now, 4 * HOUR)).toEqual({ sla: 'at_risk', workingMsLeft: 3 * HOUR });
  });

  it('counts working time only: due Monday 10:00 seen on Friday 16:00 has 2 working hours left', () => {
    const friday = new Date('2026-03-06T16:00:00Z');
    expect(slaState(calendar, new Date('2026-03-09T10:00:00Z'), true, friday, 4 * HOUR)).toEqual({ sla: 'at_risk', workingMsLeft: 2 * HOUR });
  });

  it('is breached once due has passed, even out of hours when no working time elapsed since', () => {
    expect(slaState(calendar, new Date('2026-03-04T09:30:00Z'), true, now, 4 * HOUR)).toEqual({ sla: 'breached', workingMsLeft: -0.5 * HOUR });
    const evening = new Date('2026-03-04T18:00:00Z');
    expect(slaState(calendar, new Date('2026-03-04T17:00:00Z'), true, evening, 4 * HOUR).sla).toBe('breached');
  });

  it('says answered when nothing awaits, and none without a due time', () => {
    expect(slaState(calendar, new Date('2026-03-04T09:30:00Z'), false, now, 4 * HOUR)).toEqual({ sla: 'answered', workingMsLeft: null });
    expect(slaState(calendar, null, true, now, 4 * HOUR)).toEqual({ sla: 'none', workingMsLeft: null });
  });
});
