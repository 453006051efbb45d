import govUk from '../../data/bank-holidays.json' with { type: 'json' };
import { parseGovUkHolidays, type HolidayLists } from './gov-uk.js';

let bundled: HolidayLists | undefined;

/** The snapshot of gov.uk's list shipped with the project (libs/sla/data/bank-holidays.json). */
export function bundledHolidayLists(): HolidayLists {
  bundled ??= parseGovUkHolidays(govUk);
  return bundled;
}
