import { connect, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { FAKE_CREDENTIALS } from '@desk/config';
import { feedCommentPayload, MetaWebhookSender } from './fakes/meta-webhook.js';
import { cleanPrefix, testRedis } from './support/redis.js';
import { startHealthy, type RunningService } from './support/services.js';
import { TEST_DATABASE_URL, testQueuePrefix } from './support/test-env.js';

const PORT = 4441;
const prefix = testQueuePrefix('ingest-busy');
const redis = testRedis();
const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
const sender = new MetaWebhookSender(`http://127.0.0.1:${PORT}`);
let ingest: RunningService;

beforeAll(async () => {
  await cleanPrefix(redis, prefix);
  ingest = await startHealthy('ingest', PORT, { QUEUE_PREFIX: prefix, X_POLL_INTERVAL_MS: '0', WEBHOOK_MAX_IN_FLIGHT: '2', MAIL_SPOOL_DIR: `/tmp/${prefix}-spool` });
});

afterAll(async () => {
  await ingest?.stop();
  await cleanPrefix(redis, prefix);
  await Promise.all([redis.quit(), db.end()]);
});

/** A delivery whose body is still on its way: it holds its place until `finish` sends the rest. */
function slowDelivery(): Promise<{ socket: Socket; finish: () => Promise<string> }> {
  const body = JSON.stringify(feedCommentPayload({ postId: `${FAKE_CREDENTIALS.meta.pageIds[0]}_1`, commentId: `1_${randomUUID().slice(0, 8)}`, text: 'held' }));
  return new Promise((resolve, reject) => {
    const socket = connect(PORT, '127.0.0.1', () => {
      socket.write(`POST /webhooks/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`);
      socket.write(body.slice(0, 10));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk));
      const ended = new Promise<string>((done) => socket.on('close', () => done(answer)));
      resolve({ socket, finish: () => (socket.write(body.slice(10)), ended) });
    });
    socket.on('error', reject);
  });
}

describe('webhooks under more load than WEBHOOK_MAX_IN_FLIGHT', () => {
  it('refuse the delivery past the cap with 503 and Retry-After, store nothing of it, and take deliveries again once there is room', async () => {
    const held = [await slowDelivery(), await slowDelivery()];
    await new Promise((resolve) => setTimeout(resolve, 200));
    const commentId = `1_${randomUUID().slice(0, 8)}`;
    const payload = feedCommentPayload({ postId: `${FAKE_CREDENTIALS.meta.pageIds[0]}_1`, commentId, text: 'When is the pharmacy open?' });
    const refused = await sender.send(payload);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ error: 'busy', message: '2 deliveries in progress; retry shortly' });
    expect((await db.query(`SELECT 1 FROM inbound_item WHERE external_id = $1`, [commentId])).rowCount).toBe(0);
    expect(ingest.output()).toContain('webhook deliveries refused with 503');

    // The held deliveries complete (the cap counts them, it does not break them) ...
    for (const h of held) expect(await h.finish()).toMatch(/^HTTP\/1\.1 401 /); // signed nothing: refused by signature, after the cap let them in
    // ... and the sender's retry is taken.
    const retried = await sender.send(payload);
    expect(retried.status).toBe(200);
    expect((await db.query(`SELECT 1 FROM inbound_item WHERE external_id = $1`, [commentId])).rowCount).toBe(1);
  });
});
