import assert from "node:assert/strict";
import { Browser, confirmAdmin, startTestApp, TEST_ADMIN_SETUP_TOKEN } from "../support/app.ts";
import type { TestApp } from "../support/app.ts";
import { scriptedGenerate } from "../support/scripted.ts";
import { createSyntheticChecks } from "../../app/observability/synthetic.server.ts";

const PASSWORD = "correct horse battery staple";

async function signedIn(app: TestApp, email: string): Promise<Browser> {
  const browser = new Browser(app);
  const response = await browser.post("/signup", { email, password: PASSWORD });
  assert.equal(response.status, 302);
  await response.body?.cancel();
  return browser;
}

Deno.test("status: only ADMIN_EMAILS may open /status; everyone else gets the 404 page", async () => {
  const app = await startTestApp({
    env: {
      ADMIN_EMAILS: "ops@example.com, Admin@Example.com",
      ADMIN_SETUP_TOKEN: TEST_ADMIN_SETUP_TOKEN,
    },
  });
  try {
    const anonymous = await app.fetch("/status");
    assert.equal(anonymous.status, 404);
    assert.doesNotMatch(await anonymous.text(), /Core Web Vitals/);

    const user = await signedIn(app, "someone@example.com");
    const refused = await user.request("/status");
    assert.equal(refused.status, 404);
    assert.doesNotMatch(await refused.text(), /Core Web Vitals/);
    const data = await user.request("/status?_data=routes%2Fstatus");
    assert.equal(data.status, 404, "the loader's data is refused too");
    await data.body?.cancel();

    const admin = await signedIn(app, "admin@example.com");
    // Listed is not enough (anyone may register the address first): 403 until confirmed.
    const unconfirmed = await admin.request("/status");
    assert.equal(unconfirmed.status, 403);
    assert.doesNotMatch(await unconfirmed.text(), /Core Web Vitals/);
    assert.equal((await confirmAdmin(admin, "wrong-token-wrong-token-wrong")).status, 403);
    assert.equal((await admin.request("/status")).status, 403);
    assert.equal((await confirmAdmin(admin)).status, 200);
    const page = await admin.request("/status");
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("cache-control"), "private, no-store");
    assert.match(await page.text(), /Core Web Vitals/);
  } finally {
    await app.close();
  }
});

Deno.test("status: shows route latency, availability, vitals, LLM cost and charts", async () => {
  const scripted = scriptedGenerate({ delayMs: 10 });
  const app = await startTestApp({
    env: { ADMIN_EMAILS: "admin@example.com", ADMIN_SETUP_TOKEN: TEST_ADMIN_SETUP_TOKEN },
    generate: scripted.generate,
  });
  try {
    const admin = await signedIn(app, "admin@example.com");
    assert.equal((await confirmAdmin(admin)).status, 200);
    const created = await admin.post("/projects", { directive: "A booking app for dog groomers" });
    assert.equal(created.status, 302);
    await created.body?.cancel();
    await app.services.pipeline.idle();
    for (let i = 0; i < 5; i++) await (await app.fetch("/api/health")).text();
    const beacon = await app.fetch("/api/analytics", {
      method: "POST",
      body: JSON.stringify({ route: "routes/_index", metrics: [{ name: "LCP", value: 5200 }] }),
    });
    assert.equal(beacon.status, 204);
    await createSyntheticChecks({
      kv: app.services.kv,
      fetch: (request) => app.fetch(new URL(request.url).pathname),
      origin: app.origin,
      targets: () => Promise.resolve([{ name: "health", path: "/api/health" }]),
    }).run();

    const page = await admin.request("/status");
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<code>\/api\/health<\/code>/, "per-route table");
    assert.match(html, /<svg[^>]*role="img"/, "server-rendered charts");
    assert.match(html, /<path d="M/, "a line was drawn");
    assert.match(html, /100\.0 %/, "availability from the check");
    assert.match(html, /LCP p75<\/th><td>\d+ ms<\/td><td>≤ 2500 ms<\/td><td>✗ no/);
    assert.match(html, /<th scope="row">scripted<\/th><td>product<\/td><td>1<\/td>/, "LLM stats");
  } finally {
    await app.close();
  }
});
