// npm run triage:eval [-- <file.jsonl>] [-- --non-english=general] [-- --mistakes=N]
// Runs the classifier on labelled JSON lines (default: ../shared/triage/dev.jsonl from the
// repository root) and prints per-route precision, recall and F1, macro-F1, the pii flag, the
// confusion matrix, TRIAGE.md's targets with met / NOT met, and the worst mistakes first (missed
// urgent, wrong deflections, missed media) with the reasons that fired. Exits 0 either way.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '@desk/domain';
import { evaluate, parseExample, type LabelledExample } from '@desk/triage';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const fileArg = args.find((a) => !a.startsWith('--'));
const nonEnglish = args.includes('--non-english=general') ? 'general' : 'by-content';
const mistakesShown = Number(args.find((a) => a.startsWith('--mistakes='))?.split('=')[1] ?? 15);

function locate(path: string): string {
  if (existsSync(path)) return resolve(path);
  const fromRoot = resolve(ROOT, path);
  if (existsSync(fromRoot)) return fromRoot;
  console.error(`triage:eval: cannot find ${path}`);
  process.exit(0);
}

const file = locate(fileArg ?? '../shared/triage/dev.jsonl');
const examples: LabelledExample[] = [];
let bad = 0;
for (const [i, line] of readFileSync(file, 'utf8').split('\n').entries()) {
  if (!line.trim()) continue;
  try {
    examples.push(parseExample(line));
  } catch (error) {
    bad++;
    console.error(`line ${i + 1}: ${(error as Error).message}`);
  }
}

const result = evaluate(examples, { nonEnglish });
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pad = (s: string | number, n: number) => String(s).padStart(n);
const short: Record<string, string> = {
  urgent_safety: 'urg', abuse: 'abu', media: 'med', complaint: 'cmp', clinical: 'cln', appointment: 'apt', spam: 'spm', story: 'sty', praise: 'prs', general: 'gen',
};

console.log(`Triage evaluation: ${file}`);
console.log(`${result.count} examples${bad ? `, ${bad} unreadable lines skipped` : ''}; non-English messages: ${nonEnglish}`);
console.log('');
console.log(`${'route'.padEnd(14)}${pad('support', 8)}${pad('predicted', 10)}${pad('precision', 11)}${pad('recall', 9)}${pad('F1', 8)}`);
for (const r of result.routes) {
  console.log(`${r.route.padEnd(14)}${pad(r.support, 8)}${pad(r.predicted, 10)}${pad(pct(r.precision), 11)}${pad(pct(r.recall), 9)}${pad(r.f1.toFixed(3), 8)}`);
}
console.log('');
console.log(`macro-F1 ${result.macroF1.toFixed(3)}   accuracy ${pct(result.accuracy)}`);
console.log(`pii flag: precision ${pct(result.pii.precision)} (${result.pii.truePositives}/${result.pii.predicted}), recall ${pct(result.pii.recall)} (${result.pii.truePositives}/${result.pii.support})`);
console.log('');
console.log('Confusion matrix (rows: expected, columns: predicted)');
console.log(`${''.padEnd(14)}${ROUTES.map((r) => pad(short[r]!, 5)).join('')}`);
for (const e of ROUTES) console.log(`${e.padEnd(14)}${ROUTES.map((g) => pad(result.confusion[e][g] || '.', 5)).join('')}`);
console.log('');
console.log(`Mistakes (${result.mistakes.length}; showing ${Math.min(mistakesShown, result.mistakes.length)}, worst first)`);
for (const m of result.mistakes.slice(0, mistakesShown)) {
  const text = m.text.replace(/\s+/g, ' ');
  console.log(`- [${m.kind}] ${m.id}: expected ${m.expected}, got ${m.got} (confidence ${m.decision.confidence})`);
  console.log(`    ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`);
  const reasons = m.decision.reasons.slice(0, 6).map((r) => `${r.signal}${r.route ? `→${r.route}` : ''}: "${r.evidence.join('", "')}"`);
  console.log(`    reasons: ${reasons.length ? reasons.join('; ') : '(none fired)'}`);
}
console.log('');
console.log('Targets');
for (const t of result.targets) console.log(`  ${t.name.padEnd(24)} ${pad(t.name === 'macro-F1' ? t.value.toFixed(3) : pct(t.value), 7)}  goal ${t.name === 'macro-F1' ? t.goal.toFixed(2) : pct(t.goal)}  ${t.met ? 'met' : 'NOT met'}`);
const failed = result.targets.filter((t) => !t.met);
console.log('');
console.log(`Summary: ${result.count} examples, macro-F1 ${result.macroF1.toFixed(3)}, accuracy ${pct(result.accuracy)}, ${result.mistakes.length} mistakes (${result.mistakes.filter((m) => m.kind === 'missed urgent').length} missed urgent, ${result.mistakes.filter((m) => m.kind === 'wrong deflection').length} wrong deflections, ${result.mistakes.filter((m) => m.kind === 'missed media').length} missed media)`);
console.log(failed.length === 0 ? 'Targets: all met' : `Targets: NOT met: ${failed.map((t) => t.name).join(', ')}`);
