/**
 * Fixed-bucket latency histograms: cheap to record, summable across minutes and instances
 * (KV sums per bucket), and precise enough for p50/p95/p99 (≤ 25 % bucket width).
 */

/** Upper bounds (inclusive) of the buckets, in milliseconds; one more bucket holds the rest. */
export const BUCKET_BOUNDS: readonly number[] = [
  1,
  2,
  3,
  5,
  7,
  10,
  15,
  20,
  25,
  30,
  40,
  50,
  65,
  80,
  100,
  125,
  150,
  200,
  250,
  300,
  400,
  500,
  650,
  800,
  1_000,
  1_250,
  1_500,
  2_000,
  2_500,
  3_000,
  4_000,
  5_000,
  6_500,
  8_000,
  10_000,
  15_000,
  20_000,
  30_000,
  60_000,
];

/** Number of buckets, including the overflow bucket above the last bound. */
export const BUCKET_COUNT = BUCKET_BOUNDS.length + 1;

/** Counts per bucket; index i counts values in (BUCKET_BOUNDS[i-1], BUCKET_BOUNDS[i]]. */
export type Histogram = number[];

/** An empty histogram. */
export function emptyHistogram(): Histogram {
  return new Array(BUCKET_COUNT).fill(0);
}

/** The bucket a value falls in (binary search over the bounds). */
export function bucketOf(value: number): number {
  if (!(value > BUCKET_BOUNDS[0])) return 0;
  let low = 1;
  let high = BUCKET_BOUNDS.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (value <= BUCKET_BOUNDS[mid]) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Adds one value to a histogram in place. */
export function observe(histogram: Histogram, value: number): void {
  histogram[bucketOf(value)]++;
}

/** Adds `from` into `into` in place. */
export function mergeInto(into: Histogram, from: Histogram): void {
  for (let i = 0; i < BUCKET_COUNT; i++) into[i] += from[i] ?? 0;
}

/** Total number of values. */
export function countOf(histogram: Histogram): number {
  let total = 0;
  for (const n of histogram) total += n;
  return total;
}

/**
 * The q-quantile (0 < q ≤ 1), interpolated linearly inside its bucket; null when empty.
 * Values above the last bound report that bound: the histogram cannot say more.
 */
export function percentile(histogram: Histogram, q: number): number | null {
  const total = countOf(histogram);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    const n = histogram[i];
    if (n === 0) continue;
    if (seen + n >= rank) {
      if (i >= BUCKET_BOUNDS.length) return BUCKET_BOUNDS[BUCKET_BOUNDS.length - 1];
      const lower = i === 0 ? 0 : BUCKET_BOUNDS[i - 1];
      const upper = BUCKET_BOUNDS[i];
      return lower + (upper - lower) * ((rank - seen) / n);
    }
    seen += n;
  }
  return BUCKET_BOUNDS[BUCKET_BOUNDS.length - 1];
}
