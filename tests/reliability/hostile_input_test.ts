/**
 * Hostile input, issue 13 items 2, 5 and 9: the login redirect stays on our origin, sign-ups
 * and project creation are limited on the form as on the API (429 with the form re-shown),
 * and malformed input (NUL, expanded-year cursors, CR/LF in `redirectTo`, a POST that is not a
 * form, a forged `Sec-Fetch-Site`) gets a 4xx, never a 500.
 */
import assert from "node:assert/strict";
import { startApi } from "../support/api.ts";
import type { ApiApp } from "../support/api.ts";
import { PROJECT_CREATE_LIMIT, SIGNUP_LIMIT } from "../../app/http/abuse-limits.server.ts";
import { safeRedirect } from "../../app/http/auth.server.ts";
import { DIRECTIVE, PASSWORD, report, signedIn } from "../support/reliability.ts";

const ORIGIN = "http://atlas9.test";

/** A urlencoded form POST from our own page, from `ip`. */
function formPost(
  api: ApiApp,
  path: string,
  fields: Record<string, string>,
  ip: string,
  cookie = "",
) {
  return api.call("POST", path, {
    rawBody: new URLSearchParams(fields),
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Host: "atlas9.test",
      Origin: ORIGIN,
      "Sec-Fetch-Site": "same-origin",
      ...(cookie ? { Cookie: cookie } : {}),
    },
    ip,
  });
}

/** Where a browser would land after following `location` from our origin. */
function landing(location: string | null): string {
  return new URL(location ?? "", ORIGIN).origin;
}

Deno.test("hostile input: the login redirect never leaves our origin", async () => {
  const api = await startApi();
  try {
    await formPost(
      api,
      "/signup",
      { email: "redirect@example.com", password: PASSWORD },
      "192.0.2.1",
    );
    const targets = [
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r/evil.example",
      "//evil.example",
      "/\\evil.example",
      "/\\\\evil.example",
      "/./..//evil.example",
      "/a/..//evil.example/x",
      "https://evil.example",
      "javascript:alert(1)",
      "/ /evil.example",
      "/\u0000/evil.example",
      "/projects\r\nSet-Cookie: planted=1",
      " /evil.example",
    ];
    for (const redirectTo of targets) {
      const res = await formPost(api, "/login", {
        email: "redirect@example.com",
        password: PASSWORD,
        redirectTo,
      }, "192.0.2.2");
      assert.ok(res.status < 500, `${JSON.stringify(redirectTo)}: ${res.status}`);
      if (res.status === 302) {
        const location = res.headers.get("location");
        assert.equal(landing(location), ORIGIN, `${JSON.stringify(redirectTo)} → ${location}`);
        // deno-lint-ignore no-control-regex
        assert(!/[\u0000-\u001f]/.test(location ?? ""), "no control character in Location");
        assert(!(location ?? "").startsWith("//"));
      }
      assert(!res.headers.getSetCookie().some((c) => c.startsWith("planted")));
    }
    // An on-site target is kept, query and fragment included.
    const ok = await formPost(api, "/login", {
      email: "redirect@example.com",
      password: PASSWORD,
      redirectTo: "/projects?q=farm#list",
    }, "192.0.2.2");
    assert.equal(ok.headers.get("location"), "/projects?q=farm#list");
    assert.equal(safeRedirect("/p/some-slug"), "/p/some-slug");
    report(
      "login redirect: hostile targets kept on-site",
      `${targets.length} of ${targets.length}`,
    );
  } finally {
    await api.close();
  }
});

