// Runs a built command-line tool (dist/tools/<name>.js), building first if the build is missing,
// so `npm run --silent sla:due` works straight after `npm ci`. Build output goes to stderr to keep
// the tool's standard output clean.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/env.mjs';

const [name, ...args] = process.argv.slice(2);
const entry = join(ROOT, 'dist', 'tools', `${name}.js`);
if (!existsSync(entry)) {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', process.stderr, 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const run = spawnSync(process.execPath, [entry, ...args], { cwd: process.cwd(), stdio: 'inherit' });
process.exit(run.status ?? 1);
