import { BUCKET_EDGES, bucketOf, bucketValueMs, OVERFLOW_BUCKET, OVERFLOW_MS, percentile, percentiles, type Histogram } from './buckets.js';

const M = 60_000;
const H = 60 * M;

describe('response-time steps', () => {
  it('are 5 minutes to an hour, 15 to 8 hours, 30 to 40 hours, 4 hours to 200, a day to 1000', () => {
    expect(BUCKET_EDGES.slice(0, 3)).toEqual([5 * M, 10 * M, 15 * M]);
    expect(BUCKET_EDGES).toContain(1 * H + 15 * M);
    expect(BUCKET_EDGES).toContain(8 * H + 30 * M);
    expect(BUCKET_EDGES).toContain(44 * H);
    expect(BUCKET_EDGES).toContain(224 * H);
    expect(BUCKET_EDGES.at(-1)).toBe(1000 * H);
    expect(BUCKET_EDGES).toHaveLength(12 + 28 + 64 + 40 + 34); // 200 h to 1000 h: 33 days and a last step of 8 h
    expect([...BUCKET_EDGES].sort((a, b) => a - b)).toEqual(BUCKET_EDGES);
  });

  it('put a time in the step it falls in: an edge belongs to the step above', () => {
    expect(bucketValueMs(bucketOf(0))).toBe(5 * M);
    expect(bucketValueMs(bucketOf(5 * M - 1))).toBe(5 * M);
    expect(bucketValueMs(bucketOf(5 * M))).toBe(10 * M);
    expect(bucketValueMs(bucketOf(17 * H + 50 * M))).toBe(18 * H);
    expect(bucketValueMs(bucketOf(25 * H))).toBe(25.5 * H);
    expect(bucketOf(1000 * H)).toBe(OVERFLOW_BUCKET);
    expect(bucketValueMs(bucketOf(5000 * H))).toBe(OVERFLOW_MS);
    expect(() => bucketOf(-1)).toThrow(RangeError);
  });

  it('read the nearest-rank percentile off a histogram', () => {
    const hist: Histogram = new Map([
      [bucketOf(0), 4],
      [bucketOf(50 * M), 1],
      [bucketOf(18 * H), 1],
      [bucketOf(25 * H), 3],
    ]);
    // 9 items: the 5th is the 50-minute one; the 9th (⌈8.1⌉) is in the 25 h step.
    expect(percentiles(hist)).toEqual({ count: 9, medianMs: 55 * M, p90Ms: 25.5 * H });
    expect(percentile(new Map(), 0.5)).toBeNull();
    expect(percentile(new Map([[3, 1]]), 0.9)).toBe(BUCKET_EDGES[3]);
  });
});
