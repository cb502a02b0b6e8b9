import assert from "node:assert/strict";
import {
  createSyntheticChecks,
  readCheckResults,
  readCheckRollup,
  readIncidents,
  SLOW_CHECK_MS,
} from "../../app/observability/synthetic.server.ts";
import { hourOf, minuteOf } from "../../app/observability/request-metrics.server.ts";

/** A Slack-compatible webhook on loopback that records what it is sent. */
function startFakeWebhook(options: { failFirst?: number } = {}) {
  const received: { text: string }[] = [];
  let calls = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    calls++;
    const body = await req.json();
    if (calls <= (options.failFirst ?? 0)) return new Response("unavailable", { status: 503 });
    received.push(body);
    return new Response("ok");
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/services/T000/B000/XXXX`,
    received,
    get calls() {
      return calls;
    },
    close: () => server.shutdown(),
  };
}

type Step = { status: number; ms?: number } | { throws: string };

/** A checked app whose answers follow a script, on a fake clock. */
function scripted(steps: Step[]) {
  let index = 0;
  let clockMs = 0;
  let wallMs = Date.UTC(2026, 0, 5, 10, 0, 0);
  return {
    clock: () => clockMs,
    now: () => wallMs,
    /** Advances the wall clock by a minute (one cron tick). */
    tick() {
      wallMs += 60_000;
    },
    fetch(_request: Request): Promise<Response> {
      const step = steps[Math.min(index++, steps.length - 1)];
      if ("throws" in step) return Promise.reject(new Error(step.throws));
      clockMs += step.ms ?? 20;
      return Promise.resolve(new Response("body", { status: step.status }));
    },
  };
}

const TARGETS = () => Promise.resolve([{ name: "health", path: "/api/health" }]);

Deno.test("alerts: one alert per incident, one on recovery, and a new incident alerts again", async () => {
  const kv = await Deno.openKv(":memory:");
  const webhook = startFakeWebhook();
  try {
    const app = scripted([
      { status: 200 },
      { status: 503 },
      { status: 503 },
      { throws: "connection refused" },
      { status: 200 },
      { status: 200 },
      { status: 200, ms: SLOW_CHECK_MS + 500 },
      { status: 200, ms: SLOW_CHECK_MS + 800 },
      { status: 200 },
    ]);
    const checks = createSyntheticChecks({
      kv,
      fetch: app.fetch,
      origin: "http://localhost",
      targets: TARGETS,
      webhookUrl: webhook.url,
      now: app.now,
      clock: app.clock,
    });
    const expected: (RegExp | null)[] = [
      null,
      /health.*failing: HTTP 503/,
      null,
      null,
      /health.*recovered: HTTP 200/,
      null,
      /health.*failing: took 1500 ms \(limit 1000 ms\)/,
      null,
      /health.*recovered/,
    ];
    for (const [i, pattern] of expected.entries()) {
      const before = webhook.received.length;
      await checks.run();
      app.tick();
      const sent = webhook.received.slice(before);
      if (pattern === null) assert.equal(sent.length, 0, `check ${i + 1}: no alert`);
      else {
        assert.equal(sent.length, 1, `check ${i + 1}: one alert`);
        assert.match(sent[0].text, pattern);
      }
    }
    assert.equal(webhook.received.length, 4);
    assert.deepEqual(await readIncidents(kv), []);

    const start = minuteOf(app.now()) - expected.length;
    const results = await readCheckResults(kv, { fromMinute: start, toMinute: start + 20 });
    assert.equal(results.length, expected.length);
    assert.deepEqual(results.map((r) => r.ok), [
      true,
      false,
      false,
      false,
      true,
      true,
      true,
      true,
      true,
    ]);
    assert.equal(results[3].error, "connection refused");
    const hour = hourOf(app.now());
    const rollup = await readCheckRollup(kv, { fromHour: hour - 1, toHour: hour + 1 });
    const counters = [...rollup.values()].map((t) => t.get("health")!);
    assert.equal(counters.reduce((n, c) => n + c.count, 0), 9);
    assert.equal(counters.reduce((n, c) => n + c.failed, 0), 3);
    assert.equal(counters.reduce((n, c) => n + c.slow, 0), 2);
  } finally {
    await webhook.close();
    kv.close();
  }
});

Deno.test("alerts: a webhook that fails is retried on the next check, then never repeated", async () => {
  const kv = await Deno.openKv(":memory:");
  const webhook = startFakeWebhook({ failFirst: 1 });
  try {
    const app = scripted([{ status: 500 }]);
    const checks = createSyntheticChecks({
      kv,
      fetch: app.fetch,
      origin: "http://localhost",
      targets: TARGETS,
      webhookUrl: webhook.url,
      now: app.now,
      clock: app.clock,
    });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      for (let i = 0; i < 4; i++) {
        await checks.run();
        app.tick();
      }
    } finally {
      console.error = original;
    }
    assert.equal(webhook.calls, 2, "first post failed, second delivered, then silence");
    assert.equal(webhook.received.length, 1);
    assert.equal(errors.length, 1, "the failed post was logged once");
    const [incident] = await readIncidents(kv);
    assert.equal(incident.alerted, true);
    assert.equal(incident.reason, "HTTP 500");
  } finally {
    await webhook.close();
    kv.close();
  }
});

Deno.test("alerts: two instances checking at once alert only once", async () => {
  const kv = await Deno.openKv(":memory:");
  const webhook = startFakeWebhook();
  try {
    const make = () => {
      const app = scripted([{ status: 502 }]);
      return createSyntheticChecks({
        kv,
        fetch: app.fetch,
        origin: "http://localhost",
        targets: TARGETS,
        webhookUrl: webhook.url,
        now: app.now,
        clock: app.clock,
      });
    };
    await Promise.all([make().run(), make().run(), make().run()]);
    assert.equal(webhook.received.length, 1);
  } finally {
    await webhook.close();
    kv.close();
  }
});

Deno.test("alerts: without ALERT_WEBHOOK_URL incidents are recorded and nothing is posted", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const app = scripted([{ status: 503 }, { status: 200 }]);
    const checks = createSyntheticChecks({
      kv,
      fetch: app.fetch,
      origin: "http://localhost",
      targets: TARGETS,
      now: app.now,
      clock: app.clock,
      post: () => Promise.reject(new Error("must not post")),
    });
    await checks.run();
    assert.equal((await readIncidents(kv)).length, 1);
    app.tick();
    await checks.run();
    assert.equal((await readIncidents(kv)).length, 0);
  } finally {
    kv.close();
  }
});
