import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { dovecotAccount, dovecotConfig } from '../fakes/dovecot-setup.js';
import { portAnswers, waitPortFree } from './ports.js';

/**
 * A private Dovecot for the mail suites: its own config, users, Maildir and logs in a temp dir,
 * IMAP on 127.0.0.1 without TLS. The system's Dovecot service is never touched.
 */
const DOVECOT = '/usr/sbin/dovecot';
export const DOVECOT_PORT = 1143;
/** Where the pid of the instance we started is kept, so a run killed hard does not block the next. */
const PID_FILE = join(tmpdir(), `desk-test-dovecot-${DOVECOT_PORT}.pid`);

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** A logged-in IMAP client for setting up mailboxes (imapflow is for the channel code only). */
  client(): Promise<ImapTestClient>;
  /** The end of Dovecot's log, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** Ends a Dovecot a previous run of ours left behind (its pid file names it), and only that. */
function stopLeftover(): void {
  try {
    const pid = Number(readFileSync(PID_FILE, 'utf8'));
    forgetPid();
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (pid > 1 && cmdline.includes('dovecot') && cmdline.includes('desk-dovecot-')) process.kill(pid, 'SIGTERM');
  } catch {
    // no pid file, or that process is gone (or not ours to stop)
  }
}

function rememberPid(pid: number | undefined): void {
  try {
    writeFileSync(PID_FILE, String(pid));
  } catch {
    // another user's file: only the leftover clean-up is lost
  }
}

function forgetPid(): void {
  try {
    rmSync(PID_FILE, { force: true });
  } catch {
    // another user's file
  }
}

