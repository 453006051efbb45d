import type { IncomingHttpHeaders } from 'node:http';
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { OutboundFailure } from '../outbound/ports.js';
import { capBody, describeXError, failureFromXError, judgeXError, type XCallContext } from './outbound-errors.js';
import { comparableXText, sameXText, xWeightedLength } from './outbound-text.js';
import { refuseDmText, refuseReplyText } from './outbound.js';

const now = new Date('2025-03-04T10:00:00Z');
const post: XCallContext = { method: 'POST', subject: 'tweet', now };
const get: XCallContext = { method: 'GET', subject: 'tweet', now };

function answered(status: number, body: unknown, headers: IncomingHttpHeaders = {}, context = post): OutboundFailure {
  const error = new ApiResponseError(`Request failed with code ${status}`, { code: status, headers, data: body as never, request: undefined as never, response: undefined as never });
  return failureFromXError(error, context);
}

function socketError(code: string | undefined, message: string, context = post): OutboundFailure {
  const cause = Object.assign(new Error(message), code ? { code } : {});
  return failureFromXError(new ApiRequestError('Request failed.', { request: undefined as never, error: cause } as never), context);
}

function refusal(run: () => void): OutboundFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof OutboundFailure) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the length X enforces', () => {
  it('counts Latin text one per character, up to and past 280', () => {
    expect(xWeightedLength('a'.repeat(280))).toBe(280);
    expect(() => refuseReplyText('a'.repeat(280))).not.toThrow();
    const failure = refusal(() => refuseReplyText('a'.repeat(281)));
    expect(failure).toMatchObject({ kind: 'permanent', maybeDelivered: false, error: { provider: 'x', message: 'reply is 281 characters; X allows 280' } });
  });

  it('counts an accent once, however it was typed (X counts the NFC form)', () => {
    const decomposed = 'e\u0301'.repeat(280);
    expect([...decomposed].length).toBe(560);
    expect(xWeightedLength(decomposed)).toBe(280);
    expect(() => refuseReplyText(decomposed)).not.toThrow();
    expect(refusal(() => refuseReplyText(`${decomposed}é`)).error.message).toBe('reply is 281 characters; X allows 280');
  });

  it('counts each emoji as two, a family of joined emoji as one emoji', () => {
    expect(xWeightedLength('😀')).toBe(2);
    expect(xWeightedLength('👩‍👩‍👧')).toBe(2);
    expect(xWeightedLength('👍🏽 🇬🇧')).toBe(5);
    expect(() => refuseReplyText('😀'.repeat(140))).not.toThrow();
    // The code-point count says 141; X says 282, and refuses.
    expect([...'😀'.repeat(141)].length).toBe(141);
    expect(refusal(() => refuseReplyText('😀'.repeat(141))).error.message).toBe('reply is 282 characters; X allows 280');
  });

  it('counts CJK as two and curly quotes and dashes as one', () => {
    expect(xWeightedLength('日本語')).toBe(6);
    expect(xWeightedLength('“a” – ‘b’')).toBe(9);
  });

  it('counts every link as 23, with or without a scheme, but not an email address or sentence punctuation', () => {
    const long = `https://www.nhs.uk/conditions/${'x'.repeat(80)}`;
    expect(xWeightedLength(long)).toBe(23);
    expect(xWeightedLength('Visit 111.nhs.uk.')).toBe(6 + 23 + 1);
    expect(xWeightedLength('comms@trust.nhs.uk')).toBe(18);
    expect(xWeightedLength('e.g. 3.5mg')).toBe(10);
    expect(() => refuseReplyText(`${'a'.repeat(256)} ${long}`)).not.toThrow();
    expect(refusal(() => refuseReplyText(`${'a'.repeat(257)} ${long}`)).error.message).toBe('reply is 281 characters; X allows 280');
  });

  it('refuses an empty or blank reply and an over-long DM', () => {
    expect(refusal(() => refuseReplyText('')).error.message).toBe('reply is empty');
    expect(refusal(() => refuseReplyText(' \n ')).kind).toBe('permanent');
    expect(() => refuseDmText('😀'.repeat(10_000))).not.toThrow();
    expect(refusal(() => refuseDmText('a'.repeat(10_001))).error.message).toBe('direct message is 10001 characters; X allows 10,000');
    expect(refusal(() => refuseDmText('')).error.message).toBe('direct message is empty');
  });
});