Deno.test("hostile input: sign-ups through the form share the API's limit per IP", async () => {
  const api = await startApi();
  try {
    const ip = "198.51.100.7";
    const statuses: number[] = [];
    // Half through the API, half through the form: one allowance.
    for (let i = 0; i < SIGNUP_LIMIT.limit; i++) {
      const email = `limit${i}@example.com`;
      const res = i % 2
        ? await api.call("POST", "/api/v1/users", { body: { email, password: PASSWORD }, ip })
        : await formPost(api, "/signup", { email, password: PASSWORD }, ip);
      statuses.push(res.status);
    }
    assert.deepEqual([...new Set(statuses)].sort(), [201, 302]);
    const refused = await formPost(api, "/signup", {
      email: "one-more@example.com",
      password: PASSWORD,
    }, ip);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get("retry-after")) > 0);
    assert.match(refused.text, /Too many sign-ups from your network\. Try again in \d+ minutes?\./);
    assert.match(refused.text, /one-more@example\.com/, "the form is re-shown with the email");
    assert.equal(await api.app.services.repos.users.findByEmail("one-more@example.com"), null);
    const apiRefused = await api.call("POST", "/api/v1/users", {
      body: { email: "api-more@example.com", password: PASSWORD },
      ip,
    });
    assert.equal(apiRefused.status, 429);
    // Another network is not affected.
    const other = await formPost(api, "/signup", {
      email: "elsewhere@example.com",
      password: PASSWORD,
    }, "198.51.100.8");
    assert.equal(other.status, 302);
    report("sign-up limit (form + API, one IP)", `${SIGNUP_LIMIT.limit} accepted, then 429`);
  } finally {
    await api.close();
  }
});

Deno.test("hostile input: project creation is limited per user on the form and the API", async () => {
  const api = await startApi();
  try {
    const signup = await formPost(api, "/signup", {
      email: "maker@example.com",
      password: PASSWORD,
    }, "203.0.113.9");
    const cookie = signup.headers.get("set-cookie")!.split(";")[0];
    const user = await api.app.services.repos.users.findByEmail("maker@example.com");
    const { token } = (await api.call("POST", "/api/v1/auth/token", {
      body: { email: "maker@example.com", password: PASSWORD },
      ip: "203.0.113.9",
    })).json;
    // The running-generations cap (2) is another limit: let each generation finish first.
    const waitIdle = () => api.app.services.pipeline.idle();
    let created = 0;
    while (created < PROJECT_CREATE_LIMIT.limit) {
      const res = created % 2
        ? await api.call("POST", "/api/v1/projects", { body: { directive: DIRECTIVE }, token })
        : await formPost(api, "/projects", { directive: DIRECTIVE }, "203.0.113.9", cookie);
      assert.ok(res.status === 201 || res.status === 302, `${res.status} ${res.text}`);
      assert.doesNotMatch(res.headers.get("location") ?? "", /error=/);
      created++;
      await waitIdle();
    }
    await waitIdle();
    const directive = "a directive the user would not want to type again";
    const form = await formPost(api, "/projects", { directive }, "203.0.113.9", cookie);
    assert.equal(form.status, 429, "the form answers 429");
    assert.ok(Number(form.headers.get("retry-after")) > 0);
    assert.match(form.text, /You have created \d+ projects in the last hour\. Try again in/);
    assert.match(form.text, new RegExp(`<textarea[^>]*>${directive}</textarea>`));
    const viaApi = await api.call("POST", "/api/v1/projects", { body: { directive }, token });
    assert.equal(viaApi.status, 429);
    assert.equal(viaApi.json.type, "https://atlas9.dev/problems/rate-limited");
    const { items } = await api.app.services.repos.projects.listForUser({
      userId: user!.id,
      limit: 100,
    });
    assert.equal(items.length, PROJECT_CREATE_LIMIT.limit, "no project beyond the limit");
    report("project-creation limit (form + API, one user)", `${items.length} created, then 429`);
  } finally {
    await api.close();
  }
});

