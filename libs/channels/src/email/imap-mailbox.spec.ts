import { jest } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import { describeError, fetchBatches, ImapMailbox } from './imap-mailbox.js';
import type { MailLog } from './types.js';

const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  sockets.forEach((s) => s.destroy());
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(onConnection?: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    sockets.push(socket);
    onConnection?.(socket);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

async function freePort(): Promise<number> {
  const port = await listen();
  await new Promise((r) => servers.pop()!.close(r));
  return port;
}

function mailbox(port: number, log: MailLog) {
  return new ImapMailbox({
    imap: { host: '127.0.0.1', port, secure: false, user: 'desk', password: 'not-logged-anywhere', mailbox: 'INBOX' },
    maxMessageBytes: 1_000_000,
    checkpoints: { load: async () => undefined, save: async () => undefined },
    sink: async () => undefined,
    log,
    backoff: { initialMs: 20, maxMs: 40 },
  });
}

describe('ImapMailbox', () => {
  it('retries an unreachable server with backoff, saying why and never the password', async () => {
    const warn = jest.fn<(m: string) => void>();
    const box = mailbox(await freePort(), { log: jest.fn(), warn, error: jest.fn() });
    box.start();
    const deadline = Date.now() + 3_000;
    while (warn.mock.calls.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await box.stop();
    expect(warn.mock.calls.length).toBeGreaterThanOrEqual(3);
    const first = warn.mock.calls[0]![0];
    expect(first).toMatch(/^mailbox desk@127\.0\.0\.1:\d+\/INBOX: .*ECONNREFUSED.*; reconnecting in \d+ ms \(attempt 1\)$/);
    expect(warn.mock.calls.map((c) => c[0]).join('\n')).not.toContain('not-logged-anywhere');
  });

  it('stops at once while a connection hangs without a greeting', async () => {
    const port = await listen(() => undefined);
    const box = mailbox(port, { log: jest.fn(), warn: jest.fn(), error: jest.fn() });
    box.start();
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await box.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('describeError', () => {
  it('gives the server answer and code, and says only "login failed" for a failed login', () => {
    expect(describeError(Object.assign(new Error('Command failed'), { responseText: "Mailbox doesn't exist: Desk", code: 'NONEXISTENT' }))).toBe(
      "Command failed; server said: Mailbox doesn't exist: Desk; code NONEXISTENT",
    );
    expect(describeError(Object.assign(new Error('Authentication failed'), { authenticationFailed: true, responseText: '[AUTHENTICATIONFAILED] Authentication failed.' }))).toBe(
      'login failed; server said: [AUTHENTICATIONFAILED] Authentication failed.',
    );
  });
});

describe('fetchBatches', () => {
  const MB = 1024 * 1024;
  const waiting = (sizes: number[]) => sizes.map((size, i) => ({ uid: 100 + i, size }));

  it('asks for up to 8 messages in one FETCH, keeping UID order', () => {
    const batches = fetchBatches(waiting(Array(20).fill(2_000)));
    expect(batches.map((b) => b.length)).toEqual([8, 8, 4]);
    expect(batches.flat().map((m) => m.uid)).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
  });

  it('starts a new batch before one would pass 4 MB, and gives a larger message a batch of its own', () => {
    const batches = fetchBatches(waiting([1 * MB, 2 * MB, 1.5 * MB, 20 * MB, 100, 100]));
    expect(batches.map((b) => b.map((m) => m.size))).toEqual([[1 * MB, 2 * MB], [1.5 * MB], [20 * MB], [100, 100]]);
  });

  it('has nothing to fetch for nothing waiting', () => {
    expect(fetchBatches([])).toEqual([]);
  });
});
