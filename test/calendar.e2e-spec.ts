import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSource, SettingsRepository } from '@desk/persistence';
import { BANK_HOLIDAYS_SETTING, CALENDAR_SETTING, CalendarSource } from '@desk/runtime';
import { calendarSettingsFromEnv } from '@desk/sla';
import { ROOT, spawnService } from './support/services.js';
import { TEST_DATABASE_URL, testQueuePrefix } from './support/test-env.js';

const db = createDataSource({ url: TEST_DATABASE_URL, poolSize: 2 });
const settings = new SettingsRepository(db);
const CHRISTMAS = '2026-12-24T16:30:00Z';

beforeAll(() => db.initialize());
afterEach(async () => {
  await settings.remove(CALENDAR_SETTING);
  await settings.remove(BANK_HOLIDAYS_SETTING);
});
afterAll(() => db.destroy());

function source(env: Record<string, string> = {}, onProblem = jest.fn()) {
  return new CalendarSource({
    base: calendarSettingsFromEnv(env),
    readSetting: (key) => settings.get(key),
    onProblem,
    onRuleUsed: () => {},
    ttlMs: 0,
  });
}

describe('the calendar comes from configuration', () => {
  it('uses the environment when the settings table has nothing', async () => {
    expect((await source().current()).dueAt(CHRISTMAS).toISOString()).toBe('2026-12-31T16:30:00.000Z');
    const scottish = await source({ SLA_DIVISION: 'scotland', SLA_CLOSURES: '2026-12-29 Shutdown' }).current();
    expect(scottish.settings.division).toBe('scotland');
    expect(scottish.dueAt(CHRISTMAS).toISOString()).toBe('2027-01-05T16:30:00.000Z');
  });

  it('lets the settings table override the environment, and notices a change', async () => {
    const calendars = source();
    const before = await calendars.current();
    expect(await calendars.current()).toBe(before);
    await settings.set(CALENDAR_SETTING, { closures: [{ date: '2026-12-29', reason: 'Trust shutdown' }] });
    const after = await calendars.current();
    expect(after).not.toBe(before);
    expect(after.dueAt(CHRISTMAS).toISOString()).toBe('2027-01-04T16:30:00.000Z');
  });

  it('keeps working on the environment when a stored calendar is unusable, and says why', async () => {
    await settings.set(CALENDAR_SETTING, { openingHours: 'Mon-Fri 17:00-09:00' });
    const problems = jest.fn();
    const calendar = await source({}, problems).current();
    expect(calendar.dueAt(CHRISTMAS).toISOString()).toBe('2026-12-31T16:30:00.000Z');
    expect(problems).toHaveBeenCalledWith(expect.stringContaining('setting "sla.calendar" cannot be used (opening hours'));
  });

  it('takes a newer bank-holiday list from the settings table', async () => {
    const list = JSON.parse(readFileSync(join(ROOT, 'libs', 'sla', 'data', 'bank-holidays.json'), 'utf8'));
    list['england-and-wales'].events.push({ title: 'Extra day', date: '2026-12-29', notes: 'Extra bank holiday' });
    await settings.set(BANK_HOLIDAYS_SETTING, list);
    expect((await source().current()).dueAt(CHRISTMAS).toISOString()).toBe('2027-01-04T16:30:00.000Z');
    await settings.set(BANK_HOLIDAYS_SETTING, { nonsense: true });
    const problems = jest.fn();
    expect((await source({}, problems).current()).dueAt(CHRISTMAS).toISOString()).toBe('2026-12-31T16:30:00.000Z');
    expect(problems).toHaveBeenCalledWith(expect.stringContaining('"sla.bank_holidays" cannot be used'));
  });

  it('a service with an unusable SLA variable does not start, and names it', async () => {
    const service = spawnService('triage', 4340, { SLA_OPENING_HOURS: 'always', QUEUE_PREFIX: testQueuePrefix('calendar') });
    const { code } = await service.exited;
    expect(code).toBe(78);
    expect(service.output()).toContain('SLA_OPENING_HOURS: opening hours: cannot read "always"');
  });
});
