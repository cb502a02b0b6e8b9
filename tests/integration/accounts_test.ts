import assert from "node:assert/strict";
import { Browser, startTestApp } from "../support/app.ts";

const PASSWORD = "correct horse battery staple";

Deno.test("accounts: sign up, log out, log in, with rotation and field errors", async (t) => {
  const app = await startTestApp();
  try {
    const browser = new Browser(app);

    await t.step("field errors come back with 400 and keep the email", async () => {
      const res = await browser.post("/signup", { email: "not-an-email", password: "short" });
      assert.equal(res.status, 400);
      const html = await res.text();
      assert.match(html, /aria-invalid="true"/);
      assert.match(html, /not-an-email/);
      assert.doesNotMatch(html, /value="short"/);
    });

    await t.step("a common password is refused", async () => {
      const res = await browser.post("/signup", {
        email: "ada@example.com",
        password: "password123",
      });
      assert.equal(res.status, 400);
      assert.match(await res.text(), /too common/i);
    });

    await t.step("a 129-character password is refused", async () => {
      const res = await browser.post("/signup", {
        email: "ada@example.com",
        password: "x".repeat(129),
      });
      assert.equal(res.status, 400);
      await res.body?.cancel();
    });

    let firstCookie: string | undefined;
    await t.step("sign-up signs in with a hardened cookie", async () => {
      const res = await browser.post("/signup", { email: "Ada@Example.com", password: PASSWORD });
      assert.equal(res.status, 302);
      assert.equal(res.headers.get("location"), "/projects");
      const cookie = res.headers.get("set-cookie") ?? "";
      assert.match(cookie, /^__session=/);
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Lax/i);
      assert.match(cookie, /Path=\//);
      firstCookie = browser.cookie();
      const projects = await browser.request("/projects");
      assert.equal(projects.status, 200);
      const html = await projects.text();
      assert.match(html, /ada@example\.com/);
      assert.match(html, /No projects yet/);
    });

    await t.step("the same email cannot sign up twice", async () => {
      const other = new Browser(app);
      const res = await other.post("/signup", { email: "ada@example.com", password: PASSWORD });
      assert.equal(res.status, 400);
      assert.match(await res.text(), /already exists/);
    });

    await t.step("log out ends the session; the old cookie no longer works", async () => {
      const res = await browser.post("/logout", {});
      assert.equal(res.status, 302);
      await res.body?.cancel();
      const replay = await app.fetch("/projects", {
        headers: { Cookie: `__session=${firstCookie}` },
        redirect: "manual",
      });
      assert.equal(replay.status, 302);
      assert.match(replay.headers.get("location") ?? "", /^\/login/);
    });

    await t.step("GET /logout changes nothing", async () => {
      const fresh = new Browser(app);
      await (await fresh.post("/login", { email: "ada@example.com", password: PASSWORD })).body
        ?.cancel();
      const res = await fresh.request("/logout");
      assert.equal(res.status, 302);
      await res.body?.cancel();
      assert.equal((await fresh.request("/projects")).status, 200);
    });

    await t.step("wrong password and unknown email get the same answer", async () => {
      const a = await new Browser(app).post("/login", {
        email: "ada@example.com",
        password: "wrong password 1",
      });
      const b = await new Browser(app).post("/login", {
        email: "nobody@example.com",
        password: "wrong password 1",
      });
      assert.equal(a.status, b.status);
      const [ta, tb] = [await a.text(), await b.text()];
      assert.match(ta, /Email or password is incorrect/);
      const normalise = (html: string) =>
        html.replace(/(ada|nobody)@example\.com/g, "E").replace(/nonce="[^"]+"/g, "");
      assert.equal(normalise(ta), normalise(tb));
    });

    await t.step("log in rotates the session id and honours redirectTo", async () => {
      const b = new Browser(app);
      await (await b.post("/login", { email: "ada@example.com", password: PASSWORD })).body
        ?.cancel();
      const before = b.cookie();
      const res = await b.post("/login", {
        email: "ada@example.com",
        password: PASSWORD,
        redirectTo: "/projects?q=x",
      });
      // Already signed in: the login page sends the user on; a fresh login must rotate.
      assert.equal(res.status, 302);
      await res.body?.cancel();
      assert.notEqual(b.cookie(), undefined);
      assert.equal(before === b.cookie(), false);
      const evil = await new Browser(app).post("/login", {
        email: "ada@example.com",
        password: PASSWORD,
        redirectTo: "//evil.example/",
      });
      assert.equal(evil.headers.get("location"), "/projects");
    });
  } finally {
    await app.close();
  }
});

