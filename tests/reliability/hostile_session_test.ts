/**
 * Hostile input: the session. Cookie flags, a new id at every login (fixation), no life after
 * logout, and idle and absolute expiry decided from the stored times even while the KV key is
 * still there (`expireIn` only promises deletion some time after).
 */
import assert from "node:assert/strict";
import { Browser, startTestApp } from "../support/app.ts";
import type { TestApp } from "../support/app.ts";
import {
  SESSION_ABSOLUTE_TIMEOUT_MS,
  SESSION_IDLE_TIMEOUT_MS,
} from "../../app/auth/session.server.ts";
import { sessionKey } from "../../app/kv/keys.ts";
import { PASSWORD, report } from "../support/reliability.ts";

const EMAIL = "session@example.com";

/** The session id inside a signed cookie value (`<id>.<signature>`). */
const idOf = (cookie: string) => cookie.split(".")[0];

async function signedInAt(app: TestApp): Promise<Browser> {
  const browser = new Browser(app);
  const res = await browser.post("/login", { email: EMAIL, password: PASSWORD });
  assert.equal(res.status, 302);
  await res.body?.cancel();
  return browser;
}

async function isSignedIn(app: TestApp, cookie: string): Promise<boolean> {
  const res = await app.fetch("/projects", {
    headers: { Cookie: `__session=${cookie}` },
    redirect: "manual",
  });
  await res.body?.cancel();
  if (res.status === 200) return true;
  assert.equal(res.status, 302);
  assert.match(res.headers.get("location") ?? "", /^\/login/);
  return false;
}

Deno.test("session: cookie flags, rotation at login, logout, idle and absolute expiry", async (t) => {
  const app = await startTestApp({ env: { TRUST_PROXY: "true" } });
  const kv = app.services.kv;
  try {
    const signup = new Browser(app);
    await (await signup.post("/signup", { email: EMAIL, password: PASSWORD })).body?.cancel();

    await t.step(
      "cookie flags: HttpOnly, SameSite=Lax, Path=/, bounded Max-Age; Secure on https",
      async () => {
        for (const https of [false, true]) {
          const res = await app.fetch("/login", {
            method: "POST",
            headers: {
              "Content-Type": "application/x-www-form-urlencoded",
              Origin: https ? "https://atlas9.test" : app.origin,
              ...(https ? { "X-Forwarded-Proto": "https", "X-Forwarded-Host": "atlas9.test" } : {}),
            },
            body: new URLSearchParams({ email: EMAIL, password: PASSWORD }),
            redirect: "manual",
          });
          assert.equal(res.status, 302);
          await res.body?.cancel();
          // Over https the name carries the __Host- prefix (Secure, host-only, Path=/ enforced).
          const name = https ? "__Host-session" : "__session";
          const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))!;
          assert.ok(cookie, `${name} set: ${res.headers.getSetCookie()}`);
          const attributes = cookie.split(";").slice(1).map((a) => a.trim().toLowerCase());
          assert.ok(attributes.includes("httponly"), cookie);
          assert.ok(attributes.includes("samesite=lax"), cookie);
          assert.ok(attributes.includes("path=/"), cookie);
          assert.equal(attributes.includes("secure"), https, `Secure only over https: ${cookie}`);
          const maxAge = Number(attributes.find((a) => a.startsWith("max-age="))?.slice(8));
          assert.equal(
            maxAge,
            SESSION_ABSOLUTE_TIMEOUT_MS / 1000,
            "Max-Age is the absolute lifetime",
          );
          assert.ok(!attributes.some((a) => a.startsWith("domain=")), "host-only cookie");
          assert.match(
            cookie,
            /^(__Host-)?(__)?session=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43};/,
            "id and signature only",
          );
        }
      },
    );

    await t.step("a tampered or forged cookie is nobody", async () => {
      const browser = await signedInAt(app);
      const [id, signature] = browser.cookie()!.split(".");
      const flipped = signature[0] === "A" ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
      assert.equal(await isSignedIn(app, `${id}.${flipped}`), false);
      assert.equal(await isSignedIn(app, id), false);
      assert.equal(await isSignedIn(app, `${"x".repeat(43)}.${signature}`), false);
    });

    await t.step(
      "login rotates the id: a planted (fixated) session dies, the new one differs",
      async () => {
        const attacker = await signedInAt(app);
        const planted = attacker.cookie()!;
        const victim = new Browser(app);
        const res = await victim.post("/login", { email: EMAIL, password: PASSWORD }, {
          Cookie: `__session=${planted}`,
        });
        assert.equal(res.status, 302);
        await res.body?.cancel();
        const fresh = victim.cookie()!;
        assert.notEqual(idOf(fresh), idOf(planted));
        assert.equal(
          (await kv.get(sessionKey(idOf(planted)))).value,
          null,
          "the planted id is gone",
        );
        assert.equal(await isSignedIn(app, planted), false);
        assert.equal(await isSignedIn(app, fresh), true);
      },
    );

    await t.step("after logout the old cookie is worthless and its key deleted", async () => {
      const browser = await signedInAt(app);
      const cookie = browser.cookie()!;
      const res = await browser.post("/logout", {});
      assert.equal(res.status, 302);
      await res.body?.cancel();
      const cleared = res.headers.getSetCookie().find((c) => c.startsWith("__session="))!;
      assert.match(cleared, /^__session=;/);
      assert.match(cleared, /Max-Age=0/i);
      assert.equal((await kv.get(sessionKey(idOf(cookie)))).value, null);
      assert.equal(await isSignedIn(app, cookie), false);
    });

    await t.step(
      "idle expiry: a session unused for longer than the idle timeout is over",
      async () => {
        const browser = await signedInAt(app);
        const cookie = browser.cookie()!;
        const key = sessionKey(idOf(cookie));
        const value = (await kv.get<Record<string, number>>(key)).value!;
        const now = Date.now();
        // Rewritten without expireIn: the key stays, only the stored times say it is over.
        await kv.set(key, { ...value, lastSeenAt: now - SESSION_IDLE_TIMEOUT_MS - 60_000 });
        assert.notEqual((await kv.get(key)).value, null, "the KV key is still present");
        assert.equal(await isSignedIn(app, cookie), false);
        assert.equal((await kv.get(key)).value, null, "and is deleted once found expired");
      },
    );

    await t.step(
      "absolute expiry: however active, a session ends its absolute lifetime after login",
      async () => {
        const browser = await signedInAt(app);
        const cookie = browser.cookie()!;
        const key = sessionKey(idOf(cookie));
        const value = (await kv.get<Record<string, number>>(key)).value!;
        const now = Date.now();
        await kv.set(key, {
          ...value,
          createdAt: now - SESSION_ABSOLUTE_TIMEOUT_MS - 60_000,
          lastSeenAt: now - 1_000,
          absoluteExpiresAt: now - 60_000,
        });
        assert.notEqual((await kv.get(key)).value, null, "the KV key is still present");
        assert.equal(await isSignedIn(app, cookie), false);
      },
    );

    await t.step("an active session is still good just inside the idle timeout", async () => {
      const browser = await signedInAt(app);
      const cookie = browser.cookie()!;
      const key = sessionKey(idOf(cookie));
      const value = (await kv.get<Record<string, number>>(key)).value!;
      await kv.set(key, { ...value, lastSeenAt: Date.now() - SESSION_IDLE_TIMEOUT_MS + 60_000 });
      assert.equal(await isSignedIn(app, cookie), true);
      const touched = (await kv.get<Record<string, number>>(key)).value!;
      assert.ok(touched.lastSeenAt > Date.now() - 60_000, "use moves the idle deadline");
    });
    report("session: checks (flags, tampering, fixation, logout, idle, absolute, touch)", 7);
  } finally {
    await app.close();
  }
});

