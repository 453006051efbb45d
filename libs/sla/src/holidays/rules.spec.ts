import govUk from '../../data/bank-holidays.json' with { type: 'json' };
import { DIVISIONS } from '../division.js';
import { parseGovUkHolidays } from './gov-uk.js';
import { easterSunday, ruleHolidays } from './rules.js';

const official = parseGovUkHolidays(govUk);

/** One-off changes by proclamation: the only dates where the standing rules may differ from gov.uk. */
const ONE_OFFS: Record<string, string[]> = {
  // 2012: Spring bank holiday moved to 4 June; 5 June added for the Diamond Jubilee.
  '2012': ['- 2012-05-28', '+ 2012-06-04', '+ 2012-06-05'],
  // 2020: Early May bank holiday moved to Friday 8 May for VE day.
  '2020': ['- 2020-05-04', '+ 2020-05-08'],
  // 2022: Spring moved to 2 June, 3 June added (Platinum Jubilee), 19 September (State Funeral).
  '2022': ['- 2022-05-30', '+ 2022-06-02', '+ 2022-06-03', '+ 2022-09-19'],
  // 2023: 8 May added for the coronation.
  '2023': ['+ 2023-05-08'],
};

/**
 * gov.uk labels the Scottish substitutes of a Sunday New Year differently in 2017 and 2023 (the
 * same two dates either way); the rules follow 2017. Titles are otherwise identical.
 */
const LABEL_QUIRKS = new Set(['scotland 2023-01-02', 'scotland 2023-01-03']);

describe('bank holiday rules', () => {
  it('computes Easter Sunday', () => {
    expect(['2024', '2025', '2026', '2027', '2038', '2285'].map((y) => easterSunday(Number(y)))).toEqual([
      '2024-03-31',
      '2025-04-20',
      '2026-04-05',
      '2027-03-28',
      '2038-04-25',
      '2285-03-22',
    ]);
  });

  it.each(DIVISIONS)('agree with every official year for %s, but for the one-off changes', (division) => {
    const years = [...new Set(official[division].map((h) => Number(h.date.slice(0, 4))))];
    expect(years[0]).toBe(2012);
    expect(years.at(-1)).toBe(2028);
    for (const year of years) {
      const fromRules = ruleHolidays(division, year);
      const fromGov = official[division].filter((h) => h.date.startsWith(`${year}-`));
      const ruleDates = new Set(fromRules.map((h) => h.date));
      const govDates = new Set(fromGov.map((h) => h.date));
      const diff = [
        ...[...ruleDates].filter((d) => !govDates.has(d)).map((d) => `- ${d}`),
        ...[...govDates].filter((d) => !ruleDates.has(d)).map((d) => `+ ${d}`),
      ];
      expect({ year, diff }).toEqual({ year, diff: ONE_OFFS[String(year)] ?? [] });
      for (const gov of fromGov) {
        const rule = fromRules.find((h) => h.date === gov.date);
        if (rule && !LABEL_QUIRKS.has(`${division} ${gov.date}`)) expect(`${gov.date} ${rule.title}`).toBe(`${gov.date} ${gov.title}`);
      }
    }
  });

  it('moves each weekend holiday to the right weekday', () => {
    // 2027: Christmas on a Saturday → Mon 27 and Tue 28 substitutes.
    expect(ruleHolidays('england-and-wales', 2027).slice(-2)).toEqual([
      { date: '2027-12-27', title: 'Christmas Day', notes: 'Substitute day', source: 'rule' },
      { date: '2027-12-28', title: 'Boxing Day', notes: 'Substitute day', source: 'rule' },
    ]);
    // 2033: Christmas on a Sunday → Boxing Day Mon 26, Christmas substitute Tue 27.
    expect(ruleHolidays('scotland', 2033).slice(-2).map((h) => `${h.date} ${h.title} ${h.notes}`)).toEqual([
      '2033-12-26 Boxing Day ',
      '2033-12-27 Christmas Day Substitute day',
    ]);
    // 2032: 1 January a Thursday, 2 January Friday: no substitutes in Scotland.
    expect(ruleHolidays('scotland', 2032).slice(0, 2).map((h) => h.date)).toEqual(['2032-01-01', '2032-01-02']);
    // 2033: St Patrick's Day on a Thursday; the Boyne on a Tuesday; St Andrew's on a Wednesday.
    const ni2033 = ruleHolidays('northern-ireland', 2033).map((h) => h.date);
    expect(ni2033).toEqual(expect.arrayContaining(['2033-03-17', '2033-07-12']));
    // 2031: St Andrew's Day on a Sunday → Monday 1 December.
    expect(ruleHolidays('scotland', 2031).find((h) => h.title.startsWith('St Andrew'))).toMatchObject({
      date: '2031-12-01',
      notes: 'Substitute day',
    });
  });
});
