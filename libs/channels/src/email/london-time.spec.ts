import { londonTime } from './london-time.js';

describe('londonTime', () => {
  it('shows GMT in winter and BST in summer', () => {
    expect(londonTime(new Date('2026-11-20T16:30:00Z'))).toBe('Fri 20 Nov 2026 16:30');
    expect(londonTime(new Date('2026-07-03T08:05:00Z'))).toBe('Fri 3 Jul 2026 09:05');
  });

  it('leaves the year out when asked, and crosses midnight on the UK clock', () => {
    expect(londonTime(new Date('2026-11-23T16:30:00Z'), { year: false })).toBe('Mon 23 Nov 16:30');
    expect(londonTime(new Date('2026-06-30T23:30:00Z'), { year: false })).toBe('Wed 1 Jul 00:30');
  });

  it('says so for an invalid date rather than throwing', () => {
    expect(londonTime(new Date(Number.NaN))).toBe('an unknown time');
  });
});
