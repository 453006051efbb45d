// The targets of TRIAGE.md, on the shared dev set (when it is beside the repository) and on our
// own examples (libs/triage/data/extra.jsonl, always present): a regression fails the build.
import { describe, expect, it } from '@jest/globals';
import { evaluate, parseExample } from './evaluate.js';
import { DEV_FILE, EXTRA_FILE, readExamples } from './spec-support/examples.js';

const dev = readExamples(DEV_FILE);
const extra = readExamples(EXTRA_FILE);

function targets(name: string, examples: ReturnType<typeof readExamples>) {
  const result = evaluate(examples);
  const get = (t: string) => result.targets.find((x) => x.name === t)!.value;
  const failures = result.mistakes
    .filter((m) => m.kind !== 'other')
    .map((m) => `${m.kind}: ${m.id} expected ${m.expected}, got ${m.got}`);
  return { result, get, failures, name };
}

describe('TRIAGE.md targets', () => {
  for (const [name, examples] of [
    ['dev.jsonl', dev],
    ['extra.jsonl', extra],
  ] as const) {
    const run = examples.length > 0 ? it : it.skip;
    run(`${name}: urgent_safety recall 100%`, () => {
      const { get, failures } = targets(name, examples);
      expect(failures.filter((f) => f.startsWith('missed urgent'))).toEqual([]);
      expect(get('urgent_safety recall')).toBe(1);
    });
    run(`${name}: clinical and appointment precision at least 97%`, () => {
      const { get } = targets(name, examples);
      expect(get('clinical precision')).toBeGreaterThanOrEqual(0.97);
      expect(get('appointment precision')).toBeGreaterThanOrEqual(0.97);
    });
    run(`${name}: media recall at least 95%`, () => {
      expect(targets(name, examples).get('media recall')).toBeGreaterThanOrEqual(0.95);
    });
    run(`${name}: macro-F1 at least 0.90`, () => {
      expect(targets(name, examples).result.macroF1).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('the dev set is read when it is beside the repository', () => {
    // (the shared set lives in ../shared; CI without it still checks extra.jsonl above)
    expect(extra.length).toBeGreaterThanOrEqual(150);
    if (dev.length > 0) expect(dev.length).toBe(300);
  });
});

describe('evaluate', () => {
  it('computes precision, recall, F1 and the confusion matrix', () => {
    const examples = [
      '{"id":"1","channel":"x","author":"@a","text":"Huge thanks to the staff on ward 4, brilliant care","route":"praise","flags":[]}',
      '{"id":"2","channel":"x","author":"@a","text":"What are the visiting times?","route":"general","flags":[]}',
      '{"id":"3","channel":"x","author":"@a","text":"Is there parking near the entrance?","route":"praise","flags":["pii"]}',
    ].map(parseExample);
    const r = evaluate(examples);
    const praise = r.routes.find((x) => x.route === 'praise')!;
    expect(praise).toMatchObject({ support: 2, predicted: 1, truePositives: 1, precision: 1, recall: 0.5 });
    expect(r.confusion.praise.general).toBe(1);
    expect(r.pii).toMatchObject({ support: 1, predicted: 0, recall: 0 });
    expect(r.mistakes.map((m) => m.id)).toEqual(['3']);
  });

  it('rejects a line without a known route', () => {
    expect(() => parseExample('{"id":"1","text":"hi","route":"nonsense"}')).toThrow(/unknown route/);
    expect(() => parseExample('{"id":"1","route":"general"}')).toThrow(/text/);
  });
});
