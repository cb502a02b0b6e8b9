import assert from "node:assert/strict";
import { classifyHttpFailure, retryAfterMs } from "./errors.server.ts";

Deno.test("classifyHttpFailure decides by status and body type/code", () => {
  const cases: [number | undefined, string | null, string | null, string][] = [
    [429, "insufficient_quota", "insufficient_quota", "quota_exhausted"],
    [429, "rate_limit_error", "enforced_spend_limit_reached", "quota_exhausted"],
    [402, "billing_error", null, "quota_exhausted"],
    [429, "rate_limit_error", null, "rate_limited"],
    [429, null, null, "rate_limited"],
    [400, "invalid_request_error", null, "bad_request"],
    [404, "not_found_error", null, "bad_request"],
    [401, "authentication_error", null, "auth"],
    [403, "permission_error", null, "auth"],
    [500, "api_error", null, "server"],
    [503, null, null, "server"],
    [529, "overloaded_error", null, "overloaded"],
    // Error events inside a 200 stream carry no status.
    [undefined, "overloaded_error", null, "overloaded"],
    [undefined, "api_error", null, "server"],
    [undefined, "rate_limit_error", null, "rate_limited"],
  ];
  for (const [status, type, code, kind] of cases) {
    const error = classifyHttpFailure("p", { status, type, code, message: "m" });
    assert.equal(error.kind, kind, `${status} ${type} ${code}`);
    assert.equal(error.provider, "p");
    assert.equal(error.status, status);
  }
});

Deno.test("the message wording never decides the kind", () => {
  const error = classifyHttpFailure("p", {
    status: 500,
    message: "429 insufficient_quota overloaded",
  });
  assert.equal(error.kind, "server");
});

Deno.test("a rate limit carries retry-after in milliseconds", () => {
  const headers = new Headers({ "retry-after": "3" });
  const error = classifyHttpFailure("p", { status: 429, headers, message: "slow down" });
  assert.equal(error.retryAfterMs, 3000);
  const quota = classifyHttpFailure("p", {
    status: 429,
    headers,
    type: "insufficient_quota",
    message: "pay",
  });
  assert.equal(quota.retryAfterMs, undefined);
});

Deno.test("retryAfterMs reads retry-after-ms, seconds, or an HTTP date", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  assert.equal(retryAfterMs(new Headers({ "retry-after-ms": "250" }), now), 250);
  assert.equal(
    retryAfterMs(new Headers({ "retry-after-ms": "250", "retry-after": "9" }), now),
    250,
  );
  assert.equal(retryAfterMs(new Headers({ "retry-after": "1.5" }), now), 1500);
  assert.equal(
    retryAfterMs(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:05 GMT" }), now),
    5000,
  );
  assert.equal(retryAfterMs(new Headers({ "retry-after": "soon" }), now), undefined);
  assert.equal(retryAfterMs(new Headers(), now), undefined);
});
