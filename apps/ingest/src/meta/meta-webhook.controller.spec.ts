import { jest } from '@jest/globals';
import { Logger, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import type { InboundEvent } from '@desk/domain';
import { InboundService, type ApplyOutcome } from '../inbound.service.js';
import { INGEST_SETTINGS } from '../tokens.js';
import { rawBody } from '../webhooks/raw-body.middleware.js';
import { MetaWebhookController } from './meta-webhook.controller.js';

const appSecret = 'unit-app-secret';
const settings = { meta: { driver: 'fake', appSecret, verifyToken: 'unit-verify-token', pageIds: ['111'] } };
const sign = (body: string) => `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
const body = JSON.stringify({
  object: 'page',
  entry: [{ id: '111', time: 1767261600, changes: [{ field: 'feed', value: { item: 'comment', verb: 'add', comment_id: '5_7', post_id: '111_5', from: { id: '42', name: 'P' }, created_time: 1767261600, message: 'my private story' } }] }],
});

describe('MetaWebhookController', () => {
  let app: INestApplication;
  const apply = jest.fn<(events: InboundEvent[]) => Promise<ApplyOutcome[]>>();
  const logged: string[] = [];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [MetaWebhookController],
      providers: [
        { provide: INGEST_SETTINGS, useValue: settings },
        { provide: InboundService, useValue: { apply } },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
    app.use('/webhooks', rawBody(16 * 1024));
    await app.init();
  });

  afterAll(() => app.close());

  beforeEach(() => {
    apply.mockReset();
    logged.length = 0;
    for (const level of ['log', 'warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((message: unknown) => void logged.push(String(message)));
    }
  });

  afterEach(() => jest.restoreAllMocks());

  it('hands the parsed events, read with our page ids, to the inbound service and answers 200 with a summary', async () => {
    apply.mockResolvedValue([{ event: 'message', itemId: 'i1', created: true, queued: true }]);
    const res = await request(app.getHttpServer()).post('/webhooks/meta').set('x-hub-signature-256', sign(body)).send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: 1, stored: 1, ignored: 0 });
    expect(apply).toHaveBeenCalledTimes(1);
    expect(apply.mock.calls[0]![0]).toMatchObject([{ type: 'message', message: { externalId: '5_7', author: { externalId: '42' } } }]);
  });

  it('answers only once the store has finished', async () => {
    let finish!: (outcomes: ApplyOutcome[]) => void;
    apply.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    let answered = false;
    const pending = request(app.getHttpServer())
      .post('/webhooks/meta')
      .set('x-hub-signature-256', sign(body))
      .send(body)
      .then((res) => {
        answered = true;
        return res;
      });
    await new Promise((r) => setTimeout(r, 150));
    expect(apply).toHaveBeenCalledTimes(1);
    expect(answered).toBe(false);
    finish([{ event: 'message', itemId: 'i1', created: true, queued: true }]);
    expect((await pending).status).toBe(200);
  });

  it('answers 503 when the store fails, so Meta delivers again, and logs no payload text', async () => {
    apply.mockRejectedValue(new Error('connection terminated'));
    const res = await request(app.getHttpServer()).post('/webhooks/meta').set('x-hub-signature-256', sign(body)).send(body);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'unavailable' });
    expect(logged.some((m) => m.includes('connection terminated'))).toBe(true);
    expect(logged.join('\n')).not.toContain('my private story');
  });

  it('never reaches the store with an unsigned, wrongly signed or unreadable body', async () => {
    const server = app.getHttpServer();
    expect((await request(server).post('/webhooks/meta').send(body)).status).toBe(401);
    expect((await request(server).post('/webhooks/meta').set('x-hub-signature-256', sign(`${body} `)).send(body)).status).toBe(401);
    expect((await request(server).post('/webhooks/meta').set('x-hub-signature-256', sign('{oops')).send('{oops')).status).toBe(400);
    expect(apply).not.toHaveBeenCalled();
    expect(logged.join('\n')).not.toContain(appSecret);
  });

  it('answers the handshake only for the right token', async () => {
    const server = app.getHttpServer();
    const ok = await request(server).get('/webhooks/meta').query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'unit-verify-token', 'hub.challenge': '42' });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('42');
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    const refused = await request(server).get('/webhooks/meta').query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '42' });
    expect(refused.status).toBe(403);
    expect(logged.join('\n')).not.toContain('unit-verify-token');
  });
});
