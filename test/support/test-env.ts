/** The suite's own database; global-setup.mjs wipes it each run and refuses one not named *test*. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/desk_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A Redis key prefix of this test file's own, so parallel runs and the dev install never collide. */
export function testQueuePrefix(label: string): string {
  return `desk-test-${label}-${process.pid}`;
}
