import assert from "node:assert/strict";
import { fillFromTimeline } from "./vitals.client.ts";

function withTimeline(
  entries: { navigation?: Record<string, number>; paint?: number },
  fn: () => void,
): void {
  const byType = performance.getEntriesByType;
  const byName = performance.getEntriesByName;
  performance.getEntriesByType =
    ((type: string) =>
      type === "navigation" && entries.navigation
        ? [entries.navigation]
        : []) as unknown as typeof performance.getEntriesByType;
  performance.getEntriesByName =
    ((name: string) =>
      name === "first-contentful-paint" && entries.paint !== undefined
        ? [{ startTime: entries.paint }]
        : []) as unknown as typeof performance.getEntriesByName;
  try {
    fn();
  } finally {
    performance.getEntriesByType = byType;
    performance.getEntriesByName = byName;
  }
}

Deno.test("a tab closed before web-vitals reports FCP and TTFB still sends them", () => {
  withTimeline({ navigation: { responseStart: 42, activationStart: 0 }, paint: 180 }, () => {
    const queue = new Map([["LCP", 200], ["CLS", 0]]);
    const reported = new Set(["LCP", "CLS"]);
    fillFromTimeline(queue, reported);
    assert.deepEqual(Object.fromEntries(queue), { LCP: 200, CLS: 0, TTFB: 42, FCP: 180 });
  });
});

Deno.test("vitals already reported are not sent again, and missing entries add nothing", () => {
  withTimeline({ navigation: { responseStart: 42 }, paint: 180 }, () => {
    const queue = new Map<string, number>();
    fillFromTimeline(queue, new Set(["FCP", "TTFB"]));
    assert.equal(queue.size, 0, "a second hide after the first send sends no duplicates");
  });
  withTimeline({}, () => {
    const queue = new Map<string, number>();
    const reported = new Set<string>();
    fillFromTimeline(queue, reported);
    assert.equal(queue.size, 0, "no paint yet (a background tab) reports no FCP");
  });
});

Deno.test("a prerendered page counts from its activation", () => {
  withTimeline({ navigation: { responseStart: 40, activationStart: 100 }, paint: 250 }, () => {
    const queue = new Map<string, number>();
    fillFromTimeline(queue, new Set());
    assert.deepEqual(Object.fromEntries(queue), { TTFB: 0, FCP: 150 });
  });
});