describe('recognising our own post in what X gives back', () => {
  const ours = 'Thanks for getting in touch. For A&E waits see https://www.nhs.uk/service-search/a-and-e. Call 111 <24h>.';

  it('sees through the reply mention, t.co links, HTML escaping and whitespace', () => {
    const fromX = '@worried_parent @Other_1  Thanks for getting in touch. For A&amp;E waits\nsee https://t.co/AbC123xYz. Call 111 &lt;24h&gt;.';
    expect(sameXText(fromX, ours)).toBe(true);
    expect(comparableXText(fromX)).toBe(comparableXText(ours));
  });

  it('treats a bare host X linked as a link', () => {
    expect(sameXText('@a Visit https://t.co/Zz9. Or ring 111.', 'Visit 111.nhs.uk. Or ring 111.')).toBe(true);
  });

  it('still tells different texts apart', () => {
    expect(sameXText('@a Thanks, we will call you', 'Thanks, we will call you back')).toBe(false);
    expect(sameXText('@a see https://t.co/x and https://t.co/y', 'see https://www.nhs.uk')).toBe(false);
    // A mention inside the text is ours, not X's prefix.
    expect(sameXText('Thanks @bob', 'Thanks')).toBe(false);
    expect(sameXText('A &amp; B', 'A and B')).toBe(false);
  });
});

