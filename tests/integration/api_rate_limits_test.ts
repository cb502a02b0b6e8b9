/** Rate limits per token and per IP, exact under concurrency, with RateLimit-* and Retry-After. */
import assert from "node:assert/strict";
import { API_LIMITS } from "../../app/api/rate-limits.server.ts";
import { moreTokens, signUp, startApi } from "../support/api.ts";
import type { ApiResponse } from "../support/api.ts";

/** Fixed windows: start a burst early in a window, so it cannot straddle two. */
async function startOfWindow(windowMs: number, needMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 20));
}

function tally(responses: ApiResponse[]) {
  const ok = responses.filter((r) => r.status === 200);
  const limited = responses.filter((r) => r.status === 429);
  return { ok, limited, other: responses.length - ok.length - limited.length };
}

function assertRefusals(limited: ApiResponse[]) {
  for (const response of limited) {
    assert.equal(response.json.type, "https://atlas9.dev/problems/rate-limited");
    assert.equal(response.headers.get("Content-Type"), "application/problem+json");
    assert.equal(response.headers.get("RateLimit-Remaining"), "0");
    const retryAfter = Number(response.headers.get("Retry-After"));
    assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
  }
}

Deno.test("500 concurrent requests on one token: exactly the token's limit succeed", async () => {
  const api = await startApi();
  try {
    const { token, userId } = await signUp(api);
    const limit = API_LIMITS.token.limit;
    assert.ok(limit < 500 && API_LIMITS.ip.limit > 500, "the token limit is the one tested");
    await startOfWindow(API_LIMITS.token.windowMs, 20_000);
    const responses = await Promise.all(
      Array.from({ length: 500 }, () => api.call("GET", "/api/v1/projects", { token })),
    );
    const { ok, limited, other } = tally(responses);
    assert.equal(other, 0);
    assert.equal(ok.length, limit);
    assert.equal(limited.length, 500 - limit);
    const remaining = ok.map((r) => Number(r.headers.get("RateLimit-Remaining")));
    assert.deepEqual(
      remaining.sort((a, b) => a - b),
      Array.from({ length: limit }, (_, i) => i),
      "every unit handed out exactly once",
    );
    for (const response of ok) {
      assert.equal(response.headers.get("RateLimit-Limit"), String(limit));
      const reset = Number(response.headers.get("RateLimit-Reset"));
      assert.ok(reset >= 0 && reset <= 60);
    }
    assertRefusals(limited);

    const [second] = await moreTokens(api, userId, 1);
    const fresh = await api.call("GET", "/api/v1/projects", { token: second });
    assert.equal(fresh.status, 200, "another token has its own budget");
  } finally {
    await api.close();
  }
});

Deno.test("concurrent requests from one IP: exactly the IP's limit pass, across tokens", async () => {
  const api = await startApi();
  try {
    const { userId } = await signUp(api);
    const tokens = await moreTokens(api, userId, 3);
    const limit = API_LIMITS.ip.limit;
    const total = limit + 100;
    assert.ok(total / tokens.length < API_LIMITS.token.limit, "no token reaches its own limit");
    await startOfWindow(API_LIMITS.ip.windowMs, 20_000);
    const responses = await Promise.all(
      Array.from(
        { length: total },
        (_, i) =>
          api.call("GET", "/api/v1/projects", {
            token: tokens[i % tokens.length],
            ip: "192.0.2.7",
          }),
      ),
    );
    const { ok, limited, other } = tally(responses);
    assert.equal(other, 0);
    assert.equal(ok.length, limit);
    assert.equal(limited.length, 100);
    assertRefusals(limited);

    const anonymous = await api.call("GET", "/api/v1/openapi.json", { ip: "192.0.2.7" });
    assert.equal(anonymous.status, 429, "anonymous requests count against the IP too");
    const elsewhere = await api.call("GET", "/api/v1/openapi.json", { ip: "192.0.2.8" });
    assert.equal(elsewhere.status, 200);
    assert.equal(elsewhere.headers.get("RateLimit-Remaining"), String(limit - 1));
  } finally {
    await api.close();
  }
});

Deno.test("sign-ups are limited per IP", async () => {
  const api = await startApi();
  try {
    const limit = API_LIMITS.signup.limit;
    // Refusals must still read more than a minute to wait: keep two minutes of the hour.
    await startOfWindow(API_LIMITS.signup.windowMs, 120_000);
    const responses = await Promise.all(
      Array.from({ length: limit + 3 }, (_, i) =>
        api.call("POST", "/api/v1/users", {
          ip: "198.51.100.4",
          body: { email: `burst${i}@example.com`, password: "long enough secret" },
        })),
    );
    assert.equal(responses.filter((r) => r.status === 201).length, limit);
    const limited = responses.filter((r) => r.status === 429);
    assert.equal(limited.length, 3);
    assert.ok(limited.every((r) => Number(r.headers.get("Retry-After")) > 60), "an hour window");
  } finally {
    await api.close();
  }
});

Deno.test("an authenticated request takes its IP and token units in one KV commit", async () => {
  const api = await startApi();
  try {
    const { token } = await signUp(api);
    const kv = api.app.services.kv;
    const rateCommits: number[] = [];
    const atomic = kv.atomic.bind(kv);
    kv.atomic = () => {
      const op = atomic();
      let rateKeys = 0;
      const set = op.set.bind(op);
      op.set = (key, value, options) => {
        if (key[0] === "rate") rateKeys++;
        return set(key, value, options);
      };
      const commit = op.commit.bind(op);
      op.commit = () => {
        if (rateKeys > 0) rateCommits.push(rateKeys);
        return commit();
      };
      return op;
    };
    const before = { ip: API_LIMITS.ip.limit, token: API_LIMITS.token.limit };
    const first = await api.call("GET", "/api/v1/projects", { token, ip: "203.0.113.9" });
    assert.equal(first.status, 200);
    assert.deepEqual(rateCommits, [2], "one commit holding both counters");
    assert.equal(first.headers.get("RateLimit-Remaining"), String(before.token - 1));
    const anonymous = await api.call("GET", "/api/v1/openapi.json", { ip: "203.0.113.9" });
    assert.equal(anonymous.status, 200);
    assert.equal(anonymous.headers.get("RateLimit-Remaining"), String(before.ip - 2));
    const wrong = await api.call("GET", "/api/v1/projects", {
      token: "a9_wrong",
      ip: "203.0.113.9",
    });
    assert.equal(wrong.status, 401);
    assert.deepEqual(rateCommits, [2, 1, 1], "a failed token still counts against its IP, once");
    const after = await api.call("GET", "/api/v1/openapi.json", { ip: "203.0.113.9" });
    assert.equal(after.headers.get("RateLimit-Remaining"), String(before.ip - 4));
  } finally {
    await api.close();
  }
});
