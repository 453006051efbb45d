// npm run --silent sla:due: JSON lines in ({"received": ISO, "division"?: ..., "hours"?: n}),
// one JSON line out per line in, in order: {"due": ISO UTC}, or {"error": "..."} for a bad line.
// The calendar is SLA.md's, adjusted by SLA_TIME_ZONE, SLA_OPENING_HOURS and SLA_CLOSURES.
import {
  calendarSettings,
  calendarSettingsFromEnv,
  defaultHolidayBook,
  DIVISIONS,
  isDivision,
  parseInstant,
  WorkingCalendar,
  type CalendarSettings,
  type Division,
} from '@desk/sla';
import { mapJsonLines, parseJsonObject } from './lib/json-lines.js';

let base: CalendarSettings;
try {
  base = calendarSettingsFromEnv(process.env);
} catch (error) {
  process.stderr.write(`sla:due: ${(error as Error).message}\n`);
  process.exit(78);
}
const calendars = new Map<Division, WorkingCalendar>();

function calendarFor(division: Division): WorkingCalendar {
  let calendar = calendars.get(division);
  if (!calendar) {
    calendar = new WorkingCalendar(calendarSettings(base, { division }), defaultHolidayBook());
    calendars.set(division, calendar);
  }
  return calendar;
}

function answer(line: string): object {
  const parsed = parseJsonObject(line);
  if (!parsed.ok) return parsed.error;
  const { received, division = base.division, hours = 24 } = parsed.value;
  if (!isDivision(division)) return { error: `division must be one of ${DIVISIONS.join(', ')}` };
  if (typeof hours !== 'number' || !(hours >= 0) || !Number.isFinite(hours)) return { error: 'hours must be a non-negative number' };
  if (received === undefined) return { error: 'received is missing' };
  try {
    const calendar = calendarFor(division);
    return { due: new Date(calendar.dueAtMs(parseInstant(received, calendar.settings.timeZone), hours)).toISOString() };
  } catch (error) {
    return { error: `received: ${(error as Error).message}` };
  }
}

await mapJsonLines(answer);
