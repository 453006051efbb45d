/// <reference types="jest" />
// The web desk's own tsconfig has no test globals; this file runs in the unit project like the rest.
import { addDays, isDay, londonToday, presetRange, readParams, weekdayOf, withParams } from './range.ts';

describe('report ranges', () => {
  it('reads real dates only', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('2026-2-3')).toBe(false);
    expect(isDay('')).toBe(false);
  });

  it('counts weeks from Monday and moves across month and clock-change ends', () => {
    expect(weekdayOf('2026-08-31')).toBe(0);
    expect(weekdayOf('2026-09-06')).toBe(6);
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('takes today in London, not in the browser’s zone', () => {
    // 23:30 UTC on 31 May is 00:30 on 1 June in London (BST).
    expect(londonToday(new Date('2026-05-31T23:30:00Z'))).toBe('2026-06-01');
  });

  it('gives whole weeks and months for the presets', () => {
    const saturday = '2026-11-21';
    expect(presetRange('last-4-weeks', saturday)).toEqual({ from: '2026-10-19', to: '2026-11-15' });
    expect(presetRange('last-13-weeks', saturday)).toEqual({ from: '2026-08-17', to: '2026-11-15' });
    // On a Monday the last full week ended yesterday.
    expect(presetRange('last-4-weeks', '2026-11-16')).toEqual({ from: '2026-10-19', to: '2026-11-15' });
    expect(presetRange('last-12-months', saturday)).toEqual({ from: '2025-11-01', to: '2026-10-31' });
    expect(presetRange('this-month', saturday)).toEqual({ from: '2026-11-01', to: '2026-11-21' });
    expect(presetRange('last-month', '2026-03-10')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(presetRange('last-month', '2026-01-05')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });

  it('fills in what the address lacks, and says a backwards range is invalid', () => {
    const bare = readParams(new URLSearchParams(''), { needsCut: true }, '2026-11-21');
    expect(bare).toEqual({
      params: { from: '2026-08-17', to: '2026-11-15', period: 'week', by: 'channel', automatic: true },
      complete: false,
      invalid: false,
    });
    const given = readParams(new URLSearchParams('from=2026-01-01&to=2026-01-31&period=month&by=team&automatic=exclude'), { needsCut: true });
    expect(given).toEqual({ params: { from: '2026-01-01', to: '2026-01-31', period: 'month', by: 'team', automatic: false }, complete: true, invalid: false });
    // Volumes and the rest need no cut: a range alone is complete.
    expect(readParams(new URLSearchParams('from=2026-01-01&to=2026-01-31'), { needsCut: false }).complete).toBe(true);
    expect(readParams(new URLSearchParams('from=2026-02-01&to=2026-01-31'), { needsCut: false }).invalid).toBe(true);
    expect(readParams(new URLSearchParams('from=2026-01-01&to=2026-01-31&by=nonsense'), { needsCut: true }).complete).toBe(false);
  });

  it('changes only what it is told, keeping the rest of the address', () => {
    const search = new URLSearchParams('from=2026-01-01&to=2026-01-31&period=month&by=team');
    expect(withParams(search, { from: '2026-01-05' })).toBe('?from=2026-01-05&to=2026-01-31&period=month&by=team');
    expect(withParams(search, { automatic: false })).toBe('?from=2026-01-01&to=2026-01-31&period=month&by=team&automatic=exclude');
    expect(withParams(new URLSearchParams('automatic=exclude'), { automatic: true })).toBe('');
  });
});
