import { jest } from '@jest/globals';
import type { InboundEvent } from '@desk/domain';
import { x } from '@desk/channels';
import { type Clock, PollStream, type PollStreamDeps, Stopped } from './poll-stream.js';

const KEY = 'x:mentions:2244994945';

/** A clock whose sleeps pass at once, moving time on; it records what was waited for. */
class FakeClock implements Clock {
  t = Date.parse('2026-03-02T12:00:00Z');
  sleeps: number[] = [];
  /** Aborts the given controller once this many sleeps have happened (ends run() loops). */
  stopAfter?: { sleeps: number; controller: AbortController };
  now = () => this.t;
  sleep = async (ms: number, signal: AbortSignal) => {
    if (signal.aborted) throw new Stopped();
    this.sleeps.push(ms);
    this.t += ms;
    if (this.stopAfter && this.sleeps.length >= this.stopAfter.sleeps) this.stopAfter.controller.abort();
  };
}

const msg = (id: string): InboundEvent => ({
  type: 'message',
  message: { channel: 'x', externalId: id, author: null, receivedAt: new Date(0), text: id, kind: 'message', raw: {} },
});

function page(ids: string[], extra: Partial<x.TimelinePage> = {}): x.XPage {
  return { body: { events: ids.map(msg), newestId: ids[0], reachedCheckpoint: false, ...extra } satisfies x.TimelinePage };
}

/** An answer, or one made from the clock at the time of the request. */
type Answer = x.XPage | Error | ((clock: FakeClock) => x.XPage | Error);

