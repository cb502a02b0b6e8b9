import assert from "node:assert/strict";
import { join } from "node:path";
import { sessionKey, sessionSecretKey } from "../kv/keys.ts";
import {
  createSessionStore,
  resolveSessionSecret,
  SESSION_ABSOLUTE_TIMEOUT_MS,
  SESSION_IDLE_TIMEOUT_MS,
  SESSION_TOUCH_INTERVAL_MS,
} from "./session.server.ts";

const SECRET = "test-secret-test-secret-test-secret-0123";
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

async function setup() {
  const kv = await Deno.openKv(":memory:");
  const clock = { now: Date.UTC(2025, 0, 1) };
  const store = createSessionStore({ kv, secret: SECRET, now: () => clock.now });
  return { kv, clock, store };
}

/** A request carrying the cookie a Set-Cookie header would have stored. */
function requestWith(setCookie: string): Request {
  const pair = setCookie.split(";")[0];
  return new Request("https://atlas9.test/projects", {
    headers: { cookie: `theme=dark; ${pair}` },
  });
}

Deno.test("create issues an HttpOnly, SameSite=Lax cookie and get finds the session", async () => {
  const { kv, clock, store } = await setup();
  const { id, cookie } = await store.create("user-1", { secure: true });
  assert.match(id, /^[A-Za-z0-9_-]{43}$/);
  // Secure: the __Host- name (decision 013).
  assert.match(cookie, /^__Host-session=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}; /);
  for (
    const attribute of [
      "Path=/",
      "HttpOnly",
      "SameSite=Lax",
      "Secure",
      `Max-Age=${SESSION_ABSOLUTE_TIMEOUT_MS / 1000}`,
    ]
  ) {
    assert.ok(cookie.split("; ").includes(attribute), `${attribute} in ${cookie}`);
  }
  const found = await store.get(requestWith(cookie));
  assert.equal(found?.userId, "user-1");
  assert.deepEqual(found?.session, {
    id,
    userId: "user-1",
    createdAt: clock.now,
    lastSeenAt: clock.now,
    absoluteExpiresAt: clock.now + SESSION_ABSOLUTE_TIMEOUT_MS,
  });
  kv.close();
});

Deno.test("cookies over plain http omit Secure", async () => {
  const { kv, store } = await setup();
  const { cookie } = await store.create("user-1", { secure: false });
  assert.equal(cookie.split("; ").includes("Secure"), false);
  kv.close();
});

Deno.test("get returns null without a cookie or for an unknown id", async () => {
  const { kv, store } = await setup();
  assert.equal(await store.get(new Request("https://atlas9.test/")), null);
  using otherKv = await Deno.openKv(":memory:");
  const other = createSessionStore({ kv: otherKv, secret: SECRET });
  const { cookie } = await other.create("user-2", { secure: true });
  assert.equal(await store.get(requestWith(cookie)), null, "signed but unknown to this KV");
  kv.close();
});

