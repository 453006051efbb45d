import { watch, type FSWatcher } from 'node:fs';
import { mkdir, open, readdir, rename, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { backoffDelay, DEFAULT_BACKOFF, Wakeup, type BackoffSettings } from './backoff.js';
import type { FetchedMail, MailLog, Mailbox, MailSink } from './types.js';

export interface SpoolMailboxOptions {
  /** The folder standing in for the mailbox; stored files move to its `processed/` subfolder. */
  dir: string;
  maxMessageBytes: number;
  sink: MailSink;
  log: MailLog;
  /** How often the folder is looked at when no change is reported (watching is not reliable everywhere). */
  pollMs?: number;
  backoff?: BackoffSettings;
}

export const PROCESSED_DIR = 'processed';
/** A file changed this recently may still be being written; it is read on a later look. */
const SETTLE_MS = 300;

/**
 * The fake driver's mailbox: each `.eml` file dropped into a folder is one message. It goes
 * through the same sink as IMAP mail, and only once stored is it moved to `processed/`, so a
 * crash in between reads it again (and the store keeps it once). Write files elsewhere and move
 * them in, or they may be read half-written if the writer is slower than SETTLE_MS.
 */
export class SpoolMailbox implements Mailbox {
  private stopping = false;
  private running?: Promise<void>;
  private watcher?: FSWatcher;
  private readonly wakeup = new Wakeup();
  /** Files stored but not movable (permissions): not read again by this process. */
  private readonly stuck = new Set<string>();

  constructor(private readonly options: SpoolMailboxOptions) {}

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeup.wake();
    await this.running;
    this.watcher?.close();
  }

  private async run(): Promise<void> {
    const { dir, log } = this.options;
    const pollMs = this.options.pollMs ?? 1_000;
    let failures = 0;
    while (!this.stopping) {
      let waitMs = pollMs;
      try {
        await mkdir(join(dir, PROCESSED_DIR), { recursive: true });
        this.watch();
        const unsettled = await this.readAll();
        if (unsettled) waitMs = Math.min(pollMs, SETTLE_MS);
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        waitMs = backoffDelay(failures, this.options.backoff ?? DEFAULT_BACKOFF);
        this.wakeup.clear();
        log.warn(`mail spool ${dir}: ${(error as Error).message}; trying again in ${waitMs} ms`);
      }
      if (!this.stopping) await this.wakeup.wait(waitMs);
    }
  }

  private watch(): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(this.options.dir, () => this.wakeup.wake());
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      // Polling alone still finds every file.
    }
  }

  /** Stores every settled file in name order; true when some file was too fresh to read yet. */
  private async readAll(): Promise<boolean> {
    const { dir } = this.options;
    const entries = await readdir(dir, { withFileTypes: true });
    const files = entries
      .filter((e) => e.isFile() && extname(e.name).toLowerCase() === '.eml' && !this.stuck.has(e.name))
      .map((e) => e.name)
      .sort();
    let unsettled = false;
    for (const name of files) {
      if (this.stopping) break;
      const path = join(dir, name);
      const info = await stat(path).catch(() => undefined);
      if (!info) continue; // moved away meanwhile
      if (Date.now() - info.mtimeMs < SETTLE_MS) {
        unsettled = true;
        continue;
      }
      await this.options.sink(await this.read(path, info.size, info.mtime));
      await this.moveToProcessed(path, name);
    }
    return unsettled;
  }

  private async read(path: string, size: number, mtime: Date): Promise<FetchedMail> {
    const length = Math.min(size, this.options.maxMessageBytes);
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      return { source: buffer.subarray(0, bytesRead), size, receivedAt: mtime, origin: { kind: 'spool', file: basename(path) } };
    } finally {
      await handle.close();
    }
  }

  private async moveToProcessed(path: string, name: string): Promise<void> {
    const target = join(this.options.dir, PROCESSED_DIR, name);
    const taken = await stat(target).then(() => true, () => false);
    const destination = taken ? join(this.options.dir, PROCESSED_DIR, `${basename(name, extname(name))}.${Date.now()}${extname(name)}`) : target;
    try {
      await rename(path, destination);
    } catch (error) {
      this.stuck.add(name);
      this.options.log.error(`mail spool: ${name} was stored but could not be moved to ${PROCESSED_DIR}/ (${(error as Error).message}); it will not be read again until restart`);
    }
  }
}
