// The demo feed's mailbox: a private Dovecot on 127.0.0.1 (plain IMAP, no TLS), so the demo's
// emails reach ingest through its real IMAP driver. Like the one the mail tests start
// (test/support/dovecot.ts, whose setup this follows), it has its own config, user and logs; the
// system's Dovecot service is never touched. The Maildir is kept in var/demo-mailbox/ between runs,
// as a real mailbox is, so ingest's checkpoint stays valid and a restart reads only new mail; the
// config, password, sockets and log live in a temp dir removed on close.
//
// Without Dovecot (Debian/Ubuntu: apt-get install dovecot-imapd) `startDemoMailbox` returns
// undefined with the reason, and the caller falls back to the fake driver's spool folder.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { ROOT } from './env.mjs';

const DOVECOT_PATHS = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot', '/opt/homebrew/sbin/dovecot', '/usr/local/opt/dovecot/sbin/dovecot'];
/** Ports 4600-4609: the first free one is used. */
const PORTS = Array.from({ length: 10 }, (_, i) => 4600 + i);
const USER = 'demo';
const MAILBOX = 'INBOX';
const TEMP_PREFIX = 'desk-demo-dovecot-';

function findDovecot() {
  return DOVECOT_PATHS.find((path) => existsSync(path));
}

function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Ends a demo Dovecot that an earlier run killed hard left behind (its pid file names it), and only
 * that, then removes its temp dir.
 */
async function stopLeftover(pidFile) {
  let pid;
  let runDir;
  try {
    pid = Number(readFileSync(pidFile, 'utf8'));
    rmSync(pidFile, { force: true });
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const conf = args[args.indexOf('-c') + 1] ?? '';
    if (!(pid > 1 && args[0]?.endsWith('dovecot') && conf.startsWith(join(tmpdir(), TEMP_PREFIX)))) return;
    runDir = dirname(conf);
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // no pid file, or that process is gone (or not ours)
  }
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      break;
    }
    await sleep(100);
  }
  rmSync(runDir, { recursive: true, force: true });
}

/** Gives the mail folder to the user Dovecot keeps mail as (nobody, when we run as root). */
function chownTree(path, uid, gid) {
  chownSync(path, uid, gid);
  if (!statSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name), uid, gid);
}

/**
 * Starts the private Dovecot. Resolves `{ ingestEnv, append(raw, date), close(), describe }`, or
 * `{ unavailable: reason }` when there is no Dovecot or it would not start (never throws).
 * `ingestEnv` points ingest's live IMAP driver at it.
 */
export async function startDemoMailbox() {
  const dovecot = findDovecot();
  if (!dovecot) return { unavailable: 'Dovecot is not installed (Debian/Ubuntu: apt-get install dovecot-imapd; macOS: brew install dovecot)' };
  const stateDir = join(ROOT, 'var', 'demo-mailbox');
  const pidFile = join(stateDir, 'dovecot.pid');
  let runDir;
  let child;
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o755 });
    await stopLeftover(pidFile);
    let port;
    for (const candidate of PORTS) {
      if (!(await portAnswers(candidate))) {
        port = candidate;
        break;
      }
    }
    if (!port) return { unavailable: `ports ${PORTS[0]}-${PORTS.at(-1)} are all taken` };

    const { dovecotAccount, dovecotConfig } = await import('../../dist/test/fakes/dovecot-setup.js');
    const who = dovecotAccount();
    const homeRoot = join(stateDir, 'home');
    mkdirSync(join(homeRoot, USER), { recursive: true, mode: 0o755 });
    if (userInfo().uid === 0) {
      // Dovecot keeps the mail as nobody: the folders on the way must be searchable, the mailbox its own.
      for (const dir of [join(ROOT, 'var'), stateDir, homeRoot]) chmodSync(dir, (statSync(dir).mode & 0o7777) | 0o011);
      chownTree(join(homeRoot, USER), who.uid, who.gid);
    }

    runDir = mkdtempSync(join(tmpdir(), TEMP_PREFIX));
    chmodSync(runDir, 0o755);
    for (const sub of ['run', 'state']) mkdirSync(join(runDir, sub), { mode: 0o755 });
    const password = randomBytes(12).toString('hex');
    writeFileSync(join(runDir, 'passwd'), `${USER}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
    writeFileSync(
      join(runDir, 'dovecot.conf'),
      dovecotConfig({ runDir, homeRoot, port, instance: `desk-demo-${process.pid}`, writer: 'scripts/lib/demo-mailbox.mjs for one `npm start` demo run', who }),
    );

    // In a process group of its own, so a Ctrl+C in the terminal does not stop it before ingest has logged out.
    child = spawn(dovecot, ['-c', join(runDir, 'dovecot.conf'), '-F'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    let spawnError;
    const exited = new Promise((resolve) => {
      child.once('exit', resolve);
      child.once('error', (error) => {
        spawnError = error;
        output += `${error.message}\n`;
        resolve();
      });
    });
    writeFileSync(pidFile, String(child.pid));
    // Should the launcher die without closing us, Dovecot goes with it (the pid file covers a SIGKILL).
    const onExit = () => child.kill('SIGTERM');
    process.once('exit', onExit);
    const dir = runDir;
    const log = () => {
      const file = join(dir, 'dovecot.log');
      return ((existsSync(file) ? readFileSync(file, 'utf8') : '') + output).trim().split('\n').slice(-10).join('\n');
    };
    let closing;
    const close = () =>
      (closing ??= (async () => {
        if (!spawnError && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
        process.removeListener('exit', onExit);
        rmSync(pidFile, { force: true });
        rmSync(dir, { recursive: true, force: true });
      })());

    const deadline = Date.now() + 10_000;
    while (!(await portAnswers(port))) {
      if (spawnError || child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        const why = log();
        await close();
        return { unavailable: `Dovecot did not start${why ? `: ${why.split('\n').at(-1)}` : ''}` };
      }
      await sleep(50);
    }

    const imap = { host: '127.0.0.1', port, secure: false, user: USER, password };
    return {
      describe: `a private Dovecot on 127.0.0.1:${port} (mailbox ${USER}/${MAILBOX}, kept in var/demo-mailbox)`,
      /** What ingest needs to read it with the live IMAP driver; everything else keeps the fake drivers. */
      ingestEnv: {
        MAIL_DRIVER: 'live',
        IMAP_HOST: imap.host,
        IMAP_PORT: String(imap.port),
        IMAP_SECURE: 'false',
        IMAP_USER: imap.user,
        IMAP_PASSWORD: imap.password,
        IMAP_MAILBOX: MAILBOX,
      },
      /** APPENDs one message, with the time it arrived (IMAP INTERNALDATE, which ingest reads as received). */
      append: (raw, date) => appendMail(imap, raw, date),
      log,
      close,
    };
  } catch (error) {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    if (runDir) rmSync(runDir, { recursive: true, force: true });
    return { unavailable: `the demo mailbox could not be set up (${error.message})` };
  }
}

async function appendMail(imap, raw, date) {
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.secure,
    doSTARTTLS: false,
    auth: { user: imap.user, pass: imap.password },
    logger: false,
    connectionTimeout: 10_000,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.append(MAILBOX, raw, [], date);
  } finally {
    await client.logout().catch(() => client.close());
  }
}
