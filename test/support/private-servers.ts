import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { ensureDatabase, runMigrations } from '@desk/persistence';
import { waitPortFree } from './ports.js';

/**
 * Private Postgres and Redis servers for the fault suites, which stop and restart them. The
 * machine's shared servers (5432, 6379) are never touched: other work runs against them.
 */
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Remembers what a run started, so one killed hard does not leave the next without its port. */
function leftoverFile(kind: string, port: number): string {
  return join(tmpdir(), `desk-test-${kind}-${port}.leftover`);
}

// ---------------------------------------------------------------- Postgres

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new Error(`no Postgres under ${root}: install postgresql`);
  return join(root, versions[0]!, 'bin');
}

/** Postgres refuses to run as root: as root, its tools run as the postgres user. */
async function asPostgres(tool: string, args: string[]): Promise<string> {
  const bin = join(postgresBin(), tool);
  const [file, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const { stdout } = await run(file, argv, { timeout: 60_000 });
  return stdout;
}

function postgresUid(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, but there is no postgres user to run Postgres as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** A server of the fault suites' own, which they crash and bring back. */
interface PrivateServer {
  port: number;
  url: string;
  /** Stops at once, like a crash or a power cut. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops at once, stays down `downMs`, starts again on the same port. */
  restart(downMs: number): Promise<void>;
  /** Stops and deletes what it kept. */
  destroy(): Promise<void>;
}

/** `url` is the fault suite's database on it, created and migrated; stop is `pg_ctl stop -m immediate`. */
export interface PrivatePostgres extends PrivateServer {
  log(): string;
}

export async function startPostgres(port: number, database = 'desk_faults'): Promise<PrivatePostgres> {
  await stopLeftoverPostgres(port);
  await waitPortFree(port, 'the private Postgres');
  const dir = mkdtempSync(join(tmpdir(), 'desk-faults-pg-'));
  const owner = postgresUid();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  writeFileSync(leftoverFile('postgres', port), data);
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  // fsync off only risks data on an operating-system crash; an immediate stop is a Postgres crash,
  // after which committed transactions are replayed from the WAL as in production.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = async () => {
    await asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', logFile, '-w', '-t', '60', 'start']);
  };
  const stop = async () => {
    await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  };
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/${database}`;
  await ensureDatabase(url);
  await runMigrations(url);
  return {
    port,
    url,
    stop,
    start,
    async restart(downMs: number) {
      await stop();
      await sleep(downMs);
      await start();
    },
    async destroy() {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
      rmSync(leftoverFile('postgres', port), { force: true });
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : ''),
  };
}

async function stopLeftoverPostgres(port: number): Promise<void> {
  const file = leftoverFile('postgres', port);
  if (!existsSync(file)) return;
  const data = readFileSync(file, 'utf8').trim();
  rmSync(file, { force: true });
  // Only a data directory of ours, in the temp dir, is stopped and deleted.
  if (!data.startsWith(join(tmpdir(), 'desk-faults-pg-')) || !existsSync(data)) return;
  await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  rmSync(join(data, '..'), { recursive: true, force: true });
}

// ---------------------------------------------------------------- Redis

/** Its stop is SIGKILL: without persistence everything in it is gone, as after a crash of a cache node. */
export type PrivateRedis = PrivateServer;

export async function startRedis(port: number): Promise<PrivateRedis> {
  stopLeftoverRedis(port);
  await waitPortFree(port, 'the private Redis');
  const dir = mkdtempSync(join(tmpdir(), 'desk-faults-redis-'));
  let child: ChildProcess | undefined;
  let output = '';
  const start = async () => {
    output = '';
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    writeFileSync(leftoverFile('redis', port), String(child.pid));
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      for (let i = 0; i < 100; i++) {
        if (child.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
        const ok = await probe
          .connect()
          .then(() => probe.ping())
          .then(
            () => true,
            () => false,
          );
        if (ok) return;
        probe.disconnect();
        await sleep(50);
      }
      throw new Error(`redis-server on ${port} did not answer: ${output}`);
    } finally {
      probe.disconnect();
    }
  };
  const stop = async () => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((resolve) => current.once('exit', resolve));
    current.kill('SIGKILL');
    await exited;
    rmSync(leftoverFile('redis', port), { force: true });
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async restart(downMs: number) {
      await stop();
      await sleep(downMs);
      await start();
    },
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function stopLeftoverRedis(port: number): void {
  const file = leftoverFile('redis', port);
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    rmSync(file, { force: true });
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (pid > 1 && cmdline.includes('redis-server') && cmdline.includes(`:${port}`)) process.kill(pid, 'SIGKILL');
  } catch {
    // no leftover file, or that process is gone
  }
}
