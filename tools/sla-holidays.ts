// npm run sla:holidays -- --from <file or URL> [--out <file> | --to-database] [--force]
// Refreshes the bank-holiday list from a file or URL in gov.uk's bank-holidays.json format.
// The new list is checked whole before anything is written; a list that would drop years the
// current one covers is refused unless --force. By default it writes the shipped snapshot (and the
// build's copy); --to-database stores it in the settings table (sla.bank_holidays) instead, where
// running services pick it up within a minute, without a new build.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDataSource, SettingsRepository } from '@desk/persistence';
import { BANK_HOLIDAYS_SETTING } from '@desk/runtime';
import { bundledHolidayLists, compareHolidayLists, parseGovUkHolidays, toGovUkFormat, DIVISIONS, type HolidayLists } from '@desk/sla';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

function fail(message: string, code = 1): never {
  process.stderr.write(`sla:holidays: ${message}\n`);
  process.exit(code);
}

const from = option('--from');
if (!from) fail('usage: npm run sla:holidays -- --from <file or URL> [--out <file> | --to-database] [--force]', 2);
const toDatabase = process.argv.includes('--to-database');
if (toDatabase && !process.env.DATABASE_URL) fail('--to-database needs DATABASE_URL', 78);
const shipped = fileURLToPath(new URL('../../libs/sla/data/bank-holidays.json', import.meta.url));
const built = fileURLToPath(new URL('../libs/sla/data/bank-holidays.json', import.meta.url));
const out = option('--out') ?? shipped;

async function read(source: string): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    const res = await fetch(source, { signal: AbortSignal.timeout(15_000), headers: { accept: 'application/json' } });
    if (!res.ok) fail(`${source} answered ${res.status} ${res.statusText}`);
    return res.text();
  }
  if (!existsSync(source)) fail(`${source}: no such file`);
  return readFileSync(source, 'utf8');
}

let next;
try {
  next = parseGovUkHolidays(JSON.parse(await read(from)));
} catch (error) {
  fail(`${from}: ${(error as Error).message}; nothing was changed`);
}
const db = toDatabase ? createDataSource({ url: process.env.DATABASE_URL!, applicationName: 'sla-holidays', poolSize: 1 }) : undefined;
const settings = db ? new SettingsRepository(await db.initialize()) : undefined;
const empty: HolidayLists = { 'england-and-wales': [], scotland: [], 'northern-ireland': [] };
let current: HolidayLists = empty;
if (settings) {
  const stored = await settings.get(BANK_HOLIDAYS_SETTING);
  current = stored ? parseGovUkHolidays(stored) : bundledHolidayLists();
} else if (existsSync(out)) current = parseGovUkHolidays(JSON.parse(readFileSync(out, 'utf8')));
const changes = compareHolidayLists(current, next);
if (changes.lostYears.length && !process.argv.includes('--force')) {
  await db?.destroy();
  fail(`the new list lacks years the current one has (${changes.lostYears.join(', ')}); use --force to accept; nothing was changed`);
}
const target = settings ? `the settings table (${BANK_HOLIDAYS_SETTING})` : out;
if (settings) {
  await settings.set(BANK_HOLIDAYS_SETTING, toGovUkFormat(next));
  await db!.destroy();
} else {
  const text = `${JSON.stringify(toGovUkFormat(next), null, 2)}\n`;
  writeFileSync(out, text);
  if (out === shipped && existsSync(built)) writeFileSync(built, text);
}
for (const division of DIVISIONS) {
  const c = changes.coverage[division];
  console.log(`${division}: ${next[division].length} holidays${c ? `, ${c.first}–${c.last}` : ''}`);
}
console.log(`added ${changes.added.length}, removed ${changes.removed.length}${changes.lostYears.length ? `, dropped years ${changes.lostYears.join(', ')}` : ''}; wrote ${target}`);
const listed = [...changes.added.map((l) => `  + ${l}`), ...changes.removed.map((l) => `  - ${l}`)];
for (const line of listed.slice(0, 20)) console.log(line);
if (listed.length > 20) console.log(`  … and ${listed.length - 20} more`);
