import { createHmac } from 'node:crypto';
import { OutboundFailure } from '../outbound/ports.js';
import { appSecretProof, GraphOutboundClient, MAX_FIND_PAGES, normaliseText } from './outbound.js';

/** What the client sent, with a scripted answer per call; no network. */
interface Call {
  url: URL;
  method: string;
  headers: Headers;
  form?: URLSearchParams;
}

const BASE = 'https://graph.example.test/v21.0';
const PAGE = '1234567890';
const IG = '17841400000000000';
const TOKENS = { [PAGE]: 'page-token-abcdef', [IG]: 'ig-token-abcdef' };

let calls: Call[] = [];
let answers: Array<() => Response> = [];
const realFetch = globalThis.fetch;

beforeEach(() => {
  calls = [];
  answers = [];
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const body = init?.body;
    calls.push({
      url: new URL(String(input)),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      form: body instanceof URLSearchParams ? new URLSearchParams(body) : undefined,
    });
    const next = answers.shift();
    if (!next) throw new Error('no answer scripted');
    return next();
  }) as typeof fetch;
});

afterAll(() => {
  globalThis.fetch = realFetch;
});

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function client(appSecret?: string) {
  return new GraphOutboundClient({ baseUrl: BASE, pageTokens: TOKENS, ...(appSecret ? { appSecret } : {}) });
}

async function failureOf(promise: Promise<unknown>): Promise<OutboundFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OutboundFailure) return error;
    throw error;
  }
  throw new Error('expected an OutboundFailure');
}

describe('refusals before any call', () => {
  it('an account with no token is permanent and names the account, not a token', async () => {
    const f = await failureOf(client().reply('facebook', '999', '555_777', 'Hello'));
    expect(f.kind).toBe('permanent');
    expect(f.error.provider).toBe('local');
    expect(f.message).toContain('999');
    for (const token of Object.values(TOKENS)) expect(f.message).not.toContain(token);
    expect(calls).toHaveLength(0);
  });

  it('an inherited property name is not an account', async () => {
    const f = await failureOf(client().hide('facebook', 'constructor', '555_777', true));
    expect(f.kind).toBe('permanent');
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['facebook', 8001],
    ['instagram', 2201],
  ] as const)('%s refuses %i characters', async (network, length) => {
    const f = await failureOf(client().reply(network, network === 'facebook' ? PAGE : IG, '555_777', 'a'.repeat(length)));
    expect(f.kind).toBe('permanent');
    expect(f.message).toContain(String(length - 1));
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['facebook', 8000],
    ['instagram', 2200],
  ] as const)('%s accepts exactly %i characters, counting an emoji as one', async (network, length) => {
    answers.push(json({ id: '555_1' }));
    const sent = await client().reply(network, network === 'facebook' ? PAGE : IG, '555_777', '😀'.repeat(length));
    expect(sent.providerId).toBe('555_1');
    expect(calls).toHaveLength(1);
  });

  it('refuses an empty reply and a comment id that would change the path', async () => {
    expect((await failureOf(client().reply('facebook', PAGE, '555_777', ' \n '))).kind).toBe('permanent');
    expect((await failureOf(client().reply('facebook', PAGE, '../me', 'Hi'))).kind).toBe('permanent');
    expect((await failureOf(client().findReply('instagram', IG, '1/replies?x=', 'Hi'))).kind).toBe('permanent');
    expect(calls).toHaveLength(0);
  });
});

