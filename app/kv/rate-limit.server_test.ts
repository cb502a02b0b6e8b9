import assert from "node:assert/strict";
import { rateLimitKey } from "./keys.ts";
import { consume, consumeAll, peek, refund, reset } from "./rate-limit.server.ts";

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const MINUTE = 60_000;

for (const limit of [1, 7, 50]) {
  Deno.test(`consume is exact under 500 concurrent requests (limit ${limit})`, async () => {
    using kv = await Deno.openKv(":memory:");
    const results = await Promise.all(
      Array.from(
        { length: 500 },
        () => consume({ kv, scope: "burst", subject: "ip-1", limit, windowMs: MINUTE, now: T0 }),
      ),
    );
    assert.equal(results.filter((r) => r.allowed).length, limit);
    assert.equal((await kv.get(rateLimitKey("burst", "ip-1", T0))).value, limit);
    const remaining = results.filter((r) => r.allowed).map((r) => r.remaining).sort((a, b) =>
      a - b
    );
    assert.deepEqual(remaining, Array.from({ length: limit }, (_, i) => i));
  });
}

Deno.test("consume counts down and refuses with Retry-After until the window ends", async () => {
  using kv = await Deno.openKv(":memory:");
  const base = { kv, scope: "api", subject: "user-1", limit: 3, windowMs: MINUTE };
  const seen = [];
  for (let i = 0; i < 4; i++) seen.push(await consume({ ...base, now: T0 + 15_000 }));
  assert.deepEqual(seen.map((r) => [r.allowed, r.remaining, r.retryAfterSeconds]), [
    [true, 2, 0],
    [true, 1, 0],
    [true, 0, 0],
    [false, 0, 45],
  ]);
  assert.equal(seen[3].resetAt, T0 + MINUTE);
  assert.equal(seen[3].limit, 3);
  const later = await consume({ ...base, now: T0 + MINUTE + 1 });
  assert.deepEqual([later.allowed, later.remaining], [true, 2]);
});

Deno.test("retryAfterSeconds is at least 1 when refused at the window's edge", async () => {
  using kv = await Deno.openKv(":memory:");
  const base = { kv, scope: "api", subject: "user-1", limit: 1, windowMs: MINUTE };
  await consume({ ...base, now: T0 + MINUTE - 10 });
  const refused = await consume({ ...base, now: T0 + MINUTE - 10 });
  assert.equal(refused.allowed, false);
  assert.equal(refused.retryAfterSeconds, 1);
});

Deno.test("subjects and scopes are limited independently", async () => {
  using kv = await Deno.openKv(":memory:");
  const base = { kv, limit: 1, windowMs: MINUTE, now: T0 };
  assert.equal((await consume({ ...base, scope: "a", subject: "x" })).allowed, true);
  assert.equal((await consume({ ...base, scope: "a", subject: "y" })).allowed, true);
  assert.equal((await consume({ ...base, scope: "b", subject: "x" })).allowed, true);
  assert.equal((await consume({ ...base, scope: "a", subject: "x" })).allowed, false);
});

Deno.test("peek reports without consuming; refund and reset give units back", async () => {
  using kv = await Deno.openKv(":memory:");
  const base = { kv, scope: "login", subject: "ip", limit: 2, windowMs: MINUTE, now: T0 };
  await consume(base);
  await consume(base);
  assert.deepEqual([(await peek(base)).allowed, (await peek(base)).remaining], [false, 0]);
  await refund(base);
  assert.deepEqual([(await peek(base)).allowed, (await peek(base)).remaining], [true, 1]);
  await reset(base);
  assert.equal((await peek(base)).remaining, 2);
  await refund(base);
  assert.equal((await peek(base)).remaining, 2, "refund never goes below zero");
});

Deno.test("a corrupt counter is replaced instead of blocking forever", async () => {
  using kv = await Deno.openKv(":memory:");
  await kv.set(rateLimitKey("api", "u", T0), "garbage");
  const warn = console.warn;
  console.warn = () => {};
  try {
    const result = await consume({
      kv,
      scope: "api",
      subject: "u",
      limit: 2,
      windowMs: MINUTE,
      now: T0,
    });
    assert.deepEqual([result.allowed, result.remaining], [true, 1]);
  } finally {
    console.warn = warn;
  }
});

Deno.test("consume rejects nonsensical limits", async () => {
  using kv = await Deno.openKv(":memory:");
  await assert.rejects(
    consume({ kv, scope: "a", subject: "b", limit: 0, windowMs: MINUTE }),
    RangeError,
  );
  await assert.rejects(
    consume({ kv, scope: "a", subject: "b", limit: 1, windowMs: 0 }),
    RangeError,
  );
});

Deno.test("consumeAll takes from two windows in one commit, all or none, exact under 400 concurrent calls", async () => {
  using kv = await Deno.openKv(":memory:");
  let commits = 0;
  const atomic = kv.atomic.bind(kv);
  kv.atomic = () => {
    const op = atomic();
    const commit = op.commit.bind(op);
    op.commit = () => {
      commits++;
      return commit();
    };
    return op;
  };
  // Four subjects share one "ip" window of 30; each has its own "token" window of 10.
  const call = (i: number) =>
    consumeAll([
      { kv, scope: "ip", subject: "ip-1", limit: 30, windowMs: MINUTE, now: T0 },
      { kv, scope: "token", subject: `t${i % 4}`, limit: 10, windowMs: MINUTE, now: T0 },
    ]);
  const results = await Promise.all(Array.from({ length: 400 }, (_, i) => call(i)));
  const passed = results.filter((pair) => pair.every((r) => r.allowed));
  assert.equal(passed.length, 30, "the shared window decides");
  assert.equal((await kv.get(rateLimitKey("ip", "ip-1", T0))).value, 30);
  let tokenSum = 0;
  for (let t = 0; t < 4; t++) {
    const taken = (await kv.get<number>(rateLimitKey("token", `t${t}`, T0))).value ?? 0;
    assert.ok(taken <= 10);
    tokenSum += taken;
  }
  assert.equal(tokenSum, 30, "a refused call took nothing from the other window");
  assert.deepEqual(
    passed.map(([ip]) => ip.remaining).sort((a, b) => a - b),
    Array.from({ length: 30 }, (_, i) => i),
  );
  // Sequentially, one successful call is one commit for both windows.
  commits = 0;
  await consumeAll([
    { kv, scope: "ip", subject: "ip-2", limit: 5, windowMs: MINUTE, now: T0 },
    { kv, scope: "token", subject: "t9", limit: 5, windowMs: MINUTE, now: T0 },
  ]);
  assert.equal(commits, 1);
});

Deno.test("consumeAll refuses on the spent window and reports it", async () => {
  using kv = await Deno.openKv(":memory:");
  const ip = { kv, scope: "ip", subject: "ip-1", limit: 5, windowMs: MINUTE, now: T0 };
  const token = { kv, scope: "token", subject: "t", limit: 1, windowMs: MINUTE, now: T0 };
  assert.ok((await consumeAll([ip, token])).every((r) => r.allowed));
  const [ipResult, tokenResult] = await consumeAll([ip, token]);
  assert.equal(tokenResult.allowed, false);
  assert.equal(tokenResult.retryAfterSeconds, 60);
  assert.deepEqual([ipResult.allowed, ipResult.remaining], [true, 4], "the IP unit stays");
  assert.equal((await peek(ip)).remaining, 4);
});
