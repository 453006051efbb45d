import { jest } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpoolMailbox } from './spool-mailbox.js';
import type { FetchedMail, MailLog } from './types.js';

let dir: string;
let mailbox: SpoolMailbox | undefined;
const log = (): MailLog & { warn: jest.Mock } => ({ log: jest.fn(), warn: jest.fn(), error: jest.fn() }) as MailLog & { warn: jest.Mock };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spool-spec-'));
});

afterEach(async () => {
  await mailbox?.stop();
  mailbox = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Drops a file that looks settled (written a while ago). */
function drop(name: string, content: string): void {
  writeFileSync(join(dir, name), content);
  const past = new Date(Date.now() - 5_000);
  utimesSync(join(dir, name), past, past);
}

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('SpoolMailbox', () => {
  it('hands each .eml file to the sink, then moves it to processed/', async () => {
    const seen: FetchedMail[] = [];
    drop('b.eml', 'Subject: b\r\n\r\nsecond');
    drop('a.eml', 'Subject: a\r\n\r\nfirst');
    drop('notes.txt', 'not mail');
    mailbox = new SpoolMailbox({ dir, maxMessageBytes: 1_000, sink: async (m) => void seen.push(m), log: log(), pollMs: 20 });
    mailbox.start();
    await until(() => seen.length === 2);
    expect(seen.map((m) => [m.origin, m.source.toString()])).toEqual([
      [{ kind: 'spool', file: 'a.eml' }, 'Subject: a\r\n\r\nfirst'],
      [{ kind: 'spool', file: 'b.eml' }, 'Subject: b\r\n\r\nsecond'],
    ]);
    await until(() => readdirSync(join(dir, 'processed')).length === 2);
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'processed']);
  });

  it('reads only the first maxMessageBytes of a large file but reports its size', async () => {
    const seen: FetchedMail[] = [];
    drop('big.eml', 'x'.repeat(5_000));
    mailbox = new SpoolMailbox({ dir, maxMessageBytes: 100, sink: async (m) => void seen.push(m), log: log(), pollMs: 20 });
    mailbox.start();
    await until(() => seen.length === 1);
    expect(seen[0]!.source).toHaveLength(100);
    expect(seen[0]!.size).toBe(5_000);
  });

  it('leaves a file in place while the sink fails, and stores it once the sink recovers', async () => {
    let failures = 2;
    const seen: string[] = [];
    const logger = log();
    drop('q.eml', 'Subject: q\r\n\r\nbody');
    mailbox = new SpoolMailbox({
      dir,
      maxMessageBytes: 1_000,
      sink: async (m) => {
        if (failures-- > 0) throw new Error('database unavailable');
        seen.push(m.origin.kind === 'spool' ? m.origin.file : '');
      },
      log: logger,
      pollMs: 20,
      backoff: { initialMs: 10, maxMs: 20 },
    });
    mailbox.start();
    await until(() => logger.warn.mock.calls.length >= 1);
    expect(existsSync(join(dir, 'q.eml'))).toBe(true);
    expect(String(logger.warn.mock.calls[0]![0])).toContain('database unavailable');
    await until(() => seen.length === 1);
    await until(() => !existsSync(join(dir, 'q.eml')));
    expect(seen).toEqual(['q.eml']);
  });

  it('waits for a file still being written', async () => {
    const seen: string[] = [];
    writeFileSync(join(dir, 'fresh.eml'), 'Subject: f\r\n\r\n');
    mailbox = new SpoolMailbox({ dir, maxMessageBytes: 1_000, sink: async (m) => void seen.push(m.source.toString()), log: log(), pollMs: 20 });
    mailbox.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([]);
    await until(() => seen.length === 1);
  });

  it('finishes the file in hand when stopped', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let stored = false;
    drop('slow.eml', 'Subject: s\r\n\r\n');
    mailbox = new SpoolMailbox({
      dir,
      maxMessageBytes: 1_000,
      sink: async () => {
        await gate;
        stored = true;
      },
      log: log(),
      pollMs: 20,
    });
    mailbox.start();
    await new Promise((r) => setTimeout(r, 50));
    const stopping = mailbox.stop();
    release();
    await stopping;
    mailbox = undefined;
    expect(stored).toBe(true);
    expect(readdirSync(join(dir, 'processed'))).toEqual(['slow.eml']);
  });
});
