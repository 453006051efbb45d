// npm run bench:sla: due-time computations per second on one core, for the precomputed engine and
// for a plain luxon implementation that steps day by day, in the same run, with their ratio.
import { DEFAULT_CALENDAR_SETTINGS, defaultHolidayBook, referenceDueAt, WorkingCalendar } from '@desk/sla';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

/** Deterministic inputs: the same instants every run (a small LCG), spread over 2025–2028. */
function instants(count: number): Float64Array {
  const out = new Float64Array(count);
  let seed = 20261121;
  const from = Date.UTC(2025, 0, 1);
  const span = Date.UTC(2028, 0, 1) - from;
  for (let i = 0; i < count; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    out[i] = from + Math.floor((seed / 2 ** 31) * span);
  }
  return out;
}

function measure(name: string, inputs: Float64Array, run: (t: number) => number): { name: string; perSecond: number; checksum: number } {
  for (let i = 0; i < Math.min(inputs.length, 2000); i++) run(inputs[i]!); // warm up the JIT
  let done = 0;
  let checksum = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(SECONDS * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 1000; i++) checksum += run(inputs[done++ % inputs.length]!) % 1000;
    elapsed = process.hrtime.bigint() - start;
  }
  return { name, perSecond: done / (Number(elapsed) / 1e9), checksum };
}

const book = defaultHolidayBook();
const calendar = new WorkingCalendar(DEFAULT_CALENDAR_SETTINGS, book);
const inputs = instants(100_000);

// Both must give the same answers before their speeds mean anything.
for (let i = 0; i < 2000; i++) {
  const t = inputs[i]!;
  if (calendar.dueAtMs(t) !== referenceDueAt(t, DEFAULT_CALENDAR_SETTINGS, book)) {
    throw new Error(`engines disagree for ${new Date(t).toISOString()}`);
  }
}

const engine = measure('engine (precomputed intervals, epoch ms)', inputs, (t) => calendar.dueAtMs(t));
const engineDates = measure('engine via dueAt(Date) → Date', inputs, (t) => calendar.dueAt(new Date(t)).getTime());
const plain = measure('plain luxon, day by day', inputs, (t) => referenceDueAt(t, DEFAULT_CALENDAR_SETTINGS, book));

const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
console.log(`SLA due-time benchmark: node ${process.version}, one core, ${SECONDS} s per implementation, 24 working hours, england-and-wales`);
console.log('');
console.log('| implementation | due times / s |');
console.log('|---|---:|');
for (const r of [engine, engineDates, plain]) console.log(`| ${r.name} | ${fmt(r.perSecond)} |`);
console.log('');
console.log(`ratio engine / plain: ${(engine.perSecond / plain.perSecond).toFixed(1)}x (with Date objects: ${(engineDates.perSecond / plain.perSecond).toFixed(1)}x)`);
console.log(`goals: ≥ 1,000,000 / s: ${engine.perSecond >= 1e6 ? 'met' : 'NOT met'}; ≥ 20x plain: ${engine.perSecond / plain.perSecond >= 20 ? 'met' : 'NOT met'}`);
console.log(JSON.stringify({ engine: engine.perSecond, engineDates: engineDates.perSecond, plain: plain.perSecond, ratio: engine.perSecond / plain.perSecond }));
