import type { Division } from '../division.js';
import type { HolidayLists } from './gov-uk.js';
import type { Holiday } from './holiday.js';
import { ruleHolidays } from './rules.js';

export type RuleUsedListener = (division: Division, year: number) => void;

const warnRuleUsed: RuleUsedListener = (division, year) =>
  console.warn(
    JSON.stringify({ level: 'warn', context: 'sla', message: `no official bank holidays for ${division} in ${year}; computed them by rule` }),
  );

/**
 * Bank holidays by division and date: the official list where it covers the year, the standing
 * rules past it (reported once per division and year through `onRuleUsed`).
 */
export class HolidayBook {
  private readonly byYear = new Map<string, Map<string, Holiday>>();
  private readonly coverage = new Map<Division, { first: number; last: number }>();

  constructor(
    private readonly lists: HolidayLists,
    private readonly onRuleUsed: RuleUsedListener = warnRuleUsed,
  ) {
    for (const [division, holidays] of Object.entries(lists) as [Division, Holiday[]][]) {
      if (holidays.length === 0) continue;
      this.coverage.set(division, { first: Number(holidays[0]!.date.slice(0, 4)), last: Number(holidays.at(-1)!.date.slice(0, 4)) });
    }
  }

  /** The years the official list covers for a division, if any. */
  officialYears(division: Division): { first: number; last: number } | undefined {
    return this.coverage.get(division);
  }

  holidaysIn(division: Division, year: number): Holiday[] {
    return [...this.yearMap(division, year).values()];
  }

  /** The holiday on an ISO date (YYYY-MM-DD) in a division, if it is one. */
  lookup(division: Division, isoDate: string): Holiday | undefined {
    return this.yearMap(division, Number(isoDate.slice(0, 4))).get(isoDate);
  }

  private yearMap(division: Division, year: number): Map<string, Holiday> {
    const key = `${division}/${year}`;
    let map = this.byYear.get(key);
    if (!map) {
      const range = this.coverage.get(division);
      let holidays: Holiday[];
      if (range && year >= range.first && year <= range.last) {
        holidays = this.lists[division].filter((h) => h.date.startsWith(`${year}-`));
      } else {
        holidays = ruleHolidays(division, year);
        this.onRuleUsed(division, year);
      }
      map = new Map(holidays.map((h) => [h.date, h]));
      this.byYear.set(key, map);
    }
    return map;
  }
}
