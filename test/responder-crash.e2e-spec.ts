import { Queue } from 'bullmq';
import pg from 'pg';
import { FAKE_CREDENTIALS, redisConnectionOptions } from '@desk/config';
import { FakeGraphApi } from './fakes/graph-api.js';
import { SmtpSink } from './fakes/smtp-sink.js';
import { FakeXApi } from './fakes/x-api.js';
import { startDovecot, type Dovecot } from './support/dovecot.js';
import { queueSend, seedOutbound, settled, settleOtherSuitesRows } from './support/outbound-seed.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { spawnService, startHealthy, waitHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, testQueuePrefix } from './support/test-env.js';

/**
 * The responder is killed with SIGKILL at the worst moment: the provider has acted on our request
 * and its answer is not yet back, so nothing of the outcome reached Postgres. The restarted
 * responder must find the post at the provider and record it, not post again.
 */
const prefix = testQueuePrefix('responder-crash');
const connection = redisConnectionOptions(TEST_REDIS_URL);
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 3 });
const redis = testRedis();
const queue = new Queue('outbound', { connection, prefix });
const ME = FAKE_CREDENTIALS.x.userId;
const PAGE = '1234567890';
const PORTS = { responder: 4505, x: 4506, graph: 4507, smtp: 4508 };
const FROM = 'Communications team <communications@trust.example>';
let x: FakeXApi;
let graph: FakeGraphApi;
let sink: SmtpSink;
let dovecot: Dovecot;
let responder: RunningService;

const env = () => ({
  QUEUE_PREFIX: prefix,
  X_API_BASE_URL: x.url,
  X_ACCESS_TOKEN: FakeXApi.tokenFor(ME),
  META_GRAPH_URL: graph.url,
  META_PAGE_TOKENS: `${PAGE}=page-token-fb`,
  MAIL_DRIVER: 'live',
  MAIL_FROM: FROM,
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(PORTS.smtp),
  SMTP_SECURE: 'false',
  IMAP_HOST: dovecot.host,
  IMAP_PORT: String(dovecot.port),
  IMAP_SECURE: 'false',
  IMAP_USER: dovecot.user,
  IMAP_PASSWORD: dovecot.password,
  MAIL_SENT_MAILBOX: 'Sent',
  // A killed responder's job is taken over after this long.
  OUTBOUND_LOCK_MS: '1500',
  LOG_LEVEL: 'warn',
});

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  await settleOtherSuitesRows(db);
  dovecot = await startDovecot();
  x = await FakeXApi.start(PORTS.x);
  graph = await FakeGraphApi.start(PORTS.graph, { tokens: { [PAGE]: 'page-token-fb' } });
  sink = await SmtpSink.start({
    port: PORTS.smtp,
    saveToSent: { host: dovecot.host, port: dovecot.port, user: dovecot.user, password: dovecot.password, mailbox: 'Sent' },
  });
  responder = await startHealthy('responder', PORTS.responder, env());
}, 60_000);

afterAll(async () => {
  await responder?.stop();
  await Promise.all([x?.close(), graph?.close(), sink?.stop(), queue.close()]);
  await dovecot?.stop();
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
});

/** Kills the responder the moment the provider has acted, then starts a new one. */
async function crashOnAccept(arm: (kill: () => void) => void): Promise<{ killedAt: number }> {
  const killed = new Promise<number>((resolve) =>
    arm(() => {
      responder.process.kill('SIGKILL');
      resolve(Date.now());
    }),
  );
  const killedAt = await killed;
  const exit = await responder.exited;
  expect(exit.signal).toBe('SIGKILL');
  responder = spawnService('responder', PORTS.responder, env());
  await waitHealthy(responder);
  return { killedAt };
}

const tweetId = () => `${BigInt(Date.now()) * 4194304n + BigInt(Math.floor(Math.random() * 4194304))}`;

