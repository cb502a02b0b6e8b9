import assert from "node:assert/strict";
import { bars, linePath, niceMax, yOf } from "./charts.ts";

const FRAME = { width: 100, height: 50 };

Deno.test("niceMax: rounds up to 1, 2 or 5 times a power of ten", () => {
  const cases: [(number | null)[], number][] = [
    [[0.3], 1],
    [[7, null, 3], 10],
    [[12], 20],
    [[180], 200],
    [[201], 500],
    [[999], 1000],
  ];
  for (const [values, max] of cases) assert.equal(niceMax(values), max, String(values));
});

Deno.test("linePath: spans the frame, breaks at gaps and marks lone points", () => {
  assert.equal(linePath([0, 50, 100], FRAME, 100), "M0,50h0L50,25L100,0");
  assert.equal(linePath([10, null, 10, 10], FRAME, 10), "M0,0h0M66.7,0h0L100,0");
  assert.equal(linePath([null, null], FRAME, 10), "");
});

Deno.test("yOf and bars: values above the axis are clipped to the top", () => {
  assert.equal(yOf(500, FRAME, 100), 0);
  const [low, high] = bars([25, 400], FRAME, 100);
  assert.deepEqual(low, { x: 5, y: 37.5, width: 40, height: 12.5 });
  assert.equal(high.height, 50);
});
