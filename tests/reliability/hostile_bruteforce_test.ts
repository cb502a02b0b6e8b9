/**
 * Hostile input: password guessing. Login is throttled per IP and per account (form and API
 * alike); an unknown email and a wrong password get the same status and body, and take the
 * same time (medians of interleaved samples within 10 %).
 */
import assert from "node:assert/strict";
import { LOGIN_LIMITS } from "../../app/auth/login-throttle.server.ts";
import { signUp, startApi } from "../support/api.ts";
import type { ApiApp } from "../support/api.ts";
import { median, PASSWORD, report } from "../support/reliability.ts";

const SAMPLES = 40;

function login(api: ApiApp, fields: Record<string, string>, ip = "192.0.2.10") {
  return api.call("POST", "/login", {
    rawBody: new URLSearchParams(fields),
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Host: "atlas9.test",
      Origin: "http://atlas9.test",
    },
    ip,
  });
}

function tokenLogin(api: ApiApp, body: Record<string, string>, ip = "192.0.2.10") {
  return api.call("POST", "/api/v1/auth/token", { body, ip });
}

/** Forgets every rate-limit window, so sampling is never throttled. */
async function resetThrottles(api: ApiApp): Promise<void> {
  const kv = api.app.services.kv;
  for await (const entry of kv.list({ prefix: ["rate"] })) await kv.delete(entry.key);
}

Deno.test("brute force: throttled per IP and per account, on the form and the API", async () => {
  const api = await startApi();
  try {
    const victim = await signUp(api);
    const bystander = await signUp(api);

    // Per IP: guesses at many accounts from one address.
    for (let i = 0; i < LOGIN_LIMITS.ip.limit; i++) {
      const res = await login(
        api,
        { email: `guess-${i}@example.com`, password: "123456789" },
        "203.0.113.1",
      );
      assert.equal(res.status, 400);
    }
    const blocked = await login(api, { email: bystander.email, password: PASSWORD }, "203.0.113.1");
    assert.equal(blocked.status, 429, "the address is blocked, even with a right password");
    assert.match(blocked.headers.get("retry-after") ?? "", /^\d+$/);
    const viaApi = await tokenLogin(
      api,
      { email: bystander.email, password: PASSWORD },
      "203.0.113.1",
    );
    assert.equal(viaApi.status, 429, "the API shares the throttle");
    const elsewhere = await login(
      api,
      { email: bystander.email, password: PASSWORD },
      "203.0.113.2",
    );
    assert.equal(elsewhere.status, 302, "other addresses are not affected");

    // Per account: guesses at one account from many addresses.
    for (let i = 0; i < LOGIN_LIMITS.account.limit; i++) {
      const res = i % 2
        ? await login(api, { email: victim.email, password: "wrong-password" }, `198.51.100.${i}`)
        : await tokenLogin(
          api,
          { email: victim.email, password: "wrong-password" },
          `198.51.100.${i}`,
        );
      assert.ok([400, 401].includes(res.status), `guess ${i}: ${res.status}`);
    }
    const locked = await login(api, { email: victim.email, password: PASSWORD }, "198.51.100.200");
    assert.equal(locked.status, 429, "the account is locked, even with the right password");
    const lockedApi = await tokenLogin(
      api,
      { email: victim.email, password: PASSWORD },
      "198.51.100.201",
    );
    assert.equal(lockedApi.status, 429);
    const other = await tokenLogin(
      api,
      { email: bystander.email, password: PASSWORD },
      "198.51.100.202",
    );
    assert.equal(other.status, 200, "other accounts are not affected");
    report("brute force: attempts before the IP block", LOGIN_LIMITS.ip.limit);
    report("brute force: attempts before the account lock", LOGIN_LIMITS.account.limit);
  } finally {
    await api.close();
  }
});

Deno.test("brute force: unknown email and wrong password are indistinguishable, timing within 10%", async () => {
  const api = await startApi();
  try {
    const { email } = await signUp(api);
    const unknown = (i: number) => `nobody-${i}-${crypto.randomUUID().slice(0, 6)}@example.com`;

    // Status and body: the form (modulo the echoed email) and the API.
    const a = await login(api, { email: unknown(0), password: "wrong-password" });
    const b = await login(api, { email, password: "wrong-password" });
    assert.equal(a.status, b.status);
    const strip = (html: string, address: string) => html.replaceAll(address, "EMAIL");
    const formA = strip(a.text, /nobody-0-[a-z0-9-]+@example\.com/.exec(a.text)?.[0] ?? "");
    const formB = strip(b.text, email);
    assert.equal(normaliseNonces(formA), normaliseNonces(formB), "same page either way");
    assert.deepEqual(headerNames(a.headers), headerNames(b.headers));
    const c = await tokenLogin(api, { email: unknown(1), password: "wrong-password" });
    const d = await tokenLogin(api, { email, password: "wrong-password" });
    assert.equal(c.status, d.status);
    assert.deepEqual(c.json, d.json, "same problem either way");

    // Timing: interleaved, order alternating, throttles reset so every attempt is checked.
    await resetThrottles(api);
    const times = { unknown: [] as number[], wrong: [] as number[] };
    const time = async (kind: "unknown" | "wrong", i: number) => {
      const started = performance.now();
      const res = await login(api, {
        email: kind === "unknown" ? unknown(i) : email,
        password: `guess-${i}`,
      });
      const elapsed = performance.now() - started;
      assert.equal(res.status, 400);
      await resetThrottles(api);
      return elapsed;
    };
    for (let i = 0; i < 5; i++) await time(i % 2 ? "unknown" : "wrong", i); // warm-up
    for (let i = 0; i < SAMPLES; i++) {
      const order = i % 2 ? ["unknown", "wrong"] as const : ["wrong", "unknown"] as const;
      for (const kind of order) times[kind].push(await time(kind, i));
    }
    const unknownMs = median(times.unknown);
    const wrongMs = median(times.wrong);
    const differencePct = (Math.abs(unknownMs - wrongMs) / Math.max(unknownMs, wrongMs)) * 100;
    report("brute force: median login time, unknown email (ms)", unknownMs.toFixed(1));
    report("brute force: median login time, wrong password (ms)", wrongMs.toFixed(1));
    report("brute force: timing difference (%)", differencePct.toFixed(1));
    report("brute force: samples per kind", SAMPLES);
    assert.ok(differencePct < 10, `medians differ by ${differencePct.toFixed(1)} %`);
  } finally {
    await api.close();
  }
});

function headerNames(headers: Headers): string[] {
  return [...headers.keys()].filter((name) => name !== "server-timing").sort();
}

/** Per-response values (CSP nonces) are not a difference an attacker can use. */
function normaliseNonces(html: string): string {
  return html.replace(/nonce="[^"]*"/g, 'nonce=""');
}
