import { jest } from '@jest/globals';
import fc from 'fast-check';
import { calendarSettings, DEFAULT_CALENDAR_SETTINGS, type CalendarSettings } from './calendar-settings.js';
import { defaultCalendar, defaultHolidayBook } from './defaults.js';
import { DIVISIONS, type Division } from './division.js';
import { bundledHolidayLists } from './holidays/bundled.js';
import { HolidayBook } from './holidays/holiday-book.js';
import { referenceDueAt } from './reference.js';
import { WorkingCalendar } from './working-calendar.js';
import { dueAt, explainDue, isOpen, nextOpening, workingTimeBetween, workingTimeRemaining } from './functions.js';

const H = 3_600_000;
const iso = (d: Date) => d.toISOString();

function calendar(override: Record<string, unknown>): WorkingCalendar {
  return new WorkingCalendar(calendarSettings(DEFAULT_CALENDAR_SETTINGS, override), defaultHolidayBook());
}

describe('dueAt: SLA.md worked examples (Europe/London, England and Wales)', () => {
  it.each([
    ['Mon 09:00 → Wed 17:00', '2026-11-23T09:00:00Z', '2026-11-25T17:00:00.000Z'],
    ['Mon 08:00 → Wed 17:00', '2026-11-23T08:00:00Z', '2026-11-25T17:00:00.000Z'],
    ['Fri 16:00 → Wed 16:00', '2026-11-27T16:00:00Z', '2026-12-02T16:00:00.000Z'],
    ['Sat 11:00 → Wed 17:00', '2026-11-28T11:00:00Z', '2026-12-02T17:00:00.000Z'],
    ['Thu 24 Dec 16:30 → Thu 31 Dec 16:30', '2026-12-24T16:30:00Z', '2026-12-31T16:30:00.000Z'],
  ])('%s', (_, received, due) => {
    expect(iso(dueAt(received))).toBe(due);
  });
});

describe('dueAt: exactness', () => {
  it('gives the closing time when the sum lands on it, not the next opening', () => {
    expect(iso(dueAt('2026-11-23T09:00:00Z'))).toBe('2026-11-25T17:00:00.000Z');
  });

  it('starts the clock at the next opening for anything at or after closing', () => {
    expect(iso(dueAt('2026-11-23T17:00:00Z'))).toBe('2026-11-26T17:00:00.000Z');
    expect(iso(dueAt('2026-11-23T16:59:59.999Z'))).toBe('2026-11-26T16:59:59.999Z');
    expect(iso(dueAt('2026-11-23T23:59:59.999Z'))).toBe('2026-11-26T17:00:00.000Z');
  });

  it('is exact to the millisecond', () => {
    expect(iso(dueAt('2026-11-23T10:00:00.123Z'))).toBe('2026-11-26T10:00:00.123Z');
    expect(iso(dueAt('2026-11-23T10:00:00.123Z', defaultCalendar(), 4))).toBe('2026-11-23T14:00:00.123Z');
  });

  it('takes other targets, including fractions and zero', () => {
    expect(iso(dueAt('2026-11-23T16:00:00Z', defaultCalendar(), 1.5))).toBe('2026-11-24T09:30:00.000Z');
    expect(iso(dueAt('2026-11-28T11:00:00Z', defaultCalendar(), 0))).toBe('2026-11-30T09:00:00.000Z');
    expect(() => dueAt('2026-11-23T16:00:00Z', defaultCalendar(), -1)).toThrow(RangeError);
  });

  it('refuses an instant that is not one', () => {
    expect(() => dueAt('yesterday')).toThrow(/not a valid instant/);
    expect(() => dueAt(Number.NaN)).toThrow(RangeError);
  });
});

