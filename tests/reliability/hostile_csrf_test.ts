/**
 * Hostile input: cross-site form posts and state-changing GETs. Every form of every route with
 * an action refuses a cross-site POST (any method, any way the browser says so) with 403 and
 * changes nothing; crawling every GET route as a signed-in user changes no row.
 */
import assert from "node:assert/strict";
import { confirmAdmin, startTestApp, TEST_ADMIN_SETUP_TOKEN } from "../support/app.ts";
import type { TestApp } from "../support/app.ts";
import { issueToken } from "../../app/api/tokens.server.ts";
import {
  createProject,
  fillPath,
  PASSWORD,
  report,
  routeTable,
  signedIn,
  snapshotDatabase,
} from "../support/reliability.ts";

/** The ways a browser marks a request from another site (or one we cannot trust). */
const CROSS_SITE: { label: string; headers: Record<string, string> }[] = [
  {
    label: "Sec-Fetch-Site: cross-site",
    headers: { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" },
  },
  {
    label: "Sec-Fetch-Site: same-site (a sibling subdomain)",
    headers: { "Sec-Fetch-Site": "same-site", Origin: "https://evil.atlas9.test" },
  },
  {
    label: "Origin of another site, no fetch metadata",
    headers: { Origin: "https://evil.example" },
  },
  { label: "Origin: null (sandboxed frame)", headers: { Origin: "null" } },
  { label: "Origin of another port", headers: { Origin: "http://atlas9.test:8080" } },
];

async function setUp(app: TestApp) {
  const owner = await signedIn(app, "csrf-owner@example.com");
  const id = await createProject(owner);
  await app.services.pipeline.idle();
  const project = (await app.services.repos.projects.getById(id))!;
  const userId = project.userId;
  const { token, summary } = await issueToken({ services: app.services, userId, name: "t" });
  return { owner, id, slug: project.slug, token, tokenId: summary.id };
}

Deno.test("csrf: a cross-site POST to every form is a 403 and changes nothing", async () => {
  const app = await startTestApp();
  try {
    const { owner, id, slug, tokenId } = await setUp(app);
    const cookie = `__session=${owner.cookie()}`;
    const forms: Record<string, Record<string, string>[]> = {
      "/signup": [{ email: "csrf-new@example.com", password: PASSWORD }],
      "/login": [{ email: "csrf-owner@example.com", password: PASSWORD }],
      "/logout": [{}],
      "/projects": [{ directive: "A planner for community gardens" }],
      "/projects/:id": [
        { intent: "visibility", visibility: "public" },
        { intent: "regenerate", stage: "brand" },
        { intent: "retry" },
        { intent: "rename", title: "Renamed by another site" },
        { intent: "delete", confirm: "yes" },
      ],
      "/settings": [{ intent: "create", name: "evil" }, { intent: "revoke", id: tokenId }],
    };
    const routes = (await routeTable()).filter((r) => r.action && !r.path.startsWith("/api/"));
    assert.deepEqual(
      routes.map((r) => r.path).sort(),
      Object.keys(forms).sort(),
      "every route with a form action is covered",
    );
    const before = await snapshotDatabase(app);
    let refused = 0;
    for (const route of routes) {
      const path = fillPath(route.path, { id, slug });
      for (const fields of forms[route.path]) {
        for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
          for (const { label, headers } of CROSS_SITE) {
            const res = await app.fetch(path, {
              method,
              headers: {
                "Content-Type": "application/x-www-form-urlencoded",
                Cookie: cookie,
                ...headers,
              },
              body: new URLSearchParams(fields),
              redirect: "manual",
            });
            assert.equal(res.status, 403, `${method} ${path} ${JSON.stringify(fields)}: ${label}`);
            assert.equal(res.headers.get("set-cookie"), null, "no cookie is set or cleared");
            await res.body?.cancel();
            refused++;
          }
        }
      }
    }
    // API v1 takes no cookies: a cross-site request riding on the session is simply anonymous.
    const api = await app.fetch("/api/v1/projects", {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: cookie, ...CROSS_SITE[0].headers },
      body: JSON.stringify({ directive: "A planner for community gardens" }),
    });
    assert.equal(api.status, 401);
    await api.body?.cancel();

    assert.deepEqual(await snapshotDatabase(app), before, "no row changed");
    const still = await owner.request("/projects");
    assert.equal(still.status, 200, "the session survived the cross-site logout");
    await still.body?.cancel();
    const sameSite = await owner.post(`/projects/${id}`, { intent: "rename", title: "Mine" });
    assert.equal(sameSite.status, 302, "the same form from our own pages works");
    await sameSite.body?.cancel();
    report("csrf: cross-site requests refused with 403", refused);
  } finally {
    await app.close();
  }
});

