import assert from "node:assert/strict";
import { startTestApp } from "../support/app.ts";
import {
  createRequestMetrics,
  minuteOf,
  readRequestMetrics,
} from "../../app/observability/request-metrics.server.ts";
import { percentile } from "../../app/observability/histogram.ts";

/** A KV whose writes (atomic commits and direct set/delete/sum) are counted. */
function countingKv(kv: Deno.Kv) {
  const counts = { commits: 0, directWrites: 0 };
  const wrapped = new Proxy(kv, {
    get(target, prop) {
      if (prop === "atomic") {
        return () => {
          const op = target.atomic();
          const proxy: Deno.AtomicOperation = new Proxy(op, {
            get(inner, name) {
              const value = Reflect.get(inner, name, inner);
              if (typeof value !== "function") return value;
              if (name === "commit") {
                return () => {
                  counts.commits++;
                  return inner.commit();
                };
              }
              return (...args: unknown[]) => {
                const result = value.apply(inner, args);
                return result === inner ? proxy : result;
              };
            },
          });
          return proxy;
        };
      }
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (prop === "set" || prop === "delete" || prop === "enqueue") counts.directWrites++;
        return value.apply(target, args);
      };
    },
  });
  return { kv: wrapped, counts };
}

const NOW = Date.UTC(2026, 0, 5, 10, 30, 15);

Deno.test("metrics: recording does no I/O; a flush is one commit whatever the batch size", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    for (const n of [10, 1_000, 20_000]) {
      const { kv: counted, counts } = countingKv(kv);
      const metrics = createRequestMetrics({ kv: counted, now: () => NOW });
      for (let i = 0; i < n; i++) {
        metrics.record({
          route: ["/", "/p/:slug", "/projects", "/api/health"][i % 4],
          status: i % 50 === 0 ? 500 : 200,
          durationMs: 1 + (i % 300),
          ttfbMs: 1 + (i % 40),
        });
      }
      assert.equal(counts.commits + counts.directWrites, 0, "requests wrote nothing to KV");
      assert.equal(metrics.pending(), n);
      assert.equal(await metrics.flush(), 1);
      assert.equal(counts.commits, 1, `${n} requests over 4 routes flush in one commit`);
      assert.equal(counts.directWrites, 0);
      assert.equal(metrics.pending(), 0);
      assert.equal(await metrics.flush(), 0, "nothing pending: no commit");
      assert.equal(counts.commits, 1);
    }
  } finally {
    kv.close();
  }
});

Deno.test("metrics: commits stay under KV's mutation limit and grow with routes, not requests", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const { kv: counted, counts } = countingKv(kv);
    const metrics = createRequestMetrics({ kv: counted, now: () => NOW });
    // 60 routes with every latency bucket filled: ~60 × 164 sums, more than one commit holds.
    for (let route = 0; route < 60; route++) {
      for (let ms = 0.5; ms < 70_000; ms *= 1.15) {
        metrics.record({ route: `/r${route}`, status: 200, durationMs: ms, ttfbMs: ms });
      }
    }
    const commits = await metrics.flush();
    assert.equal(counts.commits, commits);
    assert.ok(commits > 1 && commits <= 12, `${commits} commits`);
    const series = await readRequestMetrics(kv, {
      resolution: "minute",
      from: minuteOf(NOW),
      to: minuteOf(NOW) + 1,
    });
    assert.equal(series.get(minuteOf(NOW))?.size, 60, "every route arrived");
  } finally {
    kv.close();
  }
});

Deno.test("metrics: flushes from two instances add up, per minute and per hour", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const a = createRequestMetrics({ kv, now: () => NOW });
    const b = createRequestMetrics({ kv, now: () => NOW });
    for (let i = 0; i < 90; i++) a.record({ route: "/", status: 200, durationMs: 4, ttfbMs: 2 });
    for (let i = 0; i < 10; i++) b.record({ route: "/", status: 503, durationMs: 900, ttfbMs: 2 });
    await Promise.all([a.flush(), b.flush()]);
    for (const resolution of ["minute", "hour"] as const) {
      const slot = resolution === "minute" ? minuteOf(NOW) : Math.floor(minuteOf(NOW) / 60);
      const series = await readRequestMetrics(kv, { resolution, from: slot, to: slot + 1 });
      const counters = series.get(slot)!.get("/")!;
      assert.equal(counters.count, 100);
      assert.deepEqual(counters.status, [0, 90, 0, 0, 10]);
      assert.ok(percentile(counters.duration, 0.5)! <= 5);
      assert.ok(percentile(counters.duration, 0.95)! > 800);
    }
  } finally {
    kv.close();
  }
});

Deno.test("metrics: the handler records per route pattern, after the body is sent", async () => {
  const app = await startTestApp();
  try {
    const { metrics, kv } = app.services;
    const get = async (path: string) => {
      const response = await app.fetch(path, { redirect: "manual" });
      await response.body?.cancel();
      return response;
    };
    const read = async (path: string) => {
      const response = await app.fetch(path, { redirect: "manual" });
      await response.text();
      return response;
    };
    for (let i = 0; i < 6; i++) await read("/api/health");
    const login = await read("/login");
    assert.match(login.headers.get("server-timing") ?? "", /render;dur=.*total;dur=/);
    await read("/projects/01ARZ3NDEKTSV4RRFFQ69G5FAV");
    await read("/projects/01BX5ZZKBKACTAV9WEVGEMMVRZ");
    await read("/no/such/page");
    await read("/favicon.svg");
    await get("/login");
    assert.equal(metrics.pending(), 12);

    await metrics.flush();
    const minute = minuteOf(Date.now());
    const series = await readRequestMetrics(kv, {
      resolution: "minute",
      from: minute - 1,
      to: minute + 1,
    });
    const totals = new Map<string, { count: number; status: number[] }>();
    for (const routes of series.values()) {
      for (const [route, c] of routes) {
        const t = totals.get(route) ?? { count: 0, status: [0, 0, 0, 0, 0] };
        t.count += c.count;
        c.status.forEach((n, i) => t.status[i] += n);
        totals.set(route, t);
      }
    }
    assert.equal(totals.get("/api/health")?.count, 6);
    assert.equal(totals.get("/login")?.count, 2);
    assert.deepEqual(totals.get("/projects/:id")?.status, [0, 0, 2, 0, 0], "redirects to login");
    assert.deepEqual(totals.get("/*")?.status, [0, 0, 0, 1, 0]);
    assert.equal(totals.get("static")?.count, 1);
    assert.ok(![...totals.keys()].some((route) => route.includes("01ARZ")), "no raw URLs");
  } finally {
    await app.close();
  }
});
