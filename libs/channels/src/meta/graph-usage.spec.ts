import { DEFAULT_RATE_LIMIT_MS, pacingDeadline, rateLimitedUntil, readGraphUsage, readRetryAfter } from './graph-usage.js';

const now = new Date('2026-03-02T10:00:00Z');
const after = (ms: number) => new Date(now.getTime() + ms);
const app = (call_count: number, total_cputime = 0, total_time = 0) => ({ 'x-app-usage': JSON.stringify({ call_count, total_cputime, total_time }) });
const buc = (entry: Record<string, unknown>) => ({ 'X-Business-Use-Case-Usage': JSON.stringify({ '1234567890': [{ type: 'pages', call_count: 1, total_cputime: 1, total_time: 1, ...entry }] }) });

describe('readGraphUsage', () => {
  it('takes the highest counter of all three headers', () => {
    const headers = new Headers({
      'X-App-Usage': '{"call_count":10,"total_cputime":20,"total_time":30}',
      'X-Page-Usage': '{"call_count":5,"total_cputime":81,"total_time":2}',
      ...buc({ total_time: 40, estimated_time_to_regain_access: 0 }),
    });
    expect(readGraphUsage(headers)).toEqual({ highestPercent: 81, regainMinutes: 0 });
  });

  it('reads business-use-case usage of several ids and types, with the longest regain estimate', () => {
    const value = JSON.stringify({
      '111': [{ type: 'pages', call_count: 90, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: 3 }],
      '222': [
        { type: 'instagram', call_count: 1, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: 0 },
        { type: 'messenger', call_count: 1, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: 17 },
      ],
    });
    expect(readGraphUsage({ 'x-business-use-case-usage': value })).toEqual({ highestPercent: 90, regainMinutes: 17 });
  });

  it.each([
    ['no headers', {}],
    ['not JSON', { 'x-app-usage': '{call_count:90' }],
    ['an array', { 'x-app-usage': '[90]' }],
    ['negative and non-numeric counters', { 'x-app-usage': '{"call_count":-5,"total_cputime":"lots","total_time":null}' }],
    ['a business use case that is not a list', { 'x-business-use-case-usage': '{"1":{"call_count":99}}' }],
    ['an absurdly long header', { 'x-app-usage': `{"call_count":99,"pad":"${'x'.repeat(20_000)}"}` }],
  ])('ignores %s', (_label, headers) => {
    expect(() => readGraphUsage(headers)).not.toThrow();
    expect(readGraphUsage(headers)).toEqual({ highestPercent: 0, regainMinutes: 0 });
  });
});

describe('pacingDeadline', () => {
  it.each([
    [0, undefined],
    [74, undefined],
    [75, undefined],
    [80, 15_000],
    [85, 30_000],
    [95, 60_000],
    [100, 60_000],
    [250, 60_000],
  ])('at %i%% waits %p ms', (percent, delay) => {
    const deadline = pacingDeadline(readGraphUsage(app(percent)), now);
    expect(deadline).toEqual(delay === undefined ? undefined : after(delay));
  });

  it('uses the CPU and time counters too, not only call_count', () => {
    expect(pacingDeadline(readGraphUsage(app(1, 85, 2)), now)).toEqual(after(30_000));
    expect(pacingDeadline(readGraphUsage(app(1, 2, 85)), now)).toEqual(after(30_000));
  });

  it('waits for the regain estimate when Graph gives one, whatever the percentages', () => {
    expect(pacingDeadline(readGraphUsage(buc({ estimated_time_to_regain_access: 7 })), now)).toEqual(after(7 * 60_000));
    expect(pacingDeadline(readGraphUsage(buc({ call_count: 90, estimated_time_to_regain_access: 1 })), now)).toEqual(after(60_000));
  });

  it('follows a policy given to it', () => {
    const policy = { thresholdPercent: 50, fullPercent: 60, maxDelayMs: 10_000 };
    expect(pacingDeadline(readGraphUsage(app(55)), now, policy)).toEqual(after(5_000));
  });
});

describe('rateLimitedUntil', () => {
  it('prefers the regain estimate, then Retry-After, then five minutes', () => {
    expect(rateLimitedUntil({ highestPercent: 100, regainMinutes: 12 }, now, 30)).toEqual(after(12 * 60_000));
    expect(rateLimitedUntil({ highestPercent: 100, regainMinutes: 0 }, now, 30)).toEqual(after(30_000));
    expect(rateLimitedUntil({ highestPercent: 100, regainMinutes: 0 }, now)).toEqual(after(DEFAULT_RATE_LIMIT_MS));
    expect(DEFAULT_RATE_LIMIT_MS).toBe(5 * 60_000);
  });

  it('reads Retry-After only as delta-seconds', () => {
    expect(readRetryAfter({ 'Retry-After': '120' })).toBe(120);
    expect(readRetryAfter({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' })).toBeUndefined();
    expect(readRetryAfter({})).toBeUndefined();
  });
});