Deno.test("hostile input: malformed requests get a 4xx, never a 500", async () => {
  const api = await startApi();
  try {
    const browser = await signedIn(api.app, "malformed@example.com");
    const cookie = `__session=${browser.cookie()}`;
    const { token } = (await api.call("POST", "/api/v1/auth/token", {
      body: { email: "malformed@example.com", password: PASSWORD },
    })).json;
    const expanded = btoa(JSON.stringify(["+010000-01-01T00:00:00.000Z", "0".repeat(26)]))
      .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    const form = { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN };
    const cases: [string, () => Promise<{ status: number }>][] = [
      [
        "NUL in the new-project form",
        () => formPost(api, "/projects", { directive: "farm\u0000boxes" }, "127.0.0.1", cookie),
      ],
      [
        "NUL in the login form",
        () =>
          formPost(
            api,
            "/login",
            { email: "a@example.com", password: "x\u0000yyyyyyyy" },
            "1.2.3.4",
          ),
      ],
      [
        "NUL in a field name",
        () => formPost(api, "/projects", { "directive\u0000": "farm boxes" }, "127.0.0.1", cookie),
      ],
      ["NUL in a route param", () => browser.request("/projects/%00abc")],
      ["NUL in a public slug", () => browser.request("/p/%00abc")],
      ["NUL in a query", () => browser.request("/projects?q=%00")],
      ["NUL in an export param", () => browser.request("/projects/%00/export.md")],
      ["year +010000 cursor on /projects", () => browser.request(`/projects?cursor=${expanded}`)],
      [
        "year +010000 cursor on the API",
        () => api.call("GET", `/api/v1/projects?cursor=${expanded}`, { token }),
      ],
      ["CR/LF in redirectTo", () =>
        formPost(api, "/login", {
          email: "malformed@example.com",
          password: PASSWORD,
          redirectTo: "/projects\r\nX-Injected: 1",
        }, "1.2.3.5")],
      ["a form POST without a content type", () =>
        browser.request("/projects", {
          method: "POST",
          headers: { Origin: ORIGIN },
          body: "directive=farm+boxes",
        })],
      ["a form POST as text/plain", () =>
        browser.request("/projects", {
          method: "POST",
          headers: { Origin: ORIGIN, "Content-Type": "text/plain" },
          body: "directive=farm boxes",
        })],
      ["a form POST as JSON", () =>
        browser.request("/login", {
          method: "POST",
          headers: { Origin: ORIGIN, "Content-Type": "application/json" },
          body: '{"email":"a@example.com"}',
        })],
      ["a broken multipart body", () =>
        browser.request("/projects", {
          method: "POST",
          headers: { Origin: ORIGIN, "Content-Type": "multipart/form-data; boundary=x" },
          body: "--y\r\n",
        })],
      ["Sec-Fetch-Site: same-origin with a foreign Origin", () =>
        browser.request("/projects", {
          method: "POST",
          headers: { ...form, Origin: "http://evil.example", "Sec-Fetch-Site": "same-origin" },
          body: "directive=farm+boxes",
        })],
    ];
    const results: string[] = [];
    for (const [name, send] of cases) {
      const res = await send();
      if (res instanceof Response) await res.body?.cancel();
      assert.ok(
        res.status >= 400 && res.status < 500 || res.status === 302,
        `${name}: ${res.status}`,
      );
      if (name !== "CR/LF in redirectTo") assert.notEqual(res.status, 302, name);
      results.push(`${res.status}`);
    }
    const { items } = await api.app.services.repos.projects.listForUser({
      userId: (await api.app.services.repos.users.findByEmail("malformed@example.com"))!.id,
      limit: 10,
    });
    assert.equal(items.length, 0, "nothing was created");
    report("malformed input: statuses", `${cases.length} cases, 0 × 5xx (${results.join(" ")})`);
  } finally {
    await api.close();
  }
});

Deno.test("hostile input: signed-out redirects are never cached; nothing is embeddable cross-origin", async () => {
  const api = await startApi();
  try {
    for (const path of ["/projects", "/settings", "/projects/01J00000000000000000000000"]) {
      const res = await api.call("GET", path);
      assert.equal(res.status, 302, path);
      assert.match(res.headers.get("location") ?? "", /^\/login\?redirectTo=/);
      assert.equal(res.headers.get("cache-control"), "private, no-store", path);
      assert.match(res.headers.get("vary") ?? "", /\bCookie\b/i, path);
    }
    for (const path of ["/", "/login", "/api/health", "/api/v1/openapi.json", "/favicon.svg"]) {
      const res = await api.call("GET", path);
      assert.ok(res.status < 400, `${path}: ${res.status}`);
      assert.equal(res.headers.get("cross-origin-resource-policy"), "same-origin", path);
    }
    report("signed-out redirect headers", "Cache-Control: private, no-store; Vary: Cookie; CORP");
  } finally {
    await api.close();
  }
});
