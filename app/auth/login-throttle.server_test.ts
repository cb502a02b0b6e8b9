import assert from "node:assert/strict";
import { checkLoginThrottle, clearLoginFailures, LOGIN_LIMITS } from "./login-throttle.server.ts";

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

Deno.test("an account is locked after 5 failed attempts, with Retry-After", async () => {
  using kv = await Deno.openKv(":memory:");
  const attempt = { kv, ipSubject: "198.51.100.7", email: "ada@example.com", now: T0 + 60_000 };
  for (let i = 0; i < LOGIN_LIMITS.account.limit; i++) {
    assert.equal((await checkLoginThrottle(attempt)).allowed, true, `attempt ${i + 1}`);
  }
  assert.deepEqual(await checkLoginThrottle(attempt), {
    allowed: false,
    limitedBy: "account",
    retryAfterSeconds: 14 * 60,
  });
  const otherAccount = await checkLoginThrottle({ ...attempt, email: "bob@example.com" });
  assert.equal(otherAccount.allowed, true);
});

Deno.test("the account limit ignores case and surrounding spaces of the email", async () => {
  using kv = await Deno.openKv(":memory:");
  for (let i = 0; i < LOGIN_LIMITS.account.limit; i++) {
    await checkLoginThrottle({
      kv,
      ipSubject: `203.0.113.${i}`,
      email: "Ada@Example.com ",
      now: T0,
    });
  }
  const result = await checkLoginThrottle({
    kv,
    ipSubject: "203.0.113.99",
    email: "ada@example.com",
    now: T0,
  });
  assert.equal(result.limitedBy, "account");
});

Deno.test("one IP is stopped after 20 attempts across many accounts", async () => {
  using kv = await Deno.openKv(":memory:");
  for (let i = 0; i < LOGIN_LIMITS.ip.limit; i++) {
    const result = await checkLoginThrottle({
      kv,
      ipSubject: "192.0.2.1",
      email: `user${i}@example.com`,
      now: T0,
    });
    assert.equal(result.allowed, true);
  }
  const blocked = await checkLoginThrottle({
    kv,
    ipSubject: "192.0.2.1",
    email: "victim@example.com",
    now: T0,
  });
  assert.equal(blocked.limitedBy, "ip");
  // The blocked IP did not spend the victim's account budget.
  for (let i = 0; i < LOGIN_LIMITS.account.limit; i++) {
    const fromElsewhere = await checkLoginThrottle({
      kv,
      ipSubject: "192.0.2.2",
      email: "victim@example.com",
      now: T0,
    });
    assert.equal(fromElsewhere.allowed, true);
  }
});

Deno.test("a burst of parallel guesses gets exactly the account's budget", async () => {
  using kv = await Deno.openKv(":memory:");
  const results = await Promise.all(
    Array.from(
      { length: 100 },
      (_, i) =>
        checkLoginThrottle({ kv, ipSubject: `10.0.${i}.1`, email: "ada@example.com", now: T0 }),
    ),
  );
  assert.equal(results.filter((r) => r.allowed).length, LOGIN_LIMITS.account.limit);
});

Deno.test("a successful login clears the account's failures and refunds the IP", async () => {
  using kv = await Deno.openKv(":memory:");
  const attempt = { kv, ipSubject: "198.51.100.7", email: "ada@example.com", now: T0 };
  for (let i = 0; i < LOGIN_LIMITS.account.limit; i++) await checkLoginThrottle(attempt);
  await clearLoginFailures(attempt);
  for (let i = 0; i < LOGIN_LIMITS.account.limit; i++) {
    assert.equal((await checkLoginThrottle(attempt)).allowed, true);
  }
  // 10 attempts were made, one refunded: 11 more fit under the IP limit of 20.
  for (let i = 0; i < 11; i++) {
    assert.equal(
      (await checkLoginThrottle({ ...attempt, email: `other${i}@example.com` })).allowed,
      true,
    );
  }
  assert.equal(
    (await checkLoginThrottle({ ...attempt, email: "last@example.com" })).limitedBy,
    "ip",
  );
});

Deno.test("emails are not stored in KV keys", async () => {
  using kv = await Deno.openKv(":memory:");
  await checkLoginThrottle({ kv, ipSubject: "198.51.100.7", email: "ada@example.com", now: T0 });
  const keys = [];
  for await (const entry of kv.list({ prefix: [] })) keys.push(JSON.stringify(entry.key));
  assert.equal(keys.some((key) => key.includes("ada")), false, keys.join(" "));
});
