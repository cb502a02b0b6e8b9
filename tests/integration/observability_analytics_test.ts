import assert from "node:assert/strict";
import { startTestApp } from "../support/app.ts";
import type { TestApp } from "../support/app.ts";
import {
  BEACON_LIMIT_PER_MINUTE,
  MAX_BEACON_BYTES,
  readVitals,
} from "../../app/observability/rum.server.ts";
import { hourOf } from "../../app/observability/request-metrics.server.ts";
import { percentile } from "../../app/observability/histogram.ts";

function beacon(app: TestApp, body: unknown, headers: Record<string, string> = {}) {
  return app.fetch("/api/analytics", {
    method: "POST",
    headers: {
      "Content-Type": "text/plain;charset=UTF-8",
      "Sec-Fetch-Site": "same-origin",
      ...headers,
    },
    body: typeof body === "string" || body instanceof ReadableStream ? body : JSON.stringify(body),
  });
}

const VALID = {
  route: "routes/_index",
  metrics: [
    { name: "LCP", value: 1234.5 },
    { name: "CLS", value: 0.012 },
    { name: "INP", value: 88 },
    { name: "FCP", value: 640 },
    { name: "TTFB", value: 45.2 },
  ],
};

Deno.test("analytics: a valid beacon is stored per route pattern and hour, readable as p75", async () => {
  const app = await startTestApp();
  try {
    for (const lcp of [1000, 1200, 1400, 3000]) {
      const response = await beacon(app, {
        route: "routes/_index",
        metrics: [{ name: "LCP", value: lcp }, { name: "CLS", value: 0.05 }],
      });
      assert.equal(response.status, 204);
    }
    assert.equal((await beacon(app, VALID)).status, 204);
    const hour = hourOf(Date.now());
    const vitals = await readVitals(app.services.kv, { fromHour: hour - 1, toHour: hour + 1 });
    const home = vitals.get("/");
    assert.ok(home, `routes stored: ${[...vitals.keys()]}`);
    const lcp = percentile(home.get("LCP")!, 0.75)!;
    assert.ok(lcp > 1250 && lcp <= 1500, `LCP p75 ${lcp}`);
    const cls = percentile(home.get("CLS")!, 0.75)! / 1000;
    assert.ok(cls > 0.04 && cls <= 0.05, `CLS p75 ${cls}`);
    assert.equal(home.get("TTFB")!.reduce((a, b) => a + b, 0), 1);
  } finally {
    await app.close();
  }
});

Deno.test("analytics: invalid beacons are refused with 400 and store nothing", async () => {
  const app = await startTestApp();
  try {
    const cases: [string, unknown][] = [
      ["not JSON", "LCP=1200"],
      ["unknown route id", { ...VALID, route: "routes/made-up" }],
      ["unknown metric", { route: "routes/_index", metrics: [{ name: "FID", value: 3 }] }],
      ["negative value", { route: "routes/_index", metrics: [{ name: "LCP", value: -1 }] }],
      ["absurd value", { route: "routes/_index", metrics: [{ name: "LCP", value: 1e9 }] }],
      ["string value", { route: "routes/_index", metrics: [{ name: "LCP", value: "1200" }] }],
      ["no metrics", { route: "routes/_index", metrics: [] }],
      ["repeated metric", {
        route: "routes/_index",
        metrics: [{ name: "LCP", value: 1 }, { name: "LCP", value: 2 }],
      }],
      ["extra field", { ...VALID, user: "someone@example.com" }],
    ];
    for (const [label, body] of cases) {
      const response = await beacon(app, body);
      assert.equal(response.status, 400, label);
      assert.equal(response.headers.get("content-type"), "application/problem+json");
      await response.body?.cancel();
    }
    const hour = hourOf(Date.now());
    const vitals = await readVitals(app.services.kv, { fromHour: hour - 1, toHour: hour + 1 });
    assert.equal(vitals.size, 0);

    const crossSite = await beacon(app, VALID, { "Sec-Fetch-Site": "cross-site" });
    assert.equal(crossSite.status, 403);
    await crossSite.body?.cancel();
    const get = await app.fetch("/api/analytics");
    assert.equal(get.status, 405);
    await get.body?.cancel();
  } finally {
    await app.close();
  }
});

Deno.test("analytics: bodies over the beacon limit are refused with 413", async () => {
  const app = await startTestApp();
  try {
    const padded = JSON.stringify({ ...VALID, route: "r".repeat(MAX_BEACON_BYTES) });
    const declared = await beacon(app, padded);
    assert.equal(declared.status, 413);
    await declared.body?.cancel();
    // Streamed without a Content-Length: the text itself is measured.
    const streamed = await beacon(app, new Blob([padded]).stream());
    assert.equal(streamed.status, 413);
    await streamed.body?.cancel();
  } finally {
    await app.close();
  }
});

Deno.test("analytics: each IP may send a limited number of beacons per minute", async () => {
  const app = await startTestApp();
  try {
    for (let i = 0; i < BEACON_LIMIT_PER_MINUTE; i++) {
      const response = await beacon(app, VALID);
      assert.equal(response.status, 204, `beacon ${i + 1}`);
    }
    const refused = await beacon(app, VALID);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
    await refused.body?.cancel();
  } finally {
    await app.close();
  }
});
