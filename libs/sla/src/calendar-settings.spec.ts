import {
  CalendarConfigError,
  calendarSettings,
  calendarSettingsFromEnv,
  DEFAULT_CALENDAR_SETTINGS,
  parseClosures,
  parseOpeningHours,
} from './calendar-settings.js';

describe('parseOpeningHours', () => {
  it('reads day ranges, single days and several spans a day', () => {
    const hours = parseOpeningHours('Mon-Thu 09:00-12:30,13:30-17:00; fri 09:00-16:30; Sun 10:00-24:00');
    expect(hours[1]).toEqual([[540, 750], [810, 1020]]);
    expect(hours[4]).toEqual(hours[1]);
    expect(hours[5]).toEqual([[540, 990]]);
    expect(hours[6]).toEqual([]);
    expect(hours[7]).toEqual([[600, 1440]]);
  });

  it.each([
    ['Mon-Fri 9-5', /not a time/],
    ['Mon-Fri 17:00-09:00', /must start before it ends/],
    ['Mon-Fri 09:00-13:00,12:00-17:00', /overlap/],
    ['Fri-Mon 09:00-17:00', /runs backwards/],
    ['Mon-Fri 09:00-17:00; Fri 10:00-12:00', /named twice/],
    ['Someday 09:00-17:00', /cannot read|unknown day/],
    ['Mon 09:00-25:00', /not a time/],
  ])('refuses "%s" with a reason', (text, reason) => {
    expect(() => parseOpeningHours(text)).toThrow(reason);
    expect(() => parseOpeningHours(text)).toThrow(CalendarConfigError);
  });
});

describe('calendar settings from configuration', () => {
  it('defaults to SLA.md: Mon–Fri 09:00–17:00 Europe/London, England and Wales', () => {
    expect(calendarSettingsFromEnv({})).toEqual(DEFAULT_CALENDAR_SETTINGS);
  });

  it('reads the environment', () => {
    const settings = calendarSettingsFromEnv({
      SLA_TIME_ZONE: 'Europe/London',
      SLA_DIVISION: 'scotland',
      SLA_OPENING_HOURS: 'Mon-Fri 08:00-18:00',
      SLA_CLOSURES: '2026-12-29 Trust shutdown, 2026-12-30',
    });
    expect(settings.division).toBe('scotland');
    expect(settings.openingHours[3]).toEqual([[480, 1080]]);
    expect(settings.closures).toEqual([{ date: '2026-12-29', reason: 'Trust shutdown' }, { date: '2026-12-30' }]);
  });

  it('takes JSON as the settings table stores it, over a base', () => {
    const settings = calendarSettings(DEFAULT_CALENDAR_SETTINGS, {
      openingHours: { 6: [[600, 720]] },
      closures: [{ date: '2027-01-04', reason: 'Stock take' }],
    });
    expect(settings.openingHours[6]).toEqual([[600, 720]]);
    expect(settings.openingHours[1]).toEqual([[540, 1020]]);
    expect(settings.closures).toEqual([{ date: '2027-01-04', reason: 'Stock take' }]);
  });

  it.each([
    [{ timeZone: 'Mars/Olympus' }, /timeZone/],
    [{ division: 'wales' }, /division: must be one of/],
    [{ openingHours: 'Sat 10:00-10:00' }, /must start before/],
    [{ openingHours: { 8: [[0, 10]] } }, /weekday 1–7/],
    [{ closures: '29/12/2026' }, /closures/],
    [{ openingHours: { 1: [], 2: [], 3: [], 4: [], 5: [] } }, /never open/],
    ['nonsense', /expected an object/],
  ])('refuses %j, naming the field', (override, reason) => {
    expect(() => calendarSettings(DEFAULT_CALENDAR_SETTINGS, override)).toThrow(reason);
  });

  it('reads closures with and without reasons', () => {
    expect(parseClosures(' 2026-12-29 Trust shutdown ,2026-12-30')).toEqual([
      { date: '2026-12-29', reason: 'Trust shutdown' },
      { date: '2026-12-30' },
    ]);
  });
});