describe('dueAt: bank holidays of every kind', () => {
  it.each([
    ['Good Friday and Easter Monday', 'england-and-wales', '2026-04-02T09:00:00Z', '2026-04-09T09:00:00.000Z'],
    ['Early May bank holiday', 'england-and-wales', '2026-05-01T08:00:00Z', '2026-05-06T16:00:00.000Z'],
    ['Spring bank holiday', 'england-and-wales', '2026-05-22T08:00:00Z', '2026-05-27T16:00:00.000Z'],
    ['Summer bank holiday (last Monday of August)', 'england-and-wales', '2026-08-28T08:00:00Z', '2026-09-02T16:00:00.000Z'],
    ['New Year’s Day substitute (1 Jan 2028 is a Saturday)', 'england-and-wales', '2027-12-31T09:00:00Z', '2028-01-05T17:00:00.000Z'],
    ['Christmas and Boxing Day substitutes (2027)', 'england-and-wales', '2027-12-24T09:00:00Z', '2027-12-30T17:00:00.000Z'],
    ['2nd January (Scotland)', 'scotland', '2026-12-31T09:00:00Z', '2027-01-06T17:00:00.000Z'],
    ['2nd January is not a holiday in England', 'england-and-wales', '2026-12-31T09:00:00Z', '2027-01-05T17:00:00.000Z'],
    ['St Andrew’s Day (Scotland)', 'scotland', '2026-11-27T09:00:00Z', '2026-12-02T17:00:00.000Z'],
    ['Summer bank holiday is the first Monday of August in Scotland', 'scotland', '2026-07-31T08:00:00Z', '2026-08-05T16:00:00.000Z'],
    ['St Patrick’s Day (Northern Ireland)', 'northern-ireland', '2026-03-16T09:00:00Z', '2026-03-19T17:00:00.000Z'],
    ['Battle of the Boyne, substitute Monday (Northern Ireland)', 'northern-ireland', '2026-07-10T08:00:00Z', '2026-07-15T16:00:00.000Z'],
    ['the Boyne is not a holiday in England', 'england-and-wales', '2026-07-10T08:00:00Z', '2026-07-14T16:00:00.000Z'],
    ['Platinum Jubilee, 2 and 3 June 2022 (one-off)', 'england-and-wales', '2022-06-01T08:00:00Z', '2022-06-07T16:00:00.000Z'],
    ['State Funeral, 19 September 2022 (one-off)', 'scotland', '2022-09-16T08:00:00Z', '2022-09-21T16:00:00.000Z'],
    ['Coronation, 8 May 2023 (one-off)', 'northern-ireland', '2023-05-05T08:00:00Z', '2023-05-10T16:00:00.000Z'],
    ['VE day, Friday 8 May 2020 (moved)', 'england-and-wales', '2020-05-07T08:00:00Z', '2020-05-12T16:00:00.000Z'],
  ] as const)('%s', (_, division, received, due) => {
    expect(iso(dueAt(received, defaultCalendar(division as Division)))).toBe(due);
  });
});

describe('clock changes', () => {
  it('keeps 8 working hours on the days around the spring change', () => {
    // Fri 27 Mar 2026 is GMT, Mon 30 Mar BST: 4 h Fri, 8 Mon, 8 Tue, 4 Wed → Wed 13:00 BST (12:00Z).
    expect(iso(dueAt('2026-03-27T13:00:00Z'))).toBe('2026-04-01T12:00:00.000Z');
    expect(workingTimeBetween('2026-03-27T09:00:00Z', '2026-03-30T16:00:00Z')).toBe(16 * H);
  });

  it('keeps 8 working hours on the days around the autumn change', () => {
    // Fri 23 Oct 2026 is BST, Mon 26 Oct GMT: → Wed 28 Oct 13:00 GMT.
    expect(iso(dueAt('2026-10-23T12:00:00Z'))).toBe('2026-10-28T13:00:00.000Z');
    expect(workingTimeBetween('2026-10-19T00:00:00Z', '2026-10-31T00:00:00Z')).toBe(80 * H);
  });

  it('follows the wall clock on a day that is open across the change itself', () => {
    const always = calendar({ openingHours: 'Mon-Sun 00:00-24:00' });
    // Sunday 29 March 2026 runs from 00:00 GMT to 00:00 BST: 23 hours; 25 October has 25.
    expect(always.workingTimeBetween('2026-03-29T00:00:00Z', '2026-03-30T00:00:00+01:00')).toBe(23 * H);
    expect(always.workingTimeBetween('2026-10-25T00:00:00+01:00', '2026-10-26T00:00:00Z')).toBe(25 * H);
  });
});

