// npm run bench:triage: classifications per second on one core (one thread, one process), over the
// dev set's messages repeated (or the JSON-lines file given as an argument), after a warm-up.
// Each figure is the median of several timed rounds, so a busy moment on a shared machine does not
// decide it; the best round is shown beside it. Prints a small table.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classify, type TriageInput } from '@desk/triage';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = 5;
const GOAL = 20_000;

const fileArg = process.argv[2];
const candidates = fileArg ? [resolve(fileArg), resolve(ROOT, fileArg)] : [resolve(ROOT, '..', 'shared', 'triage', 'dev.jsonl'), resolve(ROOT, 'libs', 'triage', 'data', 'extra.jsonl')];
const file = candidates.find((f) => existsSync(f));
if (!file) {
  console.error('bench:triage: no example file found');
  process.exit(1);
}
const inputs: TriageInput[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as TriageInput)
  .map(({ channel, author, subject, text }) => ({ channel, author, subject, text }));
const chars = inputs.reduce((n, i) => n + i.text.length + (i.subject?.length ?? 0), 0);

interface Result {
  median: number;
  best: number;
  count: number;
}

let checksum = 0;

/** Rate of one timed round of about `seconds`. */
function round(batch: readonly TriageInput[], seconds: number): { rate: number; count: number } {
  let count = 0;
  const budget = BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < budget) {
    for (const input of batch) checksum += classify(input).reasons.length;
    count += batch.length;
    elapsed = process.hrtime.bigint() - start;
  }
  return { rate: count / (Number(elapsed) / 1e9), count };
}

function measure(batch: readonly TriageInput[], seconds: number): Result {
  // warm-up: let the JIT settle and the word caches fill
  for (let r = 0; r < 30; r++) for (const input of batch) classify(input);
  const rounds = Array.from({ length: ROUNDS }, () => round(batch, seconds / ROUNDS));
  const rates = rounds.map((r) => r.rate).sort((a, b) => a - b);
  return { median: rates[Math.floor(ROUNDS / 2)]!, best: rates[ROUNDS - 1]!, count: rounds.reduce((n, r) => n + r.count, 0) };
}

const all = measure(inputs, SECONDS);
const shortOnes = inputs.filter((i) => i.channel !== 'email');
const social = measure(shortOnes, SECONDS / 2);
const emails = inputs.filter((i) => i.channel === 'email');
const mail = emails.length ? measure(emails, SECONDS / 2) : undefined;

const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
console.log(`Triage classifier benchmark: node ${process.version}, one thread, median of ${ROUNDS} rounds after warm-up`);
console.log(`inputs: ${file} (${inputs.length} messages, mean ${Math.round(chars / inputs.length)} characters), repeated`);
console.log('');
console.log('| messages | classifications / s (median) | µs each | best round / s |');
console.log('|---|---:|---:|---:|');
const row = (name: string, r: Result) => console.log(`| ${name} | ${fmt(r.median)} | ${(1e6 / r.median).toFixed(1)} | ${fmt(r.best)} |`);
row(`all (${inputs.length})`, all);
row(`social posts and DMs (${shortOnes.length})`, social);
if (mail) row(`emails (${emails.length})`, mail);
console.log('');
console.log(`goal ≥ ${fmt(GOAL)} / s on all messages: ${all.median >= GOAL ? 'met' : 'NOT met'}`);
console.log(JSON.stringify({ perSecond: Math.round(all.median), best: Math.round(all.best), social: Math.round(social.median), email: mail ? Math.round(mail.median) : null, checksum }));