Deno.test("cross-site form posts are refused with 403", async () => {
  const app = await startTestApp();
  try {
    for (const path of ["/signup", "/login", "/logout", "/projects"]) {
      const bySite = await app.fetch(path, {
        method: "POST",
        headers: {
          "Sec-Fetch-Site": "cross-site",
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: "email=a%40b.c&password=whatever1",
      });
      assert.equal(bySite.status, 403, path);
      await bySite.body?.cancel();
      const byOrigin = await app.fetch(path, {
        method: "POST",
        headers: {
          Origin: "https://evil.example",
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: "email=a%40b.c&password=whatever1",
      });
      assert.equal(byOrigin.status, 403, path);
      await byOrigin.body?.cancel();
    }
  } finally {
    await app.close();
  }
});

Deno.test("login is throttled per account with 429 and Retry-After", async () => {
  const app = await startTestApp();
  try {
    const b = new Browser(app);
    await (await b.post("/signup", { email: "bob@example.com", password: PASSWORD })).body
      ?.cancel();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const res = await new Browser(app).post("/login", {
        email: "bob@example.com",
        password: `nope-${i}-nope`,
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
      await res.body?.cancel();
    }
    assert.deepEqual(statuses.slice(0, 5), [400, 400, 400, 400, 400]);
    assert.equal(statuses[5], 429);
    assert.ok(Number(retryAfter) > 0);
    const locked = await new Browser(app).post("/login", {
      email: "bob@example.com",
      password: PASSWORD,
    });
    assert.equal(locked.status, 429, "even the right password waits once the account is throttled");
    await locked.body?.cancel();
  } finally {
    await app.close();
  }
});

Deno.test("health reports kv and db; pages carry security headers and Server-Timing", async () => {
  const app = await startTestApp();
  try {
    const res = await app.fetch("/api/health");
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(body.checks, { kv: "ok", db: "ok" });
    assert.equal(body.status, "ok");
    assert.equal(typeof body.version, "string");

    // A page rendered per request: its scripts carry the response's nonce (the signed-out
    // landing page is stored bytes instead, its scripts allowed by hash: edge_pages_test.ts).
    const home = await app.fetch("/login");
    assert.equal(home.status, 200);
    const csp = home.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(home.headers.get("x-content-type-options"), "nosniff");
    assert.ok(home.headers.get("referrer-policy"));
    assert.match(home.headers.get("server-timing") ?? "", /total;dur=/);
    const html = await home.text();
    for (const script of html.matchAll(/<script\b[^>]*>/g)) {
      assert.match(script[0], new RegExp(`nonce="${nonce!.replace(/[+/=]/g, "\\$&")}"`), script[0]);
    }
    assert.match(html, /name="password"/);

    const missing = await app.fetch("/no/such/page");
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /couldn’t find that page/);
  } finally {
    await app.close();
  }
});

Deno.test("health is 503 when the database is down", async () => {
  const app = await startTestApp();
  try {
    app.services.database.ping = () => Promise.reject(new Error("down"));
    const res = await app.fetch("/api/health");
    assert.equal(res.status, 503);
    assert.deepEqual((await res.json()).checks, { kv: "ok", db: "fail" });
  } finally {
    await app.close();
  }
});

Deno.test("oversized bodies are refused with 413 before parsing", async () => {
  const app = await startTestApp();
  try {
    const res = await app.fetch("/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "email=" + "a".repeat(70_000),
    });
    assert.equal(res.status, 413);
    await res.body?.cancel();
  } finally {
    await app.close();
  }
});
