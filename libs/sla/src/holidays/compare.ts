import { DIVISIONS, type Division } from '../division.js';
import type { HolidayLists } from './gov-uk.js';

export interface HolidayListChanges {
  added: string[];
  removed: string[];
  coverage: Record<Division, { first: number; last: number } | null>;
  /** Years the current list covers that the new one does not: a refresh that would lose data. */
  lostYears: string[];
}

function years(list: HolidayLists[Division]): Set<number> {
  return new Set(list.map((h) => Number(h.date.slice(0, 4))));
}

/** What replacing `current` by `next` would change, division by division. */
export function compareHolidayLists(current: HolidayLists, next: HolidayLists): HolidayListChanges {
  const changes: HolidayListChanges = { added: [], removed: [], coverage: {} as HolidayListChanges['coverage'], lostYears: [] };
  for (const division of DIVISIONS) {
    const before = new Map(current[division].map((h) => [h.date, h.title]));
    const after = new Map(next[division].map((h) => [h.date, h.title]));
    for (const [date, title] of after) if (before.get(date) !== title) changes.added.push(`${division} ${date} ${title}`);
    for (const [date, title] of before) if (after.get(date) !== title) changes.removed.push(`${division} ${date} ${title}`);
    const nextYears = years(next[division]);
    for (const year of years(current[division])) if (!nextYears.has(year)) changes.lostYears.push(`${division} ${year}`);
    const sorted = [...nextYears].sort((a, b) => a - b);
    changes.coverage[division] = sorted.length ? { first: sorted[0]!, last: sorted.at(-1)! } : null;
  }
  return changes;
}