describe('judging a failed X call', () => {
  const limitHeaders = { 'x-rate-limit-limit': '200', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '1741083000' };

  it('a 429 is rate limited until the reset X gave, with nothing done there', () => {
    const failure = answered(429, 'Rate limit exceeded\n', limitHeaders);
    expect(failure).toMatchObject({ kind: 'rate_limited', maybeDelivered: false, until: new Date(1741083000 * 1000), error: { status: 429 } });
  });

  it('a 429 waits for the 24-hour window when that is the one used up', () => {
    const failure = answered(429, '', { ...limitHeaders, 'x-user-limit-24hour-remaining': '0', 'x-user-limit-24hour-reset': '1741150000' });
    expect(failure.until).toEqual(new Date(1741150000 * 1000));
  });

  it('a 429 without a reset waits a minute; one whose reset has passed still waits a moment', () => {
    expect(answered(429, '', {}).until).toEqual(new Date(now.getTime() + 60_000));
    expect(answered(429, '', { 'x-rate-limit-reset': '1000' }).until).toEqual(new Date(now.getTime() + 1000));
  });

  it('a 401 is permanent and names the credentials, never the payload', () => {
    const body = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' };
    const failure = answered(401, body, { 'x-transaction-id': 'abc123def' });
    expect(failure).toMatchObject({ kind: 'permanent', maybeDelivered: false, error: { provider: 'x', status: 401, code: 'about:blank', traceId: 'abc123def', body } });
    expect(failure.message).toMatch(/^X refused our credentials \(401\)/);
  });

  it('a reply to a deleted tweet is permanent, with X problem kept', () => {
    const body = { detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.', type: 'about:blank', title: 'Forbidden', status: 403 };
    expect(answered(403, body)).toMatchObject({ kind: 'permanent', error: { status: 403, message: 'the tweet was deleted or is not visible to us (403)', body } });
  });

  it('a tweet X cannot find is permanent, worded for what was asked', () => {
    const body = { errors: [{ detail: 'Could not find tweet with id: [1].', title: 'Not Found Error', type: 'https://api.twitter.com/2/problems/resource-not-found' }] };
    expect(answered(404, body, {}, { ...post, method: 'PUT' })).toMatchObject({
      kind: 'permanent',
      error: { code: 'https://api.twitter.com/2/problems/resource-not-found', message: 'the tweet was deleted or is not visible to us (404)' },
    });
    expect(answered(400, body).error.message).toBe('the tweet was deleted or is not visible to us (400)');
    expect(answered(404, body, {}, { ...post, subject: 'dm' }).error.message).toBe('X could not find that account or conversation (404): Could not find tweet with id: [1].');
  });

  it('duplicate content, restricted replies and other refusals are permanent with their own words', () => {
    const forbidden = (detail: string) => ({ detail, type: 'about:blank', title: 'Forbidden', status: 403 });
    expect(answered(403, forbidden('You are not allowed to create a Tweet with duplicate content.')).error.message).toBe('X refused the post as a duplicate of one we already made (403)');
    expect(answered(403, forbidden('Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.')).error.message).toBe(
      'the author restricted who can reply (403)',
    );
    const client = { title: 'Client Forbidden', detail: 'This request must be made using an approved developer account.', reason: 'client-not-enrolled', type: 'https://api.twitter.com/2/problems/client-forbidden' };
    expect(answered(403, client)).toMatchObject({
      kind: 'permanent',
      error: { code: 'https://api.twitter.com/2/problems/client-forbidden', message: 'X forbade this (403): This request must be made using an approved developer account.' },
    });
    const invalid = { errors: [{ parameters: { text: ['x'] }, message: 'bad' }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' };
    expect(answered(400, invalid)).toMatchObject({ kind: 'permanent', error: { code: 'https://api.twitter.com/2/problems/invalid-request', message: 'X refused the request as invalid (400): One or more parameters to your request was invalid.' } });
    expect(answered(409, {}).kind).toBe('permanent');
  });

  it('a refusal on the last request of a window also asks us to slow down', () => {
    expect(answered(403, {}, limitHeaders).slowDownUntil).toEqual(new Date(1741083000 * 1000));
    expect(answered(403, {}, { ...limitHeaders, 'x-rate-limit-remaining': '3' }).slowDownUntil).toBeUndefined();
  });

  it('a 5xx is transient, and may have been acted on only when it was a POST', () => {
    expect(answered(503, { title: 'Service Unavailable' }, { 'x-transaction-id': 'f00' })).toMatchObject({ kind: 'transient', maybeDelivered: true, error: { status: 503, traceId: 'f00' } });
    expect(answered(500, {}, {}, get)).toMatchObject({ kind: 'transient', maybeDelivered: false });
    expect(answered(502, {}, {}, { ...post, method: 'PUT' }).maybeDelivered).toBe(false);
  });

  it('a request that never left is transient and not delivered', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']) {
      expect(socketError(code, `connect ${code} 127.0.0.1:4469`)).toMatchObject({ kind: 'transient', maybeDelivered: false, error: { code, message: `X could not be reached (${code})` } });
    }
  });

  it('a timeout or a reset connection may have delivered a POST', () => {
    expect(socketError(undefined, 'Request timeout.')).toMatchObject({ kind: 'transient', maybeDelivered: true, error: { code: 'timeout', message: 'X did not answer in time' } });
    expect(socketError('ECONNRESET', 'socket hang up')).toMatchObject({ kind: 'transient', maybeDelivered: true });
    expect(socketError('ECONNRESET', 'socket hang up', get).maybeDelivered).toBe(false);
    const partial = new ApiPartialResponseError('cut', { request: undefined as never, response: { statusCode: 201, headers: {} } as never, responseError: new Error('aborted'), rawContent: '{"da' });
    expect(describeXError(partial)).toEqual({ kind: 'partial', status: 201, headers: {} });
    expect(judgeXError(describeXError(partial), post)).toMatchObject({ kind: 'transient', maybeDelivered: true });
  });

  it('keeps X body whole when small, its problem fields when large, and never more than 4 KB', () => {
    const big = { title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request', errors: [{ message: 'x'.repeat(10_000) }] };
    const capped = capBody(big);
    expect(capped).toEqual({ title: big.title, detail: big.detail, type: big.type, truncated: true });
    const text = capBody('é'.repeat(5000)) as string;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
    expect(text.length).toBe(2048);
    expect(capBody({ detail: 'a\u0000b' })).toEqual({ detail: 'a\uFFFDb' });
    expect(Buffer.byteLength(JSON.stringify(answered(400, big).error.body))).toBeLessThanOrEqual(4096);
  });
});