export async function startDovecot(): Promise<Dovecot> {
  if (!existsSync(DOVECOT)) throw new Error(`${DOVECOT} is missing: install dovecot-imapd`);
  stopLeftover();
  await waitPortFree(DOVECOT_PORT, 'the mail suites', 30);

  const who = dovecotAccount();
  const dir = mkdtempSync(join(tmpdir(), 'desk-dovecot-'));
  // The unprivileged Dovecot processes must reach their files inside it.
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'home']) mkdirSync(join(dir, sub), { mode: 0o755 });
  if (userInfo().uid === 0) chownSync(join(dir, 'home'), who.uid, who.gid);
  const user = 'desk';
  const password = randomBytes(12).toString('hex');
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
  writeFileSync(
    join(dir, 'dovecot.conf'),
    dovecotConfig({ runDir: dir, homeRoot: join(dir, 'home'), port: DOVECOT_PORT, instance: `desk-test-${process.pid}`, writer: 'test/support/dovecot.ts for one test run', who }),
  );

  const child: ChildProcess = spawn(DOVECOT, ['-c', join(dir, 'dovecot.conf'), '-F'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  rememberPid(child.pid);
  const log = () => {
    const file = join(dir, 'dovecot.log');
    const text = (existsSync(file) ? readFileSync(file, 'utf8') : '') + output;
    return text.split('\n').slice(-40).join('\n');
  };

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    forgetPid();
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  while (!(await portAnswers(DOVECOT_PORT))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const why = log();
      await stop();
      throw new Error(`dovecot did not start:\n${why}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    host: '127.0.0.1',
    port: DOVECOT_PORT,
    user,
    password,
    client: () => ImapTestClient.login(DOVECOT_PORT, user, password),
    log,
    stop,
  };
}

export interface MailboxStatus {
  uidValidity: string;
  uidNext: number;
  messages: number;
}

/**
 * A minimal IMAP client speaking the wire protocol directly: enough to create, delete and fill
 * mailboxes. It is independent of the imapflow code under test (and the dependency rules keep
 * provider SDKs inside libs/channels).
 */
export class ImapTestClient {
  private buffer = Buffer.alloc(0);
  private waiting?: () => void;
  private tag = 0;
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiting?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiting?.();
    });
    socket.on('error', () => undefined);
  }

  static async login(port: number, user: string, password: string): Promise<ImapTestClient> {
    const socket = connectTcp(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const client = new ImapTestClient(socket);
    const greeting = await client.line();
    if (!greeting.startsWith('* OK')) throw new Error(`unexpected IMAP greeting: ${greeting}`);
    await client.command(`LOGIN ${quote(user)} ${quote(password)}`);
    return client;
  }

  /** Appends a message; the APPENDUID answer (UIDPLUS) says where it went. */
  async append(mailbox: string, message: Buffer | string, internalDate?: Date): Promise<{ uidValidity: string; uid: number }> {
    const bytes = Buffer.isBuffer(message) ? message : Buffer.from(message);
    const date = internalDate ? ` "${imapDate(internalDate)}"` : '';
    const done = await this.command(`APPEND ${quote(mailbox)}${date} {${bytes.length}+}`, bytes);
    const match = /\[APPENDUID (\d+) (\d+)\]/.exec(done);
    if (!match) throw new Error(`no APPENDUID in: ${done}`);
    return { uidValidity: match[1]!, uid: Number(match[2]) };
  }

  async create(mailbox: string): Promise<void> {
    await this.command(`CREATE ${quote(mailbox)}`);
  }

  async delete(mailbox: string): Promise<void> {
    await this.command(`DELETE ${quote(mailbox)}`);
  }

  /**
   * Deletes and creates the mailbox again: the server gives it a new UIDVALIDITY. `afterDelete`
   * runs in between, e.g. to wait until a client that had it open has been told it is gone (Dovecot
   * can leave such a session in a broken state if the new one appears under it at once).
   */
  async recreate(mailbox: string, afterDelete?: () => Promise<void>): Promise<MailboxStatus> {
    await this.delete(mailbox);
    await afterDelete?.();
    await this.create(mailbox);
    return this.status(mailbox);
  }

  async status(mailbox: string): Promise<MailboxStatus> {
    const untagged: string[] = [];
    await this.command(`STATUS ${quote(mailbox)} (UIDVALIDITY UIDNEXT MESSAGES)`, undefined, untagged);
    const line = untagged.find((l) => l.startsWith('* STATUS')) ?? '';
    const uidValidity = /UIDVALIDITY (\d+)/.exec(line)?.[1];
    if (!uidValidity) throw new Error(`no STATUS answer: ${line}`);
    return { uidValidity, uidNext: Number(/UIDNEXT (\d+)/.exec(line)?.[1]), messages: Number(/MESSAGES (\d+)/.exec(line)?.[1]) };
  }

  async logout(): Promise<void> {
    if (this.closed) return;
    await this.command('LOGOUT').catch(() => undefined);
    this.socket.destroy();
  }

  /** Sends one command (with a non-synchronising literal) and resolves with its tagged OK line. */
  private async command(text: string, literal?: Buffer, untagged: string[] = []): Promise<string> {
    const tag = `t${++this.tag}`;
    this.socket.write(literal ? Buffer.concat([Buffer.from(`${tag} ${text}\r\n`), literal, Buffer.from('\r\n')]) : `${tag} ${text}\r\n`);
    for (;;) {
      const line = await this.line();
      if (line.startsWith(`${tag} `)) {
        if (!line.startsWith(`${tag} OK`)) throw new Error(`IMAP ${text.split(' ')[0]} failed: ${line}`);
        return line;
      }
      untagged.push(line);
    }
  }

  /** One response line, with any literals ("{n}" then n bytes) in it read inline. */
  private async line(): Promise<string> {
    let line = '';
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end >= 0) {
        const part = this.buffer.subarray(0, end).toString('utf8');
        const literal = /\{(\d+)\}$/.exec(part);
        if (!literal) {
          this.buffer = this.buffer.subarray(end + 2);
          return line + part;
        }
        const size = Number(literal[1]);
        if (this.buffer.length >= end + 2 + size) {
          line += part + this.buffer.subarray(end + 2, end + 2 + size).toString('utf8');
          this.buffer = this.buffer.subarray(end + 2 + size);
          continue;
        }
      }
      if (this.closed) throw new Error('IMAP connection closed');
      await this.more();
    }
  }

  private more(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(new Error('no answer from the IMAP server within 30 s'));
      }, 30_000);
      this.waiting = () => {
        clearTimeout(timer);
        this.waiting = undefined;
        resolve();
      };
    });
  }
}

function quote(value: string): string {
  if (/["\\\r\n]/.test(value)) throw new Error(`refusing to quote ${JSON.stringify(value)}`);
  return `"${value}"`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** IMAP date-time ("21-Nov-2026 06:00:00 +0000"), in UTC. */
function imapDate(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