function setup(answers: Answer[], saved?: Record<string, unknown>) {
  const clock = new FakeClock();
  const store = new Map<string, unknown>(saved ? [[KEY, saved]] : []);
  const fetches: Array<{ at: number; cursor: { afterId?: string; paginationToken?: string } }> = [];
  const applied: string[] = [];
  const warnings: string[] = [];
  const deps: PollStreamDeps = {
    name: 'mentions',
    checkpointKey: KEY,
    checkpointField: 'sinceId',
    fetch: async (cursor) => {
      fetches.push({ at: clock.t, cursor });
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      const answer = typeof next === 'function' ? next(clock) : next;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    read: (body) => ({ ok: true, page: body as x.TimelinePage }),
    apply: async (events) => {
      for (const e of events) applied.push(e.type === 'message' ? e.message.externalId : e.type);
      return events.map(() => ({ created: true }));
    },
    checkpoints: {
      get: async <T>(key: string) => store.get(key) as T | undefined,
      set: jest.fn(async (key: string, value: unknown) => void store.set(key, value)),
    },
    logger: { log: () => undefined, warn: (m: string) => void warnings.push(m) },
    clock,
  };
  return { stream: new PollStream(deps), deps, clock, store, fetches, applied, warnings };
}

const running = () => new AbortController().signal;

describe('a walk over a polled timeline', () => {
  it('follows next_token across pages, stores each page, then moves the checkpoint to the newest id', async () => {
    const { stream, store, fetches, applied } = setup([page(['30', '29'], { nextToken: 'p2' }), page(['28', '27'], { newestId: '28', nextToken: 'p3' }), page(['26'], { newestId: '26' })]);
    await expect(stream.walk(running())).resolves.toEqual({ pages: 3, stored: 5 });
    expect(fetches.map((f) => f.cursor.paginationToken)).toEqual([undefined, 'p2', 'p3']);
    expect(applied).toEqual(['30', '29', '28', '27', '26']);
    expect(store.get(KEY)).toEqual({ sinceId: '30' });
  });

  it('asks from the checkpoint, and leaves it alone when nothing is new', async () => {
    const { stream, deps, fetches } = setup([page([], { newestId: undefined })], { sinceId: '30' });
    await stream.walk(running());
    expect(fetches[0]!.cursor).toEqual({ afterId: '30', paginationToken: undefined });
    expect(deps.checkpoints.set).not.toHaveBeenCalled();
  });

  it('never moves the checkpoint backwards', async () => {
    const { stream, store } = setup([page(['20'])], { sinceId: '30' });
    await stream.walk(running());
    expect(store.get(KEY)).toEqual({ sinceId: '30' });
  });

  it('ignores a checkpoint that is not an id', async () => {
    const { stream, fetches } = setup([page([])], { sinceId: '1; DROP TABLE' });
    await stream.walk(running());
    expect(fetches[0]!.cursor.afterId).toBeUndefined();
  });

  it('does not move the checkpoint when the walk fails part-way (the next walk reads it all again)', async () => {
    const { stream, deps, applied } = setup([page(['30'], { nextToken: 'p2' }), new x.XApiFailure('X answered 503', 503)], { sinceId: '10' });
    await expect(stream.walk(running())).rejects.toThrow('X answered 503');
    expect(applied).toEqual(['30']);
    expect(deps.checkpoints.set).not.toHaveBeenCalled();
  });

  it('does not move the checkpoint when storing fails', async () => {
    const { stream, deps } = setup([page(['30'])]);
    deps.apply = () => Promise.reject(new Error('database down'));
    await expect(stream.walk(running())).rejects.toThrow('database down');
    expect(deps.checkpoints.set).not.toHaveBeenCalled();
  });

  it('refuses an unreadable answer', async () => {
    const { stream, deps } = setup([page(['30'])]);
    deps.read = () => ({ ok: false, reason: 'data is not a list' });
    await expect(stream.walk(running())).rejects.toThrow('unreadable answer from X: data is not a list');
  });

  it('stops paging once the page reaches the checkpoint (DM events take no since_id)', async () => {
    const { stream, fetches } = setup([page(['30'], { nextToken: 'p2', reachedCheckpoint: true })], { sinceId: '29' });
    await stream.walk(running());
    expect(fetches).toHaveLength(1);
  });

  it('stops paging on a next_token it has seen before', async () => {
    const { stream, fetches, warnings } = setup([page(['30'], { nextToken: 'same' }), page(['29'], { nextToken: 'same' })]);
    await stream.walk(running());
    expect(fetches).toHaveLength(2);
    expect(warnings[0]).toContain('repeated or endless next_token');
  });

  it('stops paging after maxPages, says so, and still moves the checkpoint', async () => {
    const { stream, deps, fetches, warnings, store } = setup([page(['30'], { nextToken: 'a' }), page(['29'], { newestId: '29', nextToken: 'b' }), page(['28'])]);
    (deps as { maxPages?: number }).maxPages = 2;
    await stream.walk(running());
    expect(fetches).toHaveLength(2);
    expect(warnings[0]).toContain('stopped paging after 2 page(s)');
    expect(store.get(KEY)).toEqual({ sinceId: '30' });
  });
});

describe('rate limits', () => {
  it('after a 429, asks nothing until the reset X gave, then asks for the same page again', async () => {
    let reset = 0;
    const limited = (c: FakeClock) => new x.XRateLimited(new Date((reset = c.t + 120_000)));
    const { stream, fetches, store } = setup([page(['30'], { nextToken: 'p2' }), limited, page(['29'])]);
    await stream.walk(running());
    expect(fetches.map((f) => f.cursor.paginationToken)).toEqual([undefined, 'p2', 'p2']);
    expect(fetches[2]!.at).toBeGreaterThanOrEqual(reset);
    expect(store.get(KEY)).toEqual({ sinceId: '30' });
  });

  it('without a reset time, waits 5 s and then longer while the 429s go on', async () => {
    const { stream, clock, fetches } = setup([new x.XRateLimited(undefined), new x.XRateLimited(undefined), new x.XRateLimited(undefined), page(['30'])]);
    await stream.walk(running());
    expect(clock.sleeps).toEqual([5_000, 10_000, 20_000]);
    expect(fetches).toHaveLength(4);
  });

  it('treats a reset already past as no reset (no request a second against a skewed clock)', async () => {
    const clockNow = Date.parse('2026-03-02T12:00:00Z');
    const { stream, clock } = setup([new x.XRateLimited(new Date(clockNow - 60_000)), page(['30'])]);
    await stream.walk(running());
    expect(clock.sleeps).toEqual([5_000]);
  });

  it('waits for the reset before the next request when an answer used the last one of the window', async () => {
    let until = 0;
    const last = (c: FakeClock) => ({ ...page(['30'], { nextToken: 'p2' }), exhaustedUntil: new Date((until = c.t + 300_000)) });
    const { stream, fetches } = setup([last, page(['29'])]);
    await stream.walk(running());
    expect(fetches[1]!.at).toBeGreaterThanOrEqual(until);
  });
});

describe('the polling loop', () => {
  it('walks at once, then every interval', async () => {
    const controller = new AbortController();
    const { stream, clock, fetches } = setup([page(['30']), page([]), page([])]);
    clock.stopAfter = { sleeps: 3, controller };
    await stream.run(60_000, controller.signal);
    expect(fetches).toHaveLength(3);
    expect(clock.sleeps).toEqual([60_000, 60_000, 60_000]);
  });

  it('never rejects: a failing walk is reported once, and the pause grows', async () => {
    const controller = new AbortController();
    const failure = () => new x.XApiFailure('X could not be reached (ECONNREFUSED)');
    const { stream, clock, warnings } = setup([failure(), failure(), failure(), page([])]);
    clock.stopAfter = { sleeps: 4, controller };
    await expect(stream.run(60_000, controller.signal)).resolves.toBeUndefined();
    expect(clock.sleeps).toEqual([60_000, 120_000, 240_000, 60_000]);
    expect(warnings).toEqual(['X mentions: poll failed (1 in a row): X could not be reached (ECONNREFUSED)']);
  });

  it('stops during a request without storing its late answer', async () => {
    const controller = new AbortController();
    const { stream, deps, applied } = setup([]);
    let answer!: (page: x.XPage) => void;
    deps.fetch = () => new Promise((resolve) => (answer = resolve));
    const done = stream.run(60_000, controller.signal);
    await new Promise((r) => setImmediate(r));
    controller.abort();
    await expect(done).resolves.toBeUndefined();
    answer(page(['30']));
    await new Promise((r) => setImmediate(r));
    expect(applied).toEqual([]);
  });
});
