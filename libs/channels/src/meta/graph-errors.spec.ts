import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OutboundFailure } from '../outbound/ports.js';
import { classifyGraphError, graphAnswerFailure, graphNetworkFailure, keptBody, MAX_KEPT_BODY_BYTES, readGraphError, type GraphAnswer } from './graph-errors.js';

/** Meta's published payloads, kept beside the repository (../shared/fixtures/meta). */
const FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'meta');
const fixtureText = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

const now = new Date('2026-03-02T10:00:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

function failure(status: number, text: string, headers: Record<string, string> = {}, write = true): OutboundFailure {
  const answer: GraphAnswer = { status, text, headers };
  return graphAnswerFailure(answer, { write, now });
}

function graphBody(error: Record<string, unknown>): string {
  return JSON.stringify({ error: { message: 'Some message', type: 'OAuthException', fbtrace_id: 'Atrace', ...error } });
}

/** The first exchange of the published batch answer: a real 400 with its real headers. */
function batchFirst(): { status: number; headers: Record<string, string>; text: string } {
  const [first] = JSON.parse(fixtureText('batch__batch-first-error.json')) as Array<{ code: number; headers: Array<{ name: string; value: string }>; body: string }>;
  return { status: first!.code, headers: Object.fromEntries(first!.headers.map((h) => [h.name, h.value])), text: first!.body };
}

describe('readGraphError', () => {
  it('reads every field of the current error shape', () => {
    expect(readGraphError(fixtureText('exampleErrorNew.json'))).toEqual({
      message: 'Message describing the error',
      type: 'OAuthException',
      code: 190,
      subcode: 460,
      isTransient: undefined,
      userTitle: 'A title',
      userMessage: 'A message',
      traceId: 'EJplcsCHuLu',
    });
  });

  it('reads is_transient when Graph sends it', () => {
    expect(readGraphError(fixtureText('Issue1095.json'))).toMatchObject({ code: 1, subcode: 1446036, isTransient: false, traceId: 'AXNSTEPpjX5zEG-g80nQydI' });
  });

  it('is undefined for bodies that are not Graph errors', () => {
    expect(readGraphError(fixtureText('exampleOauthError.json'))).toBeUndefined();
    expect(readGraphError('<html>Bad gateway</html>')).toBeUndefined();
    expect(readGraphError('')).toBeUndefined();
    expect(readGraphError({ error: 'nope' })).toBeUndefined();
  });
});

describe('graphAnswerFailure against the published bodies', () => {
  it('an invalid token (190/460) is permanent, with the trace id, codes and body kept', () => {
    const text = fixtureText('exampleErrorNew.json');
    const f = failure(400, text);
    expect(f).toBeInstanceOf(OutboundFailure);
    expect(f.kind).toBe('permanent');
    expect(f.maybeDelivered).toBe(false);
    expect(f.error).toEqual({
      provider: 'graph',
      status: 400,
      code: 190,
      subcode: 460,
      traceId: 'EJplcsCHuLu',
      message: 'Graph error 190/460: Message describing the error',
      body: JSON.parse(text),
    });
    expect(f.message).toBe('Graph error 190/460: Message describing the error');
  });

  it('a missing object in the batch answer (100, "does not exist") is permanent, with no pacing at 2% usage', () => {
    const { status, headers, text } = batchFirst();
    const f = failure(status, text, headers);
    expect(f.kind).toBe('permanent');
    expect(f.error).toMatchObject({ status: 400, code: 100, traceId: 'AjPj2sQoTXX' });
    expect(f.error.subcode).toBeUndefined();
    expect(f.error.message).toMatch(/^Graph error 100: Unsupported get request\. Object with ID '2' does not exist/);
    expect(f.slowDownUntil).toBeUndefined();
  });

  it.each(['Issue1095.json', 'oauthExampleError.json'])(
    '%s: an "unknown error" Graph marks not transient and explains to the user is permanent, even on a 500',
    (name) => {
      const f = failure(500, fixtureText(name));
      expect(f.kind).toBe('permanent');
      expect(f.error.code).toBe(1);
      expect(f.error.traceId).toBe((JSON.parse(fixtureText(name)) as { error: { fbtrace_id: string } }).error.fbtrace_id);
    },
  );

  it('an unknown Instagram path (2500) is permanent', () => {
    const f = failure(400, fixtureText('instagram__ig_login_exception.json'));
    expect(f.kind).toBe('permanent');
    expect(f.error).toMatchObject({ code: 2500, traceId: 'A7OjVVCXwSdfpIERKqntSKo', message: 'Graph error 2500: Unknown path components: /impressions/day' });
  });
});

describe('classifyGraphError', () => {
  it.each([4, 17, 32, 613, 80001, 80004, 80014])('code %i is a rate limit', (code) => {
    expect(classifyGraphError(400, { code })).toBe('rate_limited');
  });

  it.each([
    ['an expired token', { code: 190, subcode: 463 }],
    ['a missing permission', { code: 10 }],
    ['a missing permission (200 range)', { code: 200 }],
    ['a missing permission (299)', { code: 299 }],
    ['a deleted comment', { code: 100, subcode: 33 }],
    ['a policy block', { code: 368 }],
  ])('%s is permanent even if Graph answered 500', (_label, error) => {
    expect(classifyGraphError(500, error)).toBe('permanent');
  });

  it.each([
    ['is_transient', 400, { code: 9999, isTransient: true }],
    ['an unknown error', 500, { code: 1 }],
    ['an unknown error without a user explanation, even if marked not transient', 400, { code: 1, isTransient: false }],
    ['service unavailable', 503, { code: 2, isTransient: true }],
    ['a 5xx with no Graph body', 502, undefined],
  ])('%s is transient', (_label, status, error) => {
    expect(classifyGraphError(status, error)).toBe('transient');
  });

  it('keeps codes out of their ranges', () => {
    expect(classifyGraphError(400, { code: 80015 })).toBe('permanent');
    expect(classifyGraphError(500, { code: 80015 })).toBe('transient');
    expect(classifyGraphError(500, { code: 300 })).toBe('transient');
    expect(classifyGraphError(500, { code: 100, subcode: 1 })).toBe('transient');
  });

  it('an HTTP 429 without a Graph code is a rate limit; another 4xx is permanent', () => {
    expect(classifyGraphError(429, undefined)).toBe('rate_limited');
    expect(classifyGraphError(400, { code: 100 })).toBe('permanent');
  });
});

describe('rate limits', () => {
  it('wait for the estimated time to regain access from X-Business-Use-Case-Usage', () => {
    const headers = { 'X-Business-Use-Case-Usage': JSON.stringify({ '1234567890': [{ type: 'pages', call_count: 100, total_cputime: 20, total_time: 30, estimated_time_to_regain_access: 12 }] }) };
    const f = failure(400, graphBody({ code: 32, message: '(#32) Page request limit reached' }), headers);
    expect(f.kind).toBe('rate_limited');
    expect(f.maybeDelivered).toBe(false);
    expect(f.until).toEqual(minutes(12));
    expect(f.error.message).toBe('Graph error 32: (#32) Page request limit reached');
  });

  it('wait five minutes when Graph gives no estimate', () => {
    const f = failure(400, graphBody({ code: 4 }), { 'X-App-Usage': '{"call_count":100,"total_cputime":1,"total_time":1}' });
    expect(f.until).toEqual(minutes(5));
    expect(f.slowDownUntil).toEqual(new Date(now.getTime() + 60_000));
  });

  it('honour Retry-After on a bare 429', () => {
    const f = failure(429, 'Too many', { 'retry-after': '90' });
    expect(f.kind).toBe('rate_limited');
    expect(f.until).toEqual(new Date(now.getTime() + 90_000));
  });
});

describe('transient answers', () => {
  it('a 500 to a write may have been acted on; to a read it has not', () => {
    expect(failure(500, graphBody({ code: 2, isTransient: true }), {}, true)).toMatchObject({ kind: 'transient', maybeDelivered: true });
    expect(failure(500, graphBody({ code: 2 }), {}, false)).toMatchObject({ kind: 'transient', maybeDelivered: false });
  });

  it('a non-JSON body gives a one-line message with the status and keeps the text', () => {
    const f = failure(502, '<html>\n<body>Bad\n gateway</body></html>');
    expect(f.error.message).toBe('Graph answered HTTP 502: <html> <body>Bad gateway</body></html>');
    expect(f.error.body).toBe('<html>\n<body>Bad\n gateway</body></html>');
    expect(f.error.code).toBeUndefined();
  });

  it('caps a long Graph message to one line', () => {
    const f = failure(400, graphBody({ code: 100, message: `line one\nline two ${'x'.repeat(1000)}` }));
    expect(f.error.message).not.toContain('\n');
    expect([...f.error.message].length).toBe(300);
    expect(f.error.message.startsWith('Graph error 100: line one line two x')).toBe(true);
  });
});

describe('keptBody', () => {
  it('keeps a small body parsed and cuts a large one to 4 KB of text', () => {
    expect(keptBody('{"a":1}')).toEqual({ a: 1 });
    const big = JSON.stringify({ error: { message: 'é'.repeat(5000) } });
    const kept = keptBody(big);
    expect(typeof kept).toBe('string');
    expect(Buffer.byteLength(kept as string)).toBeLessThanOrEqual(MAX_KEPT_BODY_BYTES);
    expect(Buffer.byteLength(kept as string)).toBeGreaterThan(MAX_KEPT_BODY_BYTES - 4);
    expect(kept as string).not.toContain('\uFFFD');
  });
});

describe('graphNetworkFailure', () => {
  const fetchFailed = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code }) });

  it.each(['ECONNREFUSED', 'ENOTFOUND'])('%s means nothing was sent, even for a write', (code) => {
    const f = graphNetworkFailure(fetchFailed(code), { write: true });
    expect(f.kind).toBe('transient');
    expect(f.maybeDelivered).toBe(false);
    expect(f.error.message).toBe(`Graph unreachable: ${code}`);
  });

  it('a refused multi-address connect is still not sent', () => {
    const cause = Object.assign(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' }), Object.assign(new Error('b'), { code: 'ECONNREFUSED' })]), { code: 'ECONNREFUSED' });
    expect(graphNetworkFailure(Object.assign(new TypeError('fetch failed'), { cause }), { write: true }).maybeDelivered).toBe(false);
  });

  it('a reset or a timeout after sending a write may have been delivered', () => {
    expect(graphNetworkFailure(fetchFailed('ECONNRESET'), { write: true })).toMatchObject({ kind: 'transient', maybeDelivered: true });
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const f = graphNetworkFailure(timeout, { write: true, timeoutMs: 1500 });
    expect(f).toMatchObject({ kind: 'transient', maybeDelivered: true });
    expect(f.error.message).toBe('Graph did not answer within 1500 ms');
  });

  it('a read that failed delivered nothing', () => {
    expect(graphNetworkFailure(fetchFailed('ECONNRESET'), { write: false }).maybeDelivered).toBe(false);
  });
});