describe('closures and opening hours from configuration', () => {
  it('skips an extra closure date as well as the holidays', () => {
    const shut = calendar({ closures: '2026-12-29 Trust shutdown' });
    // 0.5 h Thu 24, [25, 28 holidays], [29 closed], 8 Wed 30, 8 Thu 31, [Fri 1 Jan holiday], 7.5 Mon 4 Jan.
    expect(iso(shut.dueAt('2026-12-24T16:30:00Z'))).toBe('2027-01-04T16:30:00.000Z');
    expect(shut.isOpen('2026-12-29T10:00:00Z')).toBe(false);
  });

  it('works with several spans a day', () => {
    const lunch = calendar({ openingHours: 'Mon-Fri 09:00-12:30,13:30-17:00' });
    expect(iso(lunch.dueAt('2026-11-23T09:00:00Z'))).toBe('2026-11-26T12:00:00.000Z');
    expect(iso(lunch.dueAt('2026-11-23T12:45:00Z'))).toBe('2026-11-26T16:30:00.000Z');
    expect(lunch.isOpen('2026-11-23T13:00:00Z')).toBe(false);
    expect(iso(lunch.nextOpening('2026-11-23T12:31:00Z'))).toBe('2026-11-23T13:30:00.000Z');
  });

  it('works with other days and another time zone', () => {
    const saturdays = calendar({ openingHours: 'Mon-Fri 09:00-17:00; Sat 10:00-14:00' });
    expect(iso(saturdays.dueAt('2026-11-27T16:00:00Z'))).toBe('2026-12-02T12:00:00.000Z');
    const belfastTime = calendar({ timeZone: 'America/New_York', division: 'northern-ireland' });
    expect(iso(belfastTime.dueAt('2026-11-23T14:00:00Z'))).toBe('2026-11-25T22:00:00.000Z');
  });
});

describe('other functions', () => {
  it('isOpen: open from opening, closed at closing', () => {
    expect(isOpen('2026-11-23T09:00:00Z')).toBe(true);
    expect(isOpen('2026-11-23T16:59:59.999Z')).toBe(true);
    expect(isOpen('2026-11-23T17:00:00Z')).toBe(false);
    expect(isOpen('2026-11-28T12:00:00Z')).toBe(false);
    expect(isOpen('2026-12-25T12:00:00Z')).toBe(false);
  });

  it('nextOpening: the next start of working time at or after an instant', () => {
    expect(iso(nextOpening('2026-12-24T17:00:00Z'))).toBe('2026-12-29T09:00:00.000Z');
    expect(iso(nextOpening('2026-11-23T09:00:00Z'))).toBe('2026-11-23T09:00:00.000Z');
    expect(iso(nextOpening('2026-11-23T09:00:00.001Z'))).toBe('2026-11-24T09:00:00.000Z');
  });

  it('workingTimeBetween and workingTimeRemaining, negative once breached', () => {
    expect(workingTimeBetween('2026-11-27T16:00:00Z', '2026-11-30T10:00:00Z')).toBe(2 * H);
    expect(workingTimeRemaining('2026-12-02T16:00:00Z', '2026-12-02T12:00:00Z')).toBe(4 * H);
    expect(workingTimeRemaining('2026-12-02T16:00:00Z', '2026-12-03T10:00:00Z')).toBe(-2 * H);
    // Due Wed 16:00, now Fri 10:00: 1 h Wed, 8 h Thu and 1 h Fri overdue; the weekend adds nothing.
    expect(workingTimeRemaining('2026-12-02T16:00:00Z', '2026-12-04T10:00:00Z')).toBe(-10 * H);
    expect(workingTimeRemaining('2026-12-02T16:00:00Z', '2026-12-06T10:00:00Z')).toBe(-17 * H);
  });
});

describe('explainDue', () => {
  it('says why the Christmas example is due when it is', () => {
    expect(explainDue('2026-12-24T16:30:00Z').text).toBe(
      'received Thu 24 Dec 16:30 → 0.5 h Thu; Fri 25 Dec bank holiday (Christmas Day); ' +
        'Mon 28 Dec bank holiday (Boxing Day, substitute day); 8 h Tue; 8 h Wed; 7.5 h Thu → due Thu 31 Dec 16:30',
    );
  });

  it('says when the clock started, and names closures', () => {
    const shut = calendar({ closures: '2026-12-29 Trust shutdown' });
    const explanation = explainDue('2026-11-28T11:00:00Z');
    expect(explanation.text).toBe('received Sat 28 Nov 11:00 → clock starts Mon 30 Nov 09:00; 8 h Mon; 8 h Tue; 8 h Wed → due Wed 2 Dec 17:00');
    expect(explanation.steps.map((s) => s.kind)).toEqual(['received', 'clock_start', 'work', 'work', 'work', 'due']);
    expect(explainDue('2026-12-24T16:30:00Z', shut).text).toContain('Tue 29 Dec closed (Trust shutdown); 8 h Wed; 8 h Thu; Fri 1 Jan bank holiday (New Year’s Day); 7.5 h Mon');
  });

  it('adds up to the target on every explanation', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 11, 1) }), (t) => {
        const { steps } = explainDue(t);
        const worked = steps.reduce((sum, s) => sum + (s.kind === 'work' ? s.ms : 0), 0);
        return worked === 24 * H;
      }),
      { numRuns: 300 },
    );
  });
});

