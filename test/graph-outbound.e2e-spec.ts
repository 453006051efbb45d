import { createHmac } from 'node:crypto';
import { meta, type GraphNetwork, OutboundFailure } from '@desk/channels';
import { FakeGraphApi } from './fakes/graph-api.js';

const PORT = 4470;
const CLOSED_PORT = 4479;
const PAGE = '1234567890';
const IG = '17841400000000000';
const TOKENS = { [PAGE]: 'fb-page-token-for-tests', [IG]: 'ig-page-token-for-tests' };
const APP_SECRET = 'graph-app-secret-for-tests';
const FB_COMMENT = '555_777';
const IG_COMMENT = '17900000000000001';
const PUBLIC = '4242';

let fake: FakeGraphApi;
let graph: meta.GraphOutboundClient;

function client(overrides: Partial<meta.GraphOutboundSettings> = {}): meta.GraphOutboundClient {
  return new meta.GraphOutboundClient({ baseUrl: fake.url, pageTokens: TOKENS, appSecret: APP_SECRET, timeoutMs: 5_000, ...overrides });
}

const account = (network: GraphNetwork) => (network === 'facebook' ? PAGE : IG);
const commentOf = (network: GraphNetwork) => (network === 'facebook' ? FB_COMMENT : IG_COMMENT);

beforeAll(async () => {
  fake = await FakeGraphApi.start(PORT, { tokens: TOKENS, appSecret: APP_SECRET });
});

afterAll(async () => {
  await fake?.close();
});

beforeEach(() => {
  fake.reset();
  fake.addComment('facebook', { id: FB_COMMENT, accountId: PAGE, message: 'How do I book a flu jab?', fromId: PUBLIC });
  fake.addComment('instagram', { id: IG_COMMENT, accountId: IG, message: 'Where is the car park?', fromId: PUBLIC });
  graph = client();
});

afterEach(() => {
  graph.close();
});

async function failureOf(promise: Promise<unknown>): Promise<OutboundFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OutboundFailure) return error;
    throw error;
  }
  throw new Error('expected an OutboundFailure');
}

function expectNear(actual: Date | undefined, expectedMs: number, toleranceMs = 3_000): void {
  expect(actual).toBeInstanceOf(Date);
  expect(Math.abs(actual!.getTime() - expectedMs)).toBeLessThan(toleranceMs);
}

