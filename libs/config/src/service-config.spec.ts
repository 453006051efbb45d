import { ConfigError } from './load.js';
import { loadServiceConfig } from './service-config.js';
import { redisConnectionOptions } from './redis-url.js';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/desk',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadServiceConfig', () => {
  it('applies defaults and picks each service its own port', () => {
    expect(loadServiceConfig('desk', valid).port).toBe(3000);
    expect(loadServiceConfig('ingest', valid).port).toBe(3001);
    expect(loadServiceConfig('triage', { ...valid, TRIAGE_HEALTH_PORT: '4100' }).port).toBe(4100);
    expect(loadServiceConfig('responder', valid).queuePrefix).toBe('desk');
  });

  it('names a missing variable, and treats blank as missing', () => {
    expect(problemsOf(() => loadServiceConfig('desk', { REDIS_URL: valid.REDIS_URL }))).toEqual([
      expect.stringMatching(/^DATABASE_URL is missing \(Postgres connection URL/),
    ]);
    expect(problemsOf(() => loadServiceConfig('ingest', { ...valid, REDIS_URL: '  ' }))).toEqual([
      expect.stringMatching(/^REDIS_URL is missing/),
    ]);
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf(() =>
      loadServiceConfig('responder', { ...valid, DATABASE_URL: 'mysql://x', RESPONDER_HEALTH_PORT: '70000', QUEUE_PREFIX: 'a:b' }),
    );
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['DATABASE_URL', 'QUEUE_PREFIX', 'RESPONDER_HEALTH_PORT']);
  });
});

describe('timings of the workers and their sweeps', () => {
  it('has defaults, and takes each from the environment', () => {
    expect(loadServiceConfig('triage', valid).triage).toEqual({ lockMs: 30_000, batch: 64 });
    expect(loadServiceConfig('triage', { ...valid, TRIAGE_LOCK_MS: '3000', TRIAGE_BATCH: '8' }).triage).toEqual({ lockMs: 3_000, batch: 8 });
    expect(() => loadServiceConfig('triage', { ...valid, TRIAGE_BATCH: '0' })).toThrow(/TRIAGE_BATCH/);
    expect(loadServiceConfig('responder', valid).responder!.sweep).toEqual({ everyMs: 30_000, graceMs: 60_000 });
    expect(loadServiceConfig('responder', { ...valid, OUTBOUND_SWEEP_EVERY_MS: '2000', OUTBOUND_SWEEP_GRACE_MS: '5000' }).responder!.sweep).toEqual({ everyMs: 2_000, graceMs: 5_000 });
  });
});

describe('redisConnectionOptions', () => {
  it('reads host, port, credentials and database', () => {
    expect(redisConnectionOptions('rediss://u:p%40ss@cache.local:6380/2')).toEqual({
      host: 'cache.local',
      port: 6380,
      username: 'u',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
    expect(redisConnectionOptions('redis://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 6379 });
  });
});

describe('ingest settings', () => {
  it('uses fake credentials and no polling with the fake driver, and polls every minute live', () => {
    const fake = loadServiceConfig('ingest', valid).ingest!;
    expect(fake.x).toMatchObject({ driver: 'fake', baseUrl: 'http://127.0.0.1:4400', pollIntervalMs: 0 });
    expect(fake.meta.pageIds.length).toBeGreaterThan(0);
    const live = loadServiceConfig('ingest', {
      ...valid,
      X_DRIVER: 'live',
      X_CONSUMER_KEY: 'k',
      X_CONSUMER_SECRET: 's',
      X_ACCESS_TOKEN: 't',
      X_ACCESS_SECRET: 'a',
      X_USER_ID: '42',
    }).ingest!;
    expect(live.x).toMatchObject({ driver: 'live', baseUrl: undefined, pollIntervalMs: 60_000, userId: '42' });
  });

  it('sweeps every minute for items a minute old by default, and takes both from the environment', () => {
    expect(loadServiceConfig('ingest', valid).ingest!.sweep).toEqual({ everyMs: 60_000, graceMs: 60_000 });
    expect(loadServiceConfig('ingest', { ...valid, INGEST_SWEEP_EVERY_MS: '2000', INGEST_SWEEP_GRACE_MS: '3000' }).ingest!.sweep).toEqual({ everyMs: 2_000, graceMs: 3_000 });
    expect(problemsOf(() => loadServiceConfig('ingest', { ...valid, INGEST_SWEEP_EVERY_MS: '10' }))).toEqual([expect.stringMatching(/^INGEST_SWEEP_EVERY_MS is invalid/)]);
  });

  it('names every credential a live driver lacks', () => {
    const problems = problemsOf(() => loadServiceConfig('ingest', { ...valid, META_DRIVER: 'live', META_APP_SECRET: 'x' }));
    expect(problems).toEqual([
      'META_VERIFY_TOKEN is missing (required when META_DRIVER=live)',
      'META_PAGE_IDS is missing (required when META_DRIVER=live)',
    ]);
  });
});
