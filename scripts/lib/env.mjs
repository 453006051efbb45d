// The environment the launch scripts give the services: .env.example's defaults, then .env,
// then the real environment (which wins). Node's own parser, so quoting follows dotenv rules.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function readEnvFile(name) {
  const path = join(ROOT, name);
  return existsSync(path) ? parseEnv(readFileSync(path, 'utf8')) : {};
}

export function launchEnv(extra = {}) {
  return { ...readEnvFile('.env.example'), ...readEnvFile('.env'), ...process.env, ...extra };
}