describe('reply', () => {
  it.each([
    ['facebook', '/555_777/comments', /^555_\d+$/],
    ['instagram', `/${IG_COMMENT}/replies`, /^\d+$/],
  ] as const)('%s: one reply on %s, with the message and the Page token in the body', async (network, path, idShape) => {
    const sent = await graph.reply(network, account(network), commentOf(network), 'Please call 0300 123 4567.');

    expect(sent.providerId).toMatch(idShape);
    expect(fake.replies).toEqual([{ id: sent.providerId, network, parentId: commentOf(network), message: 'Please call 0300 123 4567.', fromId: account(network), createdAt: expect.any(Date) }]);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: 'POST', path, version: 'v21.0', status: 200, tokenIn: 'body', token: TOKENS[account(network)], account: account(network) });
    expect(request!.body.message).toBe('Please call 0300 123 4567.');
    expect(request!.query).toEqual({});
    expect(request!.appsecretProof).toBe(createHmac('sha256', APP_SECRET).update(TOKENS[account(network)]!).digest('hex'));
    expect(sent.slowDownUntil).toBeUndefined();
  });

  it('an account with no token is refused before any call, naming the account', async () => {
    const f = await failureOf(graph.reply('facebook', '999', FB_COMMENT, 'Hello'));
    expect(f.kind).toBe('permanent');
    expect(f.message).toContain('999');
    expect(fake.requests).toHaveLength(0);
  });

  it('text over the network limit is refused before any call', async () => {
    const f = await failureOf(graph.reply('instagram', IG, IG_COMMENT, 'x'.repeat(2201)));
    expect(f.kind).toBe('permanent');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('findReply', () => {
  it.each(['facebook', 'instagram'] as const)('%s: finds ours, not someone else\'s with the same text, nor before posting', async (network) => {
    const text = 'Thank you, we have passed this on.';
    fake.addComment(network, { id: network === 'facebook' ? '555_900' : '17900000000000900', accountId: account(network), message: text, fromId: PUBLIC, parentId: commentOf(network) });

    expect(await graph.findReply(network, account(network), commentOf(network), text)).toBeUndefined();

    const sent = await graph.reply(network, account(network), commentOf(network), text);
    expect(await graph.findReply(network, account(network), commentOf(network), `  Thank you,\n we have passed this on. `)).toBe(sent.providerId);
    expect(await graph.findReply(network, account(network), commentOf(network), 'Another text')).toBeUndefined();

    const reads = fake.requests.filter((r) => r.method === 'GET');
    expect(reads.length).toBeGreaterThanOrEqual(3);
    for (const read of reads) {
      expect(read).toMatchObject({ status: 200, tokenIn: 'header', account: account(network) });
      expect(read.query.access_token).toBeUndefined();
    }
  });

  it('follows pages, without putting the token the next link carries back into the URL', async () => {
    fake.pageSize = 2;
    for (let i = 0; i < 5; i++) fake.addComment('instagram', { id: `1790000000000100${i}`, accountId: IG, message: `Other ${i}`, fromId: PUBLIC, parentId: IG_COMMENT, createdAt: new Date(Date.now() - 60_000 + i) });
    const sent = await graph.reply('instagram', IG, IG_COMMENT, 'Ours');

    expect(await graph.findReply('instagram', IG, IG_COMMENT, 'Ours')).toBe(sent.providerId);
    const reads = fake.requests.filter((r) => r.method === 'GET');
    expect(reads).toHaveLength(3);
    expect(reads.every((r) => r.query.access_token === undefined && r.tokenIn === 'header')).toBe(true);
    expect(reads[0]!.query.fields).toBe('id,text,from,username,timestamp');
  });
});

describe('hide', () => {
  it.each([
    ['facebook', 'is_hidden'],
    ['instagram', 'hide'],
  ] as const)('%s: sets hidden with %s, and unhides', async (network, param) => {
    const id = commentOf(network);
    const sent = await graph.hide(network, account(network), id, true);
    expect(sent).toMatchObject({ providerId: id, response: { success: true, hidden: true } });
    expect(fake.hidden.get(id)).toBe(true);

    await graph.hide(network, account(network), id, false);
    expect(fake.hidden.get(id)).toBe(false);
    expect(fake.requests.map((r) => [r.method, r.path, r.body[param]])).toEqual([
      ['POST', `/${id}`, 'true'],
      ['POST', `/${id}`, 'false'],
    ]);
  });
});

describe('failures', () => {
  it('a wrong token is permanent, with code 190 and the fbtrace_id kept', async () => {
    const wrong = client({ pageTokens: { ...TOKENS, [PAGE]: 'not-the-page-token' } });
    const f = await failureOf(wrong.reply('facebook', PAGE, FB_COMMENT, 'Hello'));
    wrong.close();

    expect(f.kind).toBe('permanent');
    expect(f.error).toMatchObject({ provider: 'graph', status: 400, code: 190 });
    expect(f.error.traceId).toMatch(/^[\w-]{6,}$/);
    expect((f.error.body as { error: { fbtrace_id: string; type: string } }).error).toMatchObject({ fbtrace_id: f.error.traceId, type: 'OAuthException' });
    expect(f.message).toMatch(/^Graph error 190: /);
    expect(f.message).not.toContain('not-the-page-token');
    expect(fake.replies).toHaveLength(0);
  });

  it('a wrong app secret is refused by Graph (the proof is checked)', async () => {
    const wrong = client({ appSecret: 'another-secret' });
    const f = await failureOf(wrong.hide('facebook', PAGE, FB_COMMENT, true));
    wrong.close();
    expect(f).toMatchObject({ kind: 'permanent', error: { code: 100 } });
    expect(f.message).toContain('appsecret_proof');
    expect(fake.hidden.size).toBe(0);
  });

  it('a deleted comment is permanent with 100/33', async () => {
    fake.deleteComment(FB_COMMENT);
    const f = await failureOf(graph.reply('facebook', PAGE, FB_COMMENT, 'Hello'));
    expect(f.kind).toBe('permanent');
    expect(f.error).toMatchObject({ status: 400, code: 100, subcode: 33 });
    expect(f.message).toContain(`Object with ID '${FB_COMMENT}' does not exist`);
  });

  it('rate limit code 4 waits for the estimated time to regain access, and nothing was posted', async () => {
    fake.limitNext({ times: 1, code: 4, regainMinutes: 10 });
    const before = Date.now();
    const f = await failureOf(graph.reply('facebook', PAGE, FB_COMMENT, 'Hello'));

    expect(f.kind).toBe('rate_limited');
    expect(f.maybeDelivered).toBe(false);
    expect(f.error.code).toBe(4);
    expectNear(f.until, before + 10 * 60_000);
    expect(fake.replies).toHaveLength(0);

    await expect(graph.reply('facebook', PAGE, FB_COMMENT, 'Hello')).resolves.toMatchObject({ providerId: expect.stringMatching(/^555_/) });
  });

  it('usage at 85% asks the caller to slow down', async () => {
    fake.usage = { app: { call_count: 85, total_cputime: 10, total_time: 10 } };
    const before = Date.now();
    const sent = await graph.reply('instagram', IG, IG_COMMENT, 'Hello');
    expectNear(sent.slowDownUntil, before + 30_000);
  });

  it('a 500 after a reply may have been delivered; reconciliation finds it', async () => {
    fake.failNext(500, undefined, { afterAction: true });
    const f = await failureOf(graph.reply('facebook', PAGE, FB_COMMENT, 'Hello there'));
    expect(f).toMatchObject({ kind: 'transient', maybeDelivered: true, error: { status: 500, code: 2 } });

    expect(await graph.findReply('facebook', PAGE, FB_COMMENT, 'Hello there')).toBe(fake.replies[0]!.id);
  });

  it('a timeout after Graph accepted the reply may have been delivered', async () => {
    fake.responseDelayMs = 1_000;
    const hasty = client({ timeoutMs: 200 });
    const f = await failureOf(hasty.reply('instagram', IG, IG_COMMENT, 'Hello'));
    hasty.close();
    expect(f).toMatchObject({ kind: 'transient', maybeDelivered: true });
    expect(fake.replies).toHaveLength(1);
  });

  it('a closed port is transient and was not delivered', async () => {
    const nowhere = client({ baseUrl: `http://127.0.0.1:${CLOSED_PORT}/v21.0` });
    const f = await failureOf(nowhere.reply('facebook', PAGE, FB_COMMENT, 'Hello'));
    nowhere.close();
    expect(f).toMatchObject({ kind: 'transient', maybeDelivered: false });
    expect(f.message).toBe('Graph unreachable: ECONNREFUSED');
  });
});

describe('crash window', () => {
  it('onAccepted runs after the reply is recorded and before the caller hears; held answers wait for release', async () => {
    const seen: string[] = [];
    fake.onAccepted = (reply) => seen.push(`${reply.id}:${fake.replies.length}`);
    fake.holdResponses = true;
    let settled = false;
    const pending = graph.reply('facebook', PAGE, FB_COMMENT, 'Hello').finally(() => (settled = true));

    while (fake.replies.length === 0) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    expect(seen).toEqual([`${fake.replies[0]!.id}:1`]);

    fake.releaseResponses();
    await expect(pending).resolves.toMatchObject({ providerId: fake.replies[0]!.id });
  });
});
