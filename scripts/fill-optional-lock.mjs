// Our registry mirror lacks some platform builds (e.g. @swc/core-darwin-arm64). `npm install` then
// leaves those optional dependencies out of package-lock.json, and `npm ci` refuses the lock as
// "out of sync". This records each missing optional dependency in the lock at the exact version its
// parent asks for, marked optional, so `npm ci` accepts the lock and skips what it cannot fetch
// (and a machine with the full registry installs it as usual). Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/env.mjs';

const path = join(ROOT, 'package-lock.json');
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

function resolves(parentPath, name) {
  // Node's lookup: the parent's own node_modules, then each ancestor's, then the top.
  let dir = parentPath;
  for (;;) {
    if (packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    const cut = dir.lastIndexOf('/node_modules/');
    if (dir === '') return false;
    dir = cut === -1 ? '' : dir.slice(0, cut);
  }
}

const added = [];
for (const [parentPath, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolves(parentPath, name)) continue;
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) {
      console.warn(`skipping ${name}@${spec}: not an exact version`);
      continue;
    }
    packages[`node_modules/${name}`] = { version: spec, optional: true };
    added.push(`${name}@${spec}`);
  }
}

if (added.length) {
  lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
}
console.log(added.length ? `recorded ${added.length} optional dependencies the registry lacks:\n  ${added.join('\n  ')}` : 'lock already lists every optional dependency');
