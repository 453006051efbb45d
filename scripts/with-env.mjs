// Runs a command with the launch environment (see lib/env.mjs): `node scripts/with-env.mjs cmd args...`.
import { spawn } from 'node:child_process';
import { launchEnv, ROOT } from './lib/env.mjs';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-env.mjs <command> [args...]');
  process.exit(2);
}
const child = spawn(command, args, { cwd: ROOT, env: launchEnv(), stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