Deno.test("csrf: crawling every GET route as a signed-in user changes no row", async () => {
  const app = await startTestApp({
    env: { ADMIN_EMAILS: "csrf-owner@example.com", ADMIN_SETUP_TOKEN: TEST_ADMIN_SETUP_TOKEN },
  });
  try {
    const { owner, id, slug, token } = await setUp(app);
    assert.equal((await confirmAdmin(owner)).status, 200);
    const publish = await owner.post(`/projects/${id}`, {
      intent: "visibility",
      visibility: "public",
    });
    await publish.body?.cancel();
    const privateId = await createProject(owner, "A diary app for beekeepers");
    await app.services.pipeline.idle();
    // Using a token records when it was last used: bookkeeping, not the user's data.
    const before = await snapshotDatabase(app, { ignoreColumns: ["api_tokens.last_used_at"] });

    const routes = (await routeTable()).filter((r) => r.loader);
    const values = { id, slug, stage: "brand", "*": "no-such-thing" };
    const queue: string[] = [];
    for (const route of routes) {
      const path = fillPath(route.path, values);
      queue.push(path, fillPath(route.path, { ...values, id: privateId }));
      // Parameters of the route's forms on a GET do nothing either.
      if (route.action) {
        queue.push(`${path}?intent=delete&confirm=yes`, `${path}?intent=revoke&id=${id}`);
      }
    }
    queue.push("/logout", `/projects/${id}?intent=visibility&visibility=private`);
    const seen = new Set<string>();
    const visited = new Set<string>();
    let requests = 0;
    while (queue.length && seen.size < 250) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      for (const method of ["GET", "HEAD"]) {
        const headers: Record<string, string> = path.startsWith("/api/v1/")
          ? { Authorization: `Bearer ${token}` }
          : {};
        const res = await owner.request(path, { method, headers });
        requests++;
        assert.ok(res.status < 500, `${method} ${path}: ${res.status}`);
        const type = res.headers.get("content-type") ?? "";
        if (method === "GET" && type.startsWith("text/html")) {
          const html = await res.text();
          for (const match of html.matchAll(/href="(\/[^"#]*)/g)) {
            const link = match[1].replaceAll("&amp;", "&");
            if (!link.startsWith("/build/") && !seen.has(link)) queue.push(link);
          }
        } else {
          await res.body?.cancel();
        }
      }
      visited.add(path);
    }
    for (const route of routes) {
      const pattern = new RegExp(
        `^${route.path.replace(/[.]/g, "\\.").replace(/:\w+/g, "[^/]+").replace("*", ".*")}(\\?|$)`,
      );
      assert.ok([...visited].some((p) => pattern.test(p)), `route ${route.path} was crawled`);
    }
    const after = await snapshotDatabase(app, { ignoreColumns: ["api_tokens.last_used_at"] });
    assert.deepEqual(after, before, "no GET changed a row");
    const session = await owner.request("/projects");
    assert.equal(session.status, 200, "GET /logout did not log out");
    await session.body?.cancel();
    report("csrf: GET routes in the route table", routes.length);
    report("csrf: URLs crawled (GET and HEAD each)", visited.size);
    report("csrf: requests made by the crawl", requests);
  } finally {
    await app.close();
  }
});
