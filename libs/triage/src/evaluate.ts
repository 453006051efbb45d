// Measures the classifier against labelled examples (the dev.jsonl shape): per-route precision,
// recall and F1, macro-F1, the pii flag, the confusion matrix, TRIAGE.md's targets, and the
// mistakes that matter most first. Pure: the caller reads the file and prints.
import { isChannel, isRoute, ROUTES, type Route } from '@desk/domain';
import { classify, type ClassifyOptions } from './classify.js';
import type { TriageDecision, TriageInput } from './types.js';

export interface LabelledExample extends TriageInput {
  id: string;
  route: Route;
  flags: string[];
}

export interface RouteMetrics {
  route: Route;
  support: number;
  predicted: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Target {
  name: string;
  value: number;
  goal: number;
  met: boolean;
}

export interface Mistake {
  id: string;
  expected: Route;
  got: Route;
  kind: 'missed urgent' | 'wrong deflection' | 'missed media' | 'other';
  text: string;
  decision: TriageDecision;
}

export interface Evaluation {
  count: number;
  accuracy: number;
  routes: RouteMetrics[];
  macroF1: number;
  pii: { support: number; predicted: number; truePositives: number; precision: number; recall: number };
  /** confusion[expected][got] */
  confusion: Record<Route, Record<Route, number>>;
  targets: Target[];
  mistakes: Mistake[];
}

/** Parses one labelled line; throws with a readable message when it is not usable. */
export function parseExample(line: string): LabelledExample {
  const o = JSON.parse(line) as Record<string, unknown>;
  if (typeof o !== 'object' || o === null) throw new Error('not an object');
  if (typeof o.text !== 'string') throw new Error('text is missing');
  if (!isRoute(o.route)) throw new Error(`unknown route ${String(o.route)}`);
  return {
    id: String(o.id ?? ''),
    channel: isChannel(o.channel) ? o.channel : 'x',
    author: typeof o.author === 'string' ? o.author : '',
    subject: typeof o.subject === 'string' ? o.subject : undefined,
    text: o.text,
    history: Array.isArray(o.history) ? o.history.filter((h): h is string => typeof h === 'string') : undefined,
    route: o.route,
    flags: Array.isArray(o.flags) ? o.flags.map(String) : [],
  };
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function evaluate(examples: readonly LabelledExample[], options: ClassifyOptions = {}): Evaluation {
  const confusion = {} as Record<Route, Record<Route, number>>;
  for (const e of ROUTES) {
    confusion[e] = {} as Record<Route, number>;
    for (const g of ROUTES) confusion[e][g] = 0;
  }
  let piiSupport = 0;
  let piiPredicted = 0;
  let piiTp = 0;
  let correct = 0;
  const mistakes: Mistake[] = [];
  for (const ex of examples) {
    const decision = classify(ex, options);
    confusion[ex.route][decision.route]++;
    if (decision.route === ex.route) correct++;
    const goldPii = ex.flags.includes('pii');
    const gotPii = decision.flags.includes('pii');
    if (goldPii) piiSupport++;
    if (gotPii) piiPredicted++;
    if (goldPii && gotPii) piiTp++;
    if (decision.route !== ex.route) {
      const kind: Mistake['kind'] =
        ex.route === 'urgent_safety'
          ? 'missed urgent'
          : decision.route === 'clinical' || decision.route === 'appointment'
            ? 'wrong deflection'
            : ex.route === 'media'
              ? 'missed media'
              : 'other';
      mistakes.push({ id: ex.id, expected: ex.route, got: decision.route, kind, text: ex.subject ? `${ex.subject} | ${ex.text}` : ex.text, decision });
    }
  }
  const order: Mistake['kind'][] = ['missed urgent', 'wrong deflection', 'missed media', 'other'];
  mistakes.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));

  const routes: RouteMetrics[] = ROUTES.map((route) => {
    const support = ROUTES.reduce((n, g) => n + confusion[route][g], 0);
    const predicted = ROUTES.reduce((n, e) => n + confusion[e][route], 0);
    const tp = confusion[route][route];
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { route, support, predicted, truePositives: tp, precision, recall, f1: ratio(2 * precision * recall, precision + recall) };
  });
  const present = routes.filter((r) => r.support > 0 || r.predicted > 0);
  const macroF1 = ratio(
    present.reduce((n, r) => n + r.f1, 0),
    present.length,
  );
  const get = (route: Route) => routes.find((r) => r.route === route)!;
  const target = (name: string, value: number, goal: number): Target => ({ name, value, goal, met: value >= goal - 1e-12 });
  const targets = [
    target('urgent_safety recall', get('urgent_safety').recall, 1),
    target('clinical precision', get('clinical').predicted === 0 ? 1 : get('clinical').precision, 0.97),
    target('appointment precision', get('appointment').predicted === 0 ? 1 : get('appointment').precision, 0.97),
    target('media recall', get('media').recall, 0.95),
    target('macro-F1', macroF1, 0.9),
  ];
  return {
    count: examples.length,
    accuracy: ratio(correct, examples.length),
    routes,
    macroF1,
    pii: { support: piiSupport, predicted: piiPredicted, truePositives: piiTp, precision: ratio(piiTp, piiPredicted), recall: ratio(piiTp, piiSupport) },
    confusion,
    targets,
    mistakes,
  };
}
