// Labelled example sets for the specs: the shared dev set (beside the repository) and our own.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseExample, type LabelledExample } from '../evaluate.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..', '..', '..', '..');
export const DEV_FILE = resolve(ROOT, '..', 'shared', 'triage', 'dev.jsonl');
export const EXTRA_FILE = resolve(ROOT, 'libs', 'triage', 'data', 'extra.jsonl');

export function readExamples(file: string): LabelledExample[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map(parseExample);
}
