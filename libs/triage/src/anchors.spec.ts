import { describe, expect, it } from '@jest/globals';
import { ALL_RULES } from './classify.js';
import { findFigures } from './figures.js';
import { anchorMisses } from './rules.js';
import { DEV_FILE, EXTRA_FILE, readExamples } from './spec-support/examples.js';
import { prepare } from './text.js';

describe('rule anchors', () => {
  it('never hide a match: every rule that matches an example has one of its anchors present', () => {
    const misses: string[] = [];
    for (const ex of [...readExamples(DEV_FILE), ...readExamples(EXTRA_FILE)]) {
      const p = prepare(ex.subject, ex.text);
      for (const text of [p.text, findFigures(p.text).masked]) {
        for (const m of anchorMisses(ALL_RULES, p, text)) misses.push(`${m.rule.id}: "${m.match}" (${ex.id})`);
      }
    }
    expect([...new Set(misses)]).toEqual([]);
  });
});
