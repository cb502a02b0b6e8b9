/**
 * Fault: KV write conflicts under concurrency. With 1,000 concurrent requests, every counter
 * and limit kept in KV is exact: rate limits per token, login throttles per IP and account,
 * the per-user cap on running generations, idempotency keys, and request metrics.
 */
import assert from "node:assert/strict";
import { API_LIMITS } from "../../app/api/rate-limits.server.ts";
import { LOGIN_LIMITS } from "../../app/auth/login-throttle.server.ts";
import { runningGenerationsKey } from "../../app/kv/keys.ts";
import { minuteOf, readRequestMetrics } from "../../app/observability/request-metrics.server.ts";
import { offlineGenerator, signUp, startApi } from "../support/api.ts";
import type { ApiApp, ApiResponse } from "../support/api.ts";
import { DIRECTIVE, PASSWORD, report } from "../support/reliability.ts";

const N = 1_000;

/** Fixed windows: start a burst early in a window, so it cannot straddle two. */
async function startOfWindow(windowMs: number, needMs = 8_000): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 20));
}

function statuses(responses: { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of responses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** Sum of the values of KV entries under `prefix`. */
async function counterSum(api: ApiApp, prefix: Deno.KvKey): Promise<number> {
  let sum = 0;
  for await (const entry of api.app.services.kv.list<number>({ prefix })) sum += entry.value;
  return sum;
}

/** A form POST through the whole handler from `ip`. */
function formPost(
  api: ApiApp,
  path: string,
  fields: Record<string, string>,
  ip: string,
  cookie?: string,
) {
  return api.call("POST", path, {
    rawBody: new URLSearchParams(fields),
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Host: "atlas9.test",
      Origin: "http://atlas9.test",
      ...(cookie ? { Cookie: cookie } : {}),
    },
    ip,
  });
}

Deno.test("kv conflicts: 1,000 concurrent calls on one token from 1,000 addresses, exactly its limit pass", async () => {
  const api = await startApi();
  try {
    const { token } = await signUp(api);
    const limit = API_LIMITS.token.limit;
    await startOfWindow(API_LIMITS.token.windowMs);
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        api.call("GET", "/api/v1/projects", {
          token,
          ip: `198.51.${Math.floor(i / 250)}.${i % 250}`,
        })),
    );
    assert.deepEqual(statuses(responses), { 200: limit, 429: N - limit });
    const remaining = responses.filter((r) => r.status === 200)
      .map((r) => Number(r.headers.get("RateLimit-Remaining")))
      .sort((a, b) => a - b);
    assert.deepEqual(remaining, Array.from({ length: limit }, (_, i) => i), "each unit once");
    assert.equal(await counterSum(api, ["rate", API_LIMITS.token.scope]), limit, "KV counter");
    report("kv conflicts: token limit, 1,000 concurrent: 200 / 429", `${limit} / ${N - limit}`);
  } finally {
    await api.close();
  }
});

Deno.test("kv conflicts: 1,000 concurrent wrong logins on one account: exactly 5 password checks", async () => {
  const api = await startApi();
  try {
    const { email } = await signUp(api);
    await startOfWindow(LOGIN_LIMITS.ip.windowMs, 60_000);
    const fromOneIp = await Promise.all(
      Array.from(
        { length: N },
        () => formPost(api, "/login", { email, password: "wrong password, again" }, "203.0.113.9"),
      ),
    );
    const account = LOGIN_LIMITS.account.limit;
    assert.deepEqual(statuses(fromOneIp), { 400: account, 429: N - account });
    assert.equal(await counterSum(api, ["rate", LOGIN_LIMITS.ip.scope]), LOGIN_LIMITS.ip.limit);
    assert.equal(await counterSum(api, ["rate", LOGIN_LIMITS.account.scope]), account);

    // From 1,000 addresses the account limit alone decides: still 5, and no IP is blocked.
    const other = await signUp(api);
    const spread = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        formPost(
          api,
          "/login",
          { email: other.email, password: "wrong password, again" },
          `198.18.${Math.floor(i / 250)}.${i % 250}`,
        )),
    );
    assert.deepEqual(statuses(spread), { 400: account, 429: N - account });
    const right = await formPost(
      api,
      "/login",
      { email: other.email, password: PASSWORD },
      "198.19.0.1",
    );
    assert.equal(right.status, 429, "the locked account refuses even the right password");
    report("kv conflicts: login throttle, 1,000 concurrent: password checks", account);
  } finally {
    await api.close();
  }
});

