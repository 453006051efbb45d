import { DIVISIONS, type Division } from '../division.js';
import type { Holiday } from './holiday.js';

/** The shape of gov.uk's bank-holidays.json. */
export interface GovUkBankHolidays {
  [division: string]: { division: string; events: Array<{ title: string; date: string; notes?: string; bunting?: boolean }> };
}

export type HolidayLists = Record<Division, Holiday[]>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A problem with a bank-holiday file, naming where it is. */
export class HolidayDataError extends Error {
  readonly code = 'HOLIDAY_DATA_INVALID';
}

/**
 * Reads gov.uk's format, checking every division is there and every event has a real date and a
 * title, so a bad refresh is refused whole rather than half-applied.
 */
export function parseGovUkHolidays(json: unknown): HolidayLists {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new HolidayDataError('bank holidays: expected a JSON object keyed by division');
  }
  const data = json as Record<string, unknown>;
  const result = {} as HolidayLists;
  for (const division of DIVISIONS) {
    const entry = data[division] as { events?: unknown } | undefined;
    if (!entry || !Array.isArray(entry.events)) {
      throw new HolidayDataError(`bank holidays: division "${division}" is missing or has no "events" list`);
    }
    const seen = new Set<string>();
    result[division] = entry.events.map((event: unknown, index: number) => {
      const e = event as { title?: unknown; date?: unknown; notes?: unknown };
      const where = `bank holidays: ${division} event ${index}`;
      if (typeof e?.date !== 'string' || !DATE.test(e.date) || !isRealDate(e.date)) {
        throw new HolidayDataError(`${where}: "date" must be a real date as YYYY-MM-DD, got ${JSON.stringify(e?.date)}`);
      }
      if (typeof e.title !== 'string' || e.title.trim() === '') {
        throw new HolidayDataError(`${where} (${e.date}): "title" is missing`);
      }
      if (seen.has(e.date)) throw new HolidayDataError(`${where}: ${e.date} is listed twice`);
      seen.add(e.date);
      return { date: e.date, title: e.title, notes: typeof e.notes === 'string' ? e.notes : '', source: 'official' as const };
    });
    result[division].sort((a, b) => a.date.localeCompare(b.date));
  }
  return result;
}

/** Back to gov.uk's format, for writing a refreshed snapshot. */
export function toGovUkFormat(lists: HolidayLists): GovUkBankHolidays {
  const out: GovUkBankHolidays = {};
  for (const division of DIVISIONS) {
    out[division] = {
      division,
      events: lists[division].map((h) => ({ title: h.title, date: h.date, notes: h.notes, bunting: true })),
    };
  }
  return out;
}

function isRealDate(iso: string): boolean {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
