/**
 * Response times are kept as counts per step (a histogram) so that medians and 90th percentiles
 * over any range add up from daily rollups instead of re-reading every item. The steps are fine
 * where people look closely and coarse where only "very late" matters; the figure reported is the
 * end of the step the ranked item falls in, so it is never better than the truth.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** [up to (exclusive), step]: 5 min to 1 h, 15 min to 8 h, 30 min to 40 h, 4 h to 200 h, 24 h to 1000 h. */
const STEPS: ReadonlyArray<readonly [number, number]> = [
  [1 * HOUR, 5 * MINUTE],
  [8 * HOUR, 15 * MINUTE],
  [40 * HOUR, 30 * MINUTE],
  [200 * HOUR, 4 * HOUR],
  [1000 * HOUR, 24 * HOUR],
];

/** Upper edge (exclusive) of every bucket, in order; the last bucket is open ("1000 h or more"). */
export const BUCKET_EDGES: readonly number[] = (() => {
  const edges: number[] = [];
  let at = 0;
  for (const [upTo, step] of STEPS) {
    while (at < upTo) {
      // A segment that doesn't divide by its step ends on its own limit, so every limit is an edge.
      at = Math.min(at + step, upTo);
      edges.push(at);
    }
  }
  return edges;
})();

export const OVERFLOW_BUCKET = BUCKET_EDGES.length;
export const OVERFLOW_MS = BUCKET_EDGES[BUCKET_EDGES.length - 1]!;

export function bucketOf(ms: number): number {
  if (ms < 0) throw new RangeError(`negative duration ${ms}`);
  let lo = 0;
  let hi = BUCKET_EDGES.length; // answer in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms < BUCKET_EDGES[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The figure a bucket stands for: its upper edge, or the overflow's lower edge. */
export function bucketValueMs(bucket: number): number {
  return bucket >= OVERFLOW_BUCKET ? OVERFLOW_MS : BUCKET_EDGES[bucket]!;
}

export type Histogram = Map<number, number>;

export function addTo(target: Histogram, bucket: number, n: number): void {
  const next = (target.get(bucket) ?? 0) + n;
  if (next === 0) target.delete(bucket);
  else target.set(bucket, next);
}

export function mergeInto(target: Histogram, source: Histogram): Histogram {
  for (const [bucket, n] of source) addTo(target, bucket, n);
  return target;
}

export function histogramCount(hist: Histogram): number {
  let total = 0;
  for (const n of hist.values()) total += n;
  return total;
}

/**
 * Nearest-rank percentile (the ⌈p·N⌉-th smallest item) read off a histogram, as the end of its
 * step. Null for an empty histogram.
 */
export function percentile(hist: Histogram, p: number): number | null {
  const count = histogramCount(hist);
  if (count === 0) return null;
  const rank = Math.max(1, Math.ceil(p * count));
  let seen = 0;
  for (const bucket of [...hist.keys()].sort((a, b) => a - b)) {
    seen += hist.get(bucket)!;
    if (seen >= rank) return bucketValueMs(bucket);
  }
  return bucketValueMs(OVERFLOW_BUCKET);
}

export function percentiles(hist: Histogram): { count: number; medianMs: number | null; p90Ms: number | null } {
  return { count: histogramCount(hist), medianMs: percentile(hist, 0.5), p90Ms: percentile(hist, 0.9) };
}
