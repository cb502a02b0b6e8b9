import assert from "node:assert/strict";
import {
  BUCKET_BOUNDS,
  BUCKET_COUNT,
  bucketOf,
  countOf,
  emptyHistogram,
  mergeInto,
  observe,
  percentile,
} from "./histogram.ts";

Deno.test("bucketOf: a value lands in the first bucket whose bound is at least the value", () => {
  const cases: [number, number][] = [
    [0, 0],
    [-5, 0],
    [1, 0],
    [1.01, 1],
    [2, 1],
    [30, BUCKET_BOUNDS.indexOf(30)],
    [30.5, BUCKET_BOUNDS.indexOf(40)],
    [60_000, BUCKET_BOUNDS.length - 1],
    [60_001, BUCKET_COUNT - 1],
    [Number.NaN, 0],
  ];
  for (const [value, bucket] of cases) assert.equal(bucketOf(value), bucket, `value ${value}`);
});

Deno.test("percentile: empty histogram has none", () => {
  assert.equal(percentile(emptyHistogram(), 0.5), null);
});

Deno.test("percentile: interpolates inside the bucket holding the rank", () => {
  // 100 values, all in (20, 25]: p50 is halfway through that bucket.
  const h = emptyHistogram();
  for (let i = 0; i < 100; i++) observe(h, 22);
  assert.equal(percentile(h, 0.5), 22.5);
  assert.equal(percentile(h, 1), 25);
  assert.equal(percentile(h, 0.01), 20.05);
});

Deno.test("percentile: p50/p95/p99 of a known mix", () => {
  const h = emptyHistogram();
  for (let i = 0; i < 90; i++) observe(h, 4); // bucket (3, 5]
  for (let i = 0; i < 9; i++) observe(h, 90); // bucket (80, 100]
  observe(h, 1800); // bucket (1500, 2000]
  assert.equal(countOf(h), 100);
  // rank 50 of 90 in (3, 5] → 3 + 2 × 50/90
  assert.ok(Math.abs(percentile(h, 0.5)! - (3 + 2 * 50 / 90)) < 1e-9);
  // rank 95 is the 5th of 9 in (80, 100]
  assert.ok(Math.abs(percentile(h, 0.95)! - (80 + 20 * 5 / 9)) < 1e-9);
  // rank 99 is the 9th of 9 in (80, 100]
  assert.equal(percentile(h, 0.99), 100);
  assert.equal(percentile(h, 1), 2000);
});

Deno.test("percentile: stays within a bucket width of the exact value on random data", () => {
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const values = Array.from({ length: 5000 }, () => Math.exp(random() * 8)); // 1 ms … 3 s
  const h = emptyHistogram();
  for (const v of values) observe(h, v);
  const sorted = [...values].sort((a, b) => a - b);
  for (const q of [0.5, 0.95, 0.99]) {
    const exact = sorted[Math.ceil(q * sorted.length) - 1];
    const bucket = bucketOf(exact);
    const lower = bucket === 0 ? 0 : BUCKET_BOUNDS[bucket - 1];
    const upper = BUCKET_BOUNDS[bucket];
    const estimate = percentile(h, q)!;
    assert.ok(estimate >= lower && estimate <= upper, `q=${q}: ${estimate} vs ${exact}`);
  }
});

Deno.test("percentile: values beyond the last bound report the last bound", () => {
  const h = emptyHistogram();
  observe(h, 120_000);
  assert.equal(percentile(h, 0.5), 60_000);
});

Deno.test("mergeInto: merged histograms give the percentiles of the union", () => {
  const a = emptyHistogram();
  const b = emptyHistogram();
  for (let i = 0; i < 50; i++) observe(a, 10);
  for (let i = 0; i < 50; i++) observe(b, 1000);
  mergeInto(a, b);
  assert.equal(countOf(a), 100);
  assert.ok(percentile(a, 0.5)! <= 10);
  assert.ok(percentile(a, 0.51)! > 800);
});