Deno.test("kv conflicts: 1,000 concurrent new projects by one user: exactly 2 run, none left behind", async () => {
  const api = await startApi({ generate: offlineGenerator({ delayMs: 20 }) });
  try {
    const browser = await formPost(api, "/signup", {
      email: "burst@example.com",
      password: PASSWORD,
    }, "192.0.2.50");
    assert.equal(browser.status, 302);
    const cookie = browser.headers.get("set-cookie")!.split(";")[0];
    const responses = await Promise.all(
      Array.from(
        { length: N },
        () => formPost(api, "/projects", { directive: DIRECTIVE }, "192.0.2.50", cookie),
      ),
    );
    const locations = responses.map((r) => r.headers.get("location") ?? "");
    const created = locations.filter((l) => /^\/projects\/[0-9A-Z]{26}$/.test(l));
    const refused = locations.filter((l) => /error=generation_limit/.test(l));
    assert.deepEqual(statuses(responses), { 302: N });
    assert.equal(created.length, 2, "the per-user cap of running generations is exact");
    assert.equal(refused.length, N - 2);
    const user = await api.app.services.repos.users.findByEmail("burst@example.com");
    const running = await api.app.services.kv.get<string[]>(runningGenerationsKey(user!.id));
    assert.equal(running.value?.length, 2);
    const rows = await api.app.services.repos.projects.listForUser({
      userId: user!.id,
      limit: 100,
    });
    assert.equal(rows.items.length, 2, "refused creations leave no project row");
    await api.app.services.pipeline.idle();
    report("kv conflicts: generation cap, 1,000 concurrent: created / refused", `2 / ${N - 2}`);
  } finally {
    await api.close();
  }
});

Deno.test("kv conflicts: 1,000 concurrent retries of one Idempotency-Key create one project", async () => {
  const api = await startApi({ generate: offlineGenerator({ delayMs: 5 }) });
  try {
    const { token, userId } = await signUp(api);
    await startOfWindow(API_LIMITS.token.windowMs);
    const responses: ApiResponse[] = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        api.call("POST", "/api/v1/projects", {
          token,
          body: { directive: DIRECTIVE },
          headers: { "Idempotency-Key": "one-burst" },
          ip: `198.51.${Math.floor(i / 250)}.${i % 250}`,
        })),
    );
    const counts = statuses(responses);
    assert.equal(counts[429], N - API_LIMITS.token.limit, "the token limit is exact here too");
    assert.equal((counts[201] ?? 0) + (counts[409] ?? 0), API_LIMITS.token.limit);
    const created = responses.filter((r) => r.status === 201);
    assert.equal(new Set(created.map((r) => r.json.id)).size, 1, "one project id in every 201");
    assert.equal(created.filter((r) => r.headers.get("Idempotent-Replayed") === null).length, 1);
    const list = await api.app.services.repos.projects.listForUser({ userId, limit: 10 });
    assert.equal(list.items.length, 1, "exactly one project");
    await api.app.services.pipeline.idle();
    report("kv conflicts: idempotency, 1,000 concurrent: projects created", 1);
  } finally {
    await api.close();
  }
});

Deno.test("kv conflicts: request metrics count 1,000 concurrent requests exactly", async () => {
  const api = await startApi();
  try {
    await startOfWindow(60_000, 5_000);
    const responses = await Promise.all(
      Array.from(
        { length: N },
        (_, i) =>
          api.call("GET", "/api/v1/openapi.json", {
            ip: `198.51.${Math.floor(i / 250)}.${i % 250}`,
          }),
      ),
    );
    assert.deepEqual(statuses(responses), { 200: N });
    const { metrics, kv } = api.app.services;
    await metrics.flush();
    const minute = minuteOf(Date.now());
    const series = await readRequestMetrics(kv, {
      resolution: "minute",
      from: minute - 2,
      to: minute + 1,
    });
    let count = 0;
    for (const routes of series.values()) count += routes.get("/api/v1/openapi.json")?.count ?? 0;
    assert.equal(count, N);
    report("kv conflicts: request metrics, 1,000 concurrent: counted", count);
  } finally {
    await api.close();
  }
});
