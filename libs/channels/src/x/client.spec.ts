import type { IncomingHttpHeaders } from 'node:http';
import { ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { asXError, baseUrlPlugin, rateLimitReset, XApiFailure, XRateLimited } from './client.js';

function rewrite(baseUrl: string, url: string): string {
  const params = { url, method: 'GET' };
  void baseUrlPlugin(baseUrl).onBeforeRequestConfig!({ client: undefined as never, url: new URL(url), params });
  return params.url;
}

describe('the base-URL plugin', () => {
  it.each([
    ['https://api.x.com/2/users/:id/mentions', 'http://127.0.0.1:4400/2/users/:id/mentions'],
    ['https://api.twitter.com/2/dm_events', 'http://127.0.0.1:4400/2/dm_events'],
    ['https://api.x.com/2/dm_events?max_results=5', 'http://127.0.0.1:4400/2/dm_events?max_results=5'],
  ])('sends %s to the configured origin', (from, to) => {
    expect(rewrite('http://127.0.0.1:4400', from)).toBe(to);
  });

  it('keeps a path prefix of the base URL, with or without a trailing slash', () => {
    expect(rewrite('https://proxy.example/x-api/', 'https://api.x.com/2/dm_events')).toBe('https://proxy.example/x-api/2/dm_events');
    expect(rewrite('https://proxy.example/x-api', 'https://api.x.com/2/dm_events')).toBe('https://proxy.example/x-api/2/dm_events');
  });

  it('leaves other origins alone (upload.twitter.com is not ours to move)', () => {
    expect(rewrite('http://127.0.0.1:4400', 'https://upload.twitter.com/1.1/media/upload.json')).toBe('https://upload.twitter.com/1.1/media/upload.json');
  });
});

function responseError(code: number, headers: IncomingHttpHeaders, data: unknown = {}): ApiResponseError {
  return new ApiResponseError(`Request failed with code ${code}`, { code, headers, data: data as never, request: undefined as never, response: undefined as never });
}

describe('errors from twitter-api-v2', () => {
  it('turns a 429 into XRateLimited with the reset time', () => {
    const error = asXError(responseError(429, { 'x-rate-limit-limit': '15', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '1593185073' }, 'Rate limit exceeded\n'));
    expect(error).toBeInstanceOf(XRateLimited);
    expect((error as XRateLimited).resetAt).toEqual(new Date(1593185073 * 1000));
  });

  it('waits for the 24-hour window when that is the one used up', () => {
    const error = asXError(
      responseError(429, {
        'x-rate-limit-reset': '1700000000',
        'x-user-limit-24hour-limit': '1000',
        'x-user-limit-24hour-remaining': '0',
        'x-user-limit-24hour-reset': '1700050000',
      }),
    ) as XRateLimited;
    expect(error.resetAt).toEqual(new Date(1700050000 * 1000));
  });

  it('gives no reset for a 429 without a usable header', () => {
    expect((asXError(responseError(429, { 'x-rate-limit-reset': 'soon' })) as XRateLimited).resetAt).toBeUndefined();
  });

  it('names the status of other answers and nothing of the payload', () => {
    const error = asXError(responseError(401, {}, { title: 'Unauthorized', detail: 'secret-looking detail' }));
    expect(error).toBeInstanceOf(XApiFailure);
    expect(error).toMatchObject({ status: 401, message: 'X answered 401' });
  });

  it('names the network error when X could not be reached', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4400'), { code: 'ECONNREFUSED' });
    // Built as twitter-api-v2's request handler builds it.
    const error = asXError(new ApiRequestError('Request failed.', { request: undefined as never, error: cause }));
    expect(error).toMatchObject({ message: 'X could not be reached (ECONNREFUSED)', status: undefined });
  });

  it('names a timeout, or anything else, without a stack or payload', () => {
    const timeout = asXError(new ApiRequestError('Request failed.', { request: undefined as never, error: new Error('Request timeout.') }));
    expect(timeout.message).toBe('X could not be reached (Request timeout.)');
    expect(asXError(new TypeError('boom')).message).toBe('X request failed: boom');
  });
});

describe('rate-limit reset', () => {
  it('is read from x-rate-limit-reset (epoch seconds)', () => {
    expect(rateLimitReset({ 'x-rate-limit-reset': '1665183228' })).toEqual(new Date(1665183228000));
  });

  it('ignores a 24-hour reset while that window still has requests', () => {
    expect(rateLimitReset({ 'x-rate-limit-reset': '1665183228', 'x-app-limit-24hour-remaining': '5', 'x-app-limit-24hour-reset': '1665199999' })).toEqual(new Date(1665183228000));
  });

  it('is undefined without a header', () => {
    expect(rateLimitReset({})).toBeUndefined();
  });
});