Deno.test("session: __Host- over https, the old name still read for the migration window", async () => {
  const app = await startTestApp({ env: { TRUST_PROXY: "true" } });
  try {
    const https = { "X-Forwarded-Proto": "https", "X-Forwarded-Host": "atlas9.test" };
    const signup = await app.fetch("/signup", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "https://atlas9.test",
        ...https,
      },
      body: new URLSearchParams({ email: "host-prefix@example.com", password: PASSWORD }),
      redirect: "manual",
    });
    await signup.body?.cancel();
    const set = signup.headers.getSetCookie().find((c) => c.startsWith("__Host-session="))!;
    assert.ok(set, "the https session cookie is __Host-session");
    assert.match(set, /; Secure/);
    assert.doesNotMatch(set, /domain=/i);
    const value = set.split(";")[0].slice("__Host-session=".length);
    for (const cookie of [`__Host-session=${value}`, `__session=${value}`]) {
      const res = await app.fetch("/projects", {
        headers: { Cookie: cookie, ...https },
        redirect: "manual",
      });
      await res.body?.cancel();
      assert.equal(res.status, 200, `${cookie.split("=")[0]} signs in`);
    }
    // Logging out over https clears the __Host- cookie.
    const out = await app.fetch("/logout", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "https://atlas9.test",
        Cookie: `__Host-session=${value}`,
        ...https,
      },
      redirect: "manual",
    });
    await out.body?.cancel();
    assert.ok(out.headers.getSetCookie().some((c) => /^__Host-session=;.*Max-Age=0/i.test(c)));
    report("session cookie over https", "__Host-session; __session still read");
  } finally {
    await app.close();
  }
});