describe('killed between the provider accepting and the database write', () => {
  it('X: one reply at X, and the row records it after the restart', async () => {
    const target = tweetId();
    const seeded = await seedOutbound(db, { channel: 'x', externalId: target }, { kind: 'reply', body: 'We can’t give medical advice here: please call NHS 111.' });
    const crash = crashOnAccept((kill) => {
      x.onAccepted = (write) => {
        const replyTo = (write.body as { reply?: { in_reply_to_tweet_id?: string } }).reply?.in_reply_to_tweet_id;
        if (write.endpoint !== 'tweets_create' || replyTo !== target) return;
        x.onAccepted = undefined;
        kill();
      };
    });
    await queueSend(queue, seeded.outboundId);
    await crash;
    const row = await settled(db, seeded.outboundId, 20_000);
    const posts = x.posts.filter((p) => p.in_reply_to_tweet_id === target);
    expect(posts).toHaveLength(1);
    expect(row).toMatchObject({ status: 'sent', provider_id: posts[0]!.id, attempts: 2 });
    expect(row.provider_response.reconciled).toBe(true);
    expect((await db.query(`SELECT first_response_at FROM inbound_item WHERE id = $1`, [seeded.itemId])).rows[0].first_response_at).toBeInstanceOf(Date);
  }, 40_000);

  it('Graph: one reply on the comment', async () => {
    const comment = `${Date.now()}_77`;
    graph.addComment('facebook', { id: comment, accountId: PAGE, message: 'What dose should I take?', fromId: '5550009' });
    const seeded = await seedOutbound(db, { channel: 'facebook', externalId: comment, raw: { entry: { id: PAGE } } }, { kind: 'reply', body: 'Please call NHS 111.' });
    const crash = crashOnAccept((kill) => {
      graph.onAccepted = (reply) => {
        if (reply.parentId !== comment) return;
        graph.onAccepted = undefined;
        kill();
      };
    });
    await queueSend(queue, seeded.outboundId);
    await crash;
    const row = await settled(db, seeded.outboundId, 20_000);
    const replies = graph.replies.filter((r) => r.parentId === comment);
    expect(replies).toHaveLength(1);
    expect(row).toMatchObject({ status: 'sent', provider_id: replies[0]!.id });
    expect(row.provider_response.reconciled).toBe(true);
  }, 40_000);

  it('email: one message through SMTP, found again by its Message-ID in the Sent folder', async () => {
    const seeded = await seedOutbound(
      db,
      { channel: 'email', externalId: '<question-1@example.org>', contactId: 'patient@example.org', subject: 'Medication question', raw: { headers: {} } },
      { kind: 'email', body: 'Thank you for your message. Please call NHS 111.' },
    );
    const crash = crashOnAccept((kill) => {
      sink.onAccepted = (message) => {
        if (message.inReplyTo !== '<question-1@example.org>') return;
        sink.onAccepted = undefined;
        kill();
      };
    });
    await queueSend(queue, seeded.outboundId);
    await crash;
    const row = await settled(db, seeded.outboundId, 20_000);
    const mine = sink.messages.filter((m) => m.inReplyTo === '<question-1@example.org>');
    expect(mine).toHaveLength(1);
    expect(row).toMatchObject({ status: 'sent', provider_id: mine[0]!.messageId });
    expect(row.provider_response.reconciled).toBe(true);
  }, 40_000);
});

describe('rows the queue lost', () => {
  it('the sweeper re-queues a pending row whose job is gone, and it is sent once', async () => {
    const target = tweetId();
    const seeded = await seedOutbound(db, { channel: 'x', externalId: target }, { kind: 'reply', body: 'Found by the sweeper.', updatedAt: new Date(Date.now() - 5 * 60_000) });
    await queue.add('outbound.sweep', { v: 1 }, { jobId: `sweep-now-${Date.now()}` });
    const row = await settled(db, seeded.outboundId, 15_000);
    expect(row.status).toBe('sent');
    expect(x.posts.filter((p) => p.in_reply_to_tweet_id === target)).toHaveLength(1);
  });
});