describe('how calls are made', () => {
  it('a reply posts the message and token in the form body, never in the URL, with appsecret_proof', async () => {
    answers.push(json({ id: '555_1' }, 200, { 'x-app-usage': '{"call_count":10,"total_cputime":1,"total_time":1}' }));
    const sent = await client('app-secret').reply('facebook', PAGE, '555_777', 'Thank you');
    const [call] = calls;
    expect(call!.method).toBe('POST');
    expect(call!.url.href).toBe(`${BASE}/555_777/comments`);
    expect(call!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(call!.form!)).toEqual({
      message: 'Thank you',
      access_token: TOKENS[PAGE],
      appsecret_proof: createHmac('sha256', 'app-secret').update(TOKENS[PAGE]!).digest('hex'),
    });
    expect(sent).toMatchObject({ providerId: '555_1', response: { id: '555_1' } });
    expect(sent.slowDownUntil).toBeUndefined();
  });

  it('a read sends the token in the Authorization header and only the proof in the URL', async () => {
    answers.push(json({ data: [] }));
    await client('app-secret').findReply('instagram', IG, '1790', 'Hi');
    const [call] = calls;
    expect(call!.method).toBe('GET');
    expect(call!.headers.get('authorization')).toBe(`Bearer ${TOKENS[IG]}`);
    expect(call!.url.href).not.toContain(TOKENS[IG]);
    expect(call!.url.pathname).toBe('/v21.0/1790/replies');
    expect(Object.fromEntries(call!.url.searchParams)).toEqual({ fields: 'id,text,from,username,timestamp', appsecret_proof: appSecretProof(TOKENS[IG]!, 'app-secret') });
  });

  it('a 2xx reply without an id may still have created one', async () => {
    answers.push(json({ ok: true }));
    const f = await failureOf(client().reply('instagram', IG, '1790', 'Hi'));
    expect(f).toMatchObject({ kind: 'transient', maybeDelivered: true });
  });

  it('a hide Graph does not confirm is not reported as done', async () => {
    answers.push(json({ success: false }));
    expect((await failureOf(client().hide('facebook', PAGE, '555_777', true))).kind).toBe('transient');
  });

  it('a token Graph echoes in an error body is not kept', async () => {
    answers.push(json({ error: { message: `bad token ${TOKENS[PAGE]}`, code: 190, fbtrace_id: 'T' } }, 400));
    const f = await failureOf(client().hide('facebook', PAGE, '555_777', true));
    expect(JSON.stringify(f.error)).not.toContain(TOKENS[PAGE]);
    expect(f.error.message).toBe('Graph error 190: bad token [token]');
  });

  it('after close, nothing is sent', async () => {
    const c = client();
    c.close();
    const f = await failureOf(c.reply('facebook', PAGE, '555_777', 'Hi'));
    expect(f).toMatchObject({ kind: 'transient', maybeDelivered: false });
    expect(calls).toHaveLength(0);
  });
});

describe('findReply paging', () => {
  const mine = (id: string, message: string) => ({ id, message, from: { id: PAGE, name: 'Trust' } });

  it('follows paging.next on Graph without the token it repeats, and finds ours on a later page', async () => {
    answers.push(json({ data: [mine('555_1', 'Other text')], paging: { next: `${BASE}/555_777/comments?access_token=${TOKENS[PAGE]}&after=CUR1&limit=100` } }));
    answers.push(json({ data: [mine('555_2', '  Thank\n you ')] }));
    expect(await client().findReply('facebook', PAGE, '555_777', 'Thank you')).toBe('555_2');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.url.searchParams.get('after')).toBe('CUR1');
    expect(calls[1]!.url.searchParams.has('access_token')).toBe(false);
    expect(calls[1]!.headers.get('authorization')).toBe(`Bearer ${TOKENS[PAGE]}`);
  });

  it('never follows a next page on another origin', async () => {
    answers.push(json({ data: [], paging: { next: 'https://evil.example/555_777/comments?after=X' } }));
    expect(await client().findReply('facebook', PAGE, '555_777', 'Thank you')).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it(`stops after ${MAX_FIND_PAGES} pages`, async () => {
    for (let i = 0; i < MAX_FIND_PAGES + 2; i++) answers.push(json({ data: [], paging: { next: `${BASE}/555_777/comments?after=C${i}` } }));
    expect(await client().findReply('facebook', PAGE, '555_777', 'Thank you')).toBeUndefined();
    expect(calls).toHaveLength(MAX_FIND_PAGES);
  });

  it('ignores the same text from someone else', async () => {
    answers.push(json({ data: [{ id: '555_9', message: 'Thank you', from: { id: '4242' } }] }));
    expect(await client().findReply('facebook', PAGE, '555_777', 'Thank you')).toBeUndefined();
  });
});

describe('normaliseText', () => {
  it('collapses whitespace and composes accents', () => {
    expect(normaliseText(' Cafe\u0301 \n\t open ')).toBe('Café open');
  });
});
