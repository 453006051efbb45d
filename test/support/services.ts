import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './test-env.js';

export type ServiceName = 'desk' | 'ingest' | 'triage' | 'responder';

const PORT_VARIABLE: Record<ServiceName, string> = {
  desk: 'DESK_PORT',
  ingest: 'INGEST_PORT',
  triage: 'TRIAGE_HEALTH_PORT',
  responder: 'RESPONDER_HEALTH_PORT',
};

export const ROOT = process.cwd();
/** The build the suites run; DIST_DIR lets parallel work use builds of its own. */
export const DIST = join(ROOT, process.env.DIST_DIR ?? 'dist');

export function serviceEntry(name: ServiceName): string {
  const entry = join(DIST, 'apps', name, 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` before the end-to-end suite`);
  return entry;
}

export interface RunningService {
  name: ServiceName;
  port: number;
  process: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or signal) once the process has gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop: (signal?: NodeJS.Signals) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The environment a service gets in tests: only what we pass, so a missing variable is really missing. */
export function serviceEnv(overrides: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    SHUTDOWN_GRACE_MS: '15000',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

export function spawnService(name: ServiceName, port: number, overrides: Record<string, string | undefined> = {}): RunningService {
  const child = spawn(process.execPath, [serviceEntry(name)], {
    env: serviceEnv({ [PORT_VARIABLE[name]]: String(port), ...overrides }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    name,
    port,
    process: child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls GET /health until it answers 200, or fails with the service's output. */
export async function waitHealthy(service: RunningService, timeoutMs = 20_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) break;
    try {
      const res = await fetch(`http://127.0.0.1:${service.port}/health`);
      const body = await res.json();
      if (res.status === 200) return body;
      last = `${res.status} ${JSON.stringify(body)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${service.name} not healthy (${last}); output:\n${service.output()}`);
}

export async function startHealthy(name: ServiceName, port: number, overrides: Record<string, string | undefined> = {}) {
  const service = spawnService(name, port, overrides);
  await waitHealthy(service);
  return service;
}
