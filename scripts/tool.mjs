// Runs a built command-line tool (dist/tools/<name>.js), building first if the build is missing
// or older than the sources, so `npm run --silent sla:due` works straight after `npm ci` and never
// runs stale code. Build output goes to stderr to keep the tool's standard output clean.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/env.mjs';

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('dist')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const [name, ...args] = process.argv.slice(2);
const entry = join(ROOT, 'dist', 'tools', `${name}.js`);
const sources = Math.max(...['apps', 'libs', 'tools'].map((d) => newestSource(join(ROOT, d))));
if (!existsSync(entry) || statSync(entry).mtimeMs < sources) {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', process.stderr, 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const run = spawnSync(process.execPath, [entry, ...args], { cwd: process.cwd(), stdio: 'inherit' });
process.exit(run.status ?? 1);
