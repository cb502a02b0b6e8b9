import assert from "node:assert/strict";
import { createHealthMonitor } from "./health-monitor.server.ts";
import type { HealthReport } from "./health.server.ts";

const OK: HealthReport = { status: "ok", checks: { kv: "ok", db: "ok" }, version: "t" };

function monitored(options: { report?: HealthReport } = {}) {
  let clock = 0;
  let runs = 0;
  let release: (() => void) | null = null;
  let hold = false;
  const monitor = createHealthMonitor({
    maxAgeMs: 1_000,
    now: () => clock,
    run: async () => {
      runs++;
      if (hold) await new Promise<void>((resolve) => (release = resolve));
      return options.report ?? OK;
    },
  });
  return {
    monitor,
    runs: () => runs,
    advance: (ms: number) => (clock += ms),
    hold: () => (hold = true),
    release: () => {
      hold = false;
      release?.();
    },
  };
}

Deno.test("health monitor: probes within a second share one check; older results are refreshed", async () => {
  const h = monitored();
  await h.monitor.report();
  h.advance(400);
  await h.monitor.report();
  h.advance(600);
  await h.monitor.report();
  assert.equal(h.runs(), 2, "a result up to 1 s old answers; past half its age one refresh starts");
  h.advance(1_001);
  await h.monitor.report();
  assert.equal(h.runs(), 3, "a result older than 1 s is never served");
});

Deno.test("health monitor: without probes no check runs", async () => {
  const h = monitored();
  h.monitor.start();
  await h.monitor.report();
  assert.equal(h.runs(), 1, "start primes one result, the first probe is answered by it");
  h.advance(60_000);
  assert.equal(h.runs(), 1, "an idle instance runs no checks");
  await h.monitor.report();
  assert.equal(h.runs(), 2);
  h.monitor.stop();
});

Deno.test("health monitor: deep=1 runs the checks now; concurrent probes wait on one run", async () => {
  const h = monitored();
  await h.monitor.report();
  await h.monitor.report({ deep: true });
  assert.equal(h.runs(), 2);
  h.advance(5_000);
  h.hold();
  const waiting = Array.from({ length: 20 }, () => h.monitor.report());
  h.release();
  const reports = await Promise.all(waiting);
  assert.equal(h.runs(), 3, "one run for twenty waiting probes");
  assert.ok(reports.every((r) => r.status === "ok"));
});

Deno.test("health monitor: a degraded result is served as it is", async () => {
  const degraded: HealthReport = { ...OK, status: "degraded", checks: { kv: "ok", db: "fail" } };
  const h = monitored({ report: degraded });
  assert.deepEqual(await h.monitor.report(), degraded);
});
