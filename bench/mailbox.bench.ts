// npm run bench:mailbox: how fast the IMAP mailbox reads a backlog (a trust's mailbox after ingest
// was down, or a burst), from a private Dovecot directly and through a proxy that makes the server
// as far away as a hosted one. The sink stores nothing, so this is the reading alone: fetches,
// round trips and the read-ahead. Env: BENCH_MAILS (default 1000), BENCH_DELAYS_MS (one-way
// delays, default "0,10"). Results: results/bench-mailbox.{md,json}.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { email } from '@desk/channels';
import { startDovecot } from '../test/support/dovecot.js';
import { latencyProxy } from './support/latency-proxy.js';

const MAILS = Number(process.env.BENCH_MAILS ?? 1000);
const DELAYS = (process.env.BENCH_DELAYS_MS ?? '0,10').split(',').map(Number);
const ROOT = process.cwd();

const dovecot = await startDovecot();
const client = await dovecot.client();
for (let i = 0; i < MAILS; i++) {
  const body = `Message ${i}: ${'When is the car park barrier going to be fixed? '.repeat(16)}`;
  await client.append('INBOX', [`From: Person ${i} <p${i}@example.org>`, 'To: comms@trust.example.nhs.uk', `Subject: Question ${i}`, `Message-ID: <bench-${i}@example.org>`, '', body, ''].join('\r\n'));
}
await client.logout();

interface Result {
  oneWayDelayMs: number;
  mails: number;
  seconds: number;
  mailsPerSecond: number;
  inOrderOnce: boolean;
}
const results: Result[] = [];
for (const delay of DELAYS) {
  const proxy = await latencyProxy(dovecot.port, delay);
  const uids: number[] = [];
  let finished: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (finished = resolve));
  const mailbox = new email.ImapMailbox({
    imap: { host: '127.0.0.1', port: proxy.port, secure: false, user: dovecot.user, password: dovecot.password, mailbox: 'INBOX' },
    maxMessageBytes: 25 * 1024 * 1024,
    checkpoints: { load: async () => undefined, save: async () => undefined },
    sink: async (mail) => {
      if (mail.origin.kind === 'imap') uids.push(mail.origin.uid);
      if (uids.length === MAILS) finished();
    },
    log: { log: () => undefined, warn: (m) => console.log(`bench: ${m}`), error: (m) => console.log(`bench: ${m}`) },
  });
  const started = performance.now();
  mailbox.start();
  await all;
  const seconds = (performance.now() - started) / 1000;
  await mailbox.stop();
  await proxy.close();
  const inOrderOnce = uids.every((uid, i) => i === 0 || uid > uids[i - 1]!) && new Set(uids).size === MAILS;
  results.push({ oneWayDelayMs: delay, mails: MAILS, seconds, mailsPerSecond: MAILS / seconds, inOrderOnce });
  console.log(`bench: ${delay} ms each way: ${MAILS} mails in ${seconds.toFixed(2)} s = ${(MAILS / seconds).toFixed(0)} mails/s, in UID order and once each: ${inOrderOnce}`);
}
await dovecot.stop();

const table = [
  `# bench (mailbox) — ${new Date().toISOString()}`,
  '',
  `A backlog of ${MAILS} mails (about 1 kB each) read by ImapMailbox from a private Dovecot, with a sink that stores nothing (from connecting to the last mail handed over; the first FETCH includes login and SELECT).`,
  '',
  '| one-way delay | round trip | mails | seconds | mails/s | in UID order, once each |',
  '|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.oneWayDelayMs} ms | ${2 * r.oneWayDelayMs} ms | ${r.mails} | ${r.seconds.toFixed(2)} | ${r.mailsPerSecond.toFixed(0)} | ${r.inOrderOnce ? 'yes' : 'NO'} |`),
].join('\n');
mkdirSync(join(ROOT, 'results'), { recursive: true });
writeFileSync(join(ROOT, 'results', 'bench-mailbox.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(ROOT, 'results', 'bench-mailbox.md'), `${table}\n`);
console.log(table);
if (results.some((r) => !r.inOrderOnce)) process.exitCode = 1;