Deno.test("tampered cookies are rejected without reading KV", async () => {
  const { kv, clock, store } = await setup();
  const { id, cookie } = await store.create("user-1", { secure: true });
  const signature = cookie.split(";")[0].split(".")[1];
  const forger = createSessionStore({ kv, secret: "another-secret-another-secret-another-1" });
  const forged =
    (await forger.create("user-1", { secure: true })).cookie.split(";")[0].split(".")[1];
  const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
  const tampered = [
    `__session=${id}.${flipped}`,
    `__session=${id}.${forged}`,
    `__session=${id}`,
    `__session=${id}.${signature}.extra`,
    `__session=${"A".repeat(43)}.${signature}`,
    `__session=../../etc.${signature}`,
  ];
  let reads = 0;
  const countingKv = new Proxy(kv, {
    get(target, property) {
      if (property === "get") reads++;
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const guarded = createSessionStore({ kv: countingKv, secret: SECRET, now: () => clock.now });
  for (const header of tampered) {
    assert.equal(
      await guarded.get(new Request("https://atlas9.test/", { headers: { cookie: header } })),
      null,
      header,
    );
  }
  assert.equal(reads, 0);
  assert.notEqual(await guarded.get(requestWith(cookie)), null);
  kv.close();
});

Deno.test("idle expiry is decided from the stored value while the KV entry still exists", async () => {
  const { kv, clock, store } = await setup();
  const { id, cookie } = await store.create("user-1", { secure: true });
  clock.now += SESSION_IDLE_TIMEOUT_MS - MINUTE;
  assert.notEqual(await store.get(requestWith(cookie)), null);
  clock.now += SESSION_IDLE_TIMEOUT_MS + MINUTE;
  assert.notEqual((await kv.get(sessionKey(id))).versionstamp, null, "entry still present in KV");
  assert.equal(await store.get(requestWith(cookie)), null);
  assert.equal((await kv.get(sessionKey(id))).versionstamp, null, "expired entry removed on sight");
  kv.close();
});

Deno.test("activity keeps a session alive only until its absolute expiry", async () => {
  const { kv, clock, store } = await setup();
  const { cookie } = await store.create("user-1", { secure: true });
  const start = clock.now;
  while (clock.now + DAY < start + SESSION_ABSOLUTE_TIMEOUT_MS) {
    clock.now += DAY;
    assert.notEqual(await store.get(requestWith(cookie)), null, `day ${(clock.now - start) / DAY}`);
  }
  clock.now = start + SESSION_ABSOLUTE_TIMEOUT_MS;
  assert.equal(await store.get(requestWith(cookie)), null);
  kv.close();
});

Deno.test("lastSeenAt is written at most once per touch interval", async () => {
  const { kv, clock, store } = await setup();
  const { id, cookie } = await store.create("user-1", { secure: true });
  const created = (await kv.get(sessionKey(id))).versionstamp;
  clock.now += SESSION_TOUCH_INTERVAL_MS - 1;
  await store.get(requestWith(cookie));
  await store.get(requestWith(cookie));
  assert.equal(
    (await kv.get(sessionKey(id))).versionstamp,
    created,
    "no write inside the interval",
  );
  clock.now += 1;
  const found = await store.get(requestWith(cookie));
  assert.equal(found?.session.lastSeenAt, clock.now);
  assert.notEqual(
    (await kv.get(sessionKey(id))).versionstamp,
    created,
    "refreshed after the interval",
  );
  kv.close();
});

Deno.test("login with an existing session creates a new id and deletes the old one", async () => {
  const { kv, store } = await setup();
  const before = await store.create("anonymous-visitor", { secure: true });
  const after = await store.create("user-1", {
    secure: true,
    replacing: requestWith(before.cookie),
  });
  assert.notEqual(after.id, before.id);
  assert.equal(await store.get(requestWith(before.cookie)), null);
  assert.equal((await kv.get(sessionKey(before.id))).versionstamp, null);
  assert.equal((await store.get(requestWith(after.cookie)))?.userId, "user-1");
  kv.close();
});

Deno.test("rotate moves a session to a new id, keeping user and absolute expiry", async () => {
  const { kv, clock, store } = await setup();
  const original = await store.create("user-1", { secure: true });
  const first = await store.get(requestWith(original.cookie));
  clock.now += DAY;
  const rotated = await store.rotate(requestWith(original.cookie), { secure: true });
  assert.ok(rotated);
  assert.notEqual(rotated.id, original.id);
  assert.equal(await store.get(requestWith(original.cookie)), null);
  const found = await store.get(requestWith(rotated.cookie));
  assert.equal(found?.userId, "user-1");
  assert.equal(found?.session.absoluteExpiresAt, first?.session.absoluteExpiresAt);
  assert.equal(found?.session.createdAt, first?.session.createdAt);
  assert.equal(await store.rotate(requestWith(original.cookie), { secure: true }), null);
  kv.close();
});

Deno.test("destroy deletes the session and clears the cookie", async () => {
  const { kv, store } = await setup();
  const { id, cookie } = await store.create("user-1", { secure: true });
  const cleared = await store.destroy(requestWith(cookie), { secure: true });
  assert.match(cleared, /^__Host-session=; /);
  assert.ok(cleared.includes("Max-Age=0"));
  assert.equal((await kv.get(sessionKey(id))).versionstamp, null);
  assert.equal(await store.get(requestWith(cookie)), null);
  kv.close();
});

Deno.test("a session value that fails its schema reads as no session", async () => {
  const { kv, store } = await setup();
  const { id, cookie } = await store.create("user-1", { secure: true });
  await kv.set(sessionKey(id), { userId: 42 });
  const warn = console.warn;
  const warnings: unknown[] = [];
  console.warn = (...args: unknown[]) => warnings.push(args);
  try {
    assert.equal(await store.get(requestWith(cookie)), null);
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.length, 1);
  kv.close();
});

Deno.test("resolveSessionSecret prefers SESSION_SECRET", async () => {
  using kv = await Deno.openKv(":memory:");
  const env = {
    sessionSecret: "s".repeat(40),
    dataDir: "/nonexistent",
    kvPath: undefined,
    denoDeploymentId: undefined,
  };
  assert.equal(await resolveSessionSecret({ env, kv }), "s".repeat(40));
});

Deno.test("resolveSessionSecret generates a 0600 file once and reuses it", async () => {
  using kv = await Deno.openKv(":memory:");
  const root = await Deno.makeTempDir();
  const dataDir = join(root, "data");
  const env = { sessionSecret: undefined, dataDir, kvPath: undefined, denoDeploymentId: undefined };
  const [first, concurrent] = await Promise.all([
    resolveSessionSecret({ env, kv }),
    resolveSessionSecret({ env, kv }),
  ]);
  assert.equal(first, concurrent);
  assert.ok(first.length >= 32);
  assert.equal(await resolveSessionSecret({ env, kv }), first);
  const info = await Deno.stat(join(dataDir, "session-secret"));
  assert.equal(info.mode! & 0o777, 0o600);
  assert.deepEqual([...Deno.readDirSync(dataDir)].map((e) => e.name), ["session-secret"]);
  await Deno.remove(root, { recursive: true });
});

Deno.test("resolveSessionSecret keeps the secret in KV on Deno Deploy", async () => {
  using kv = await Deno.openKv(":memory:");
  const env = {
    sessionSecret: undefined,
    dataDir: "/nonexistent",
    kvPath: undefined,
    denoDeploymentId: "dep",
  };
  const results = await Promise.all(
    Array.from({ length: 5 }, () => resolveSessionSecret({ env, kv })),
  );
  assert.equal(new Set(results).size, 1);
  assert.equal((await kv.get(sessionSecretKey())).value, results[0]);
});
