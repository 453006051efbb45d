import { calendarSettings, defaultCalendar, defaultHolidayBook, WorkingCalendar } from '@desk/sla';
import { calendarFingerprint } from './calendar-fingerprint.js';

describe('calendarFingerprint', () => {
  it('is the same for the same calendar and changes with a closure day or another division', () => {
    const base = defaultCalendar();
    expect(calendarFingerprint(base)).toBe(calendarFingerprint(new WorkingCalendar(base.settings, defaultHolidayBook())));
    const closed = new WorkingCalendar(calendarSettings(base.settings, { closures: [{ date: '2026-12-29', reason: 'Shutdown' }] }), defaultHolidayBook());
    expect(calendarFingerprint(closed)).not.toBe(calendarFingerprint(base));
    const scotland = new WorkingCalendar(calendarSettings(base.settings, { division: 'scotland' }), defaultHolidayBook());
    expect(calendarFingerprint(scotland)).not.toBe(calendarFingerprint(base));
  });
});