describe('years past the official list', () => {
  it('computes holidays by rule and reports that it did, once per division and year', () => {
    const used = jest.fn();
    const book = new HolidayBook(bundledHolidayLists(), used);
    const cal = new WorkingCalendar(DEFAULT_CALENDAR_SETTINGS, book);
    // Wed 24 Dec 2031: 8 h Wed, Christmas Thu and Boxing Day Fri by rule, 8 h Mon, 8 h Tue.
    expect(iso(cal.dueAt('2031-12-24T09:00:00Z'))).toBe('2031-12-30T17:00:00.000Z');
    expect(used).toHaveBeenCalledWith('england-and-wales', 2031);
    expect(used.mock.calls.filter(([, year]) => year === 2031)).toHaveLength(1);
    cal.dueAt('2031-06-01T09:00:00Z');
    expect(used.mock.calls.filter(([, year]) => year === 2031)).toHaveLength(1);
  });

  it('uses rules before the list too', () => {
    const used = jest.fn();
    const cal = new WorkingCalendar(DEFAULT_CALENDAR_SETTINGS, new HolidayBook(bundledHolidayLists(), used));
    // Thu 21 Apr 2011: 8 h Thu, Good Friday 22 and Easter Monday 25 by rule, 8 h Tue, 8 h Wed.
    expect(iso(cal.dueAt('2011-04-21T08:00:00Z'))).toBe('2011-04-27T16:00:00.000Z');
    expect(used).toHaveBeenCalledWith('england-and-wales', 2011);
  });
});

describe('properties over thousands of random instants', () => {
  const instant = fc.integer({ min: Date.UTC(2012, 0, 1), max: Date.UTC(2034, 0, 1) });
  const division = fc.constantFrom(...DIVISIONS);
  const quiet = new HolidayBook(bundledHolidayLists(), () => {});
  const calendars = new Map<Division, WorkingCalendar>(
    DIVISIONS.map((d) => [d, new WorkingCalendar({ ...DEFAULT_CALENDAR_SETTINGS, division: d }, quiet)]),
  );

  it('workingTimeBetween(r, dueAt(r)) is exactly 24 h', () => {
    fc.assert(
      fc.property(instant, division, (r, d) => {
        const cal = calendars.get(d)!;
        return cal.workingTimeBetween(r, cal.dueAtMs(r)) === 24 * H;
      }),
      { numRuns: 5000 },
    );
  });

  it('is monotonic: a later arrival is never due earlier', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 30 * 24 * H }), division, (r, gap, d) => {
        const cal = calendars.get(d)!;
        return cal.dueAtMs(r) <= cal.dueAtMs(r + gap);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with the plain day-stepping implementation, for other targets and calendars too', () => {
    const settings: CalendarSettings[] = [
      DEFAULT_CALENDAR_SETTINGS,
      calendarSettings(DEFAULT_CALENDAR_SETTINGS, { openingHours: 'Mon-Thu 08:30-12:00,13:00-17:30; Fri 09:00-16:00', division: 'scotland' }),
      calendarSettings(DEFAULT_CALENDAR_SETTINGS, { openingHours: 'Mon-Sun 07:00-22:00', closures: '2025-08-04, 2026-12-29', division: 'northern-ireland' }),
    ];
    const cals = settings.map((s) => new WorkingCalendar(s, quiet));
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 120 }), (r, which, hours) => {
        return cals[which]!.dueAtMs(r, hours) === referenceDueAt(r, settings[which]!, quiet, hours);
      }),
      { numRuns: 3000 },
    );
  });

  it('ends every due time inside working time (the millisecond before it is open)', () => {
    fc.assert(
      fc.property(instant, division, (r, d) => calendars.get(d)!.isOpen(calendars.get(d)!.dueAtMs(r) - 1)),
      { numRuns: 2000 },
    );
  });
});
