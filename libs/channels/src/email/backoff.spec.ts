import { backoffDelay, Wakeup } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, within ±20%', () => {
    const settings = { initialMs: 1_000, maxMs: 8_000 };
    expect([1, 2, 3, 4, 5, 50].map((n) => backoffDelay(n, settings, () => 0.5))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect(backoffDelay(1, settings, () => 0)).toBe(800);
    expect(backoffDelay(1, settings, () => 0.999999)).toBe(1_200);
  });
});

describe('Wakeup', () => {
  it('ends a wait early when woken, and remembers a wake that came first', async () => {
    const wakeup = new Wakeup();
    const started = Date.now();
    const waiting = wakeup.wait(10_000);
    wakeup.wake();
    await waiting;
    wakeup.wake();
    await wakeup.wait(10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('forgets a wake nobody waited for once cleared', async () => {
    const wakeup = new Wakeup();
    wakeup.wake();
    wakeup.clear();
    const started = Date.now();
    await wakeup.wait(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});
