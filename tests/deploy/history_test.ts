/**
 * Issue 14 item 7: the version history pages with `cursor`/`limit` and carries outputs only
 * with `include=output`; the project page still shows a selected older version.
 */
import assert from "node:assert/strict";
import { signUp, startApi, waitForGeneration } from "../support/api.ts";
import { Browser } from "../support/app.ts";

Deno.test("history: paged, metadata by default, outputs on request; the page shows old versions", async () => {
  const api = await startApi();
  try {
    const { token, email } = await signUp(api);
    const created = await api.call("POST", "/api/v1/projects", {
      token,
      body: { directive: "a booking tool for community kitchens" },
    });
    const id = created.json.id;
    await waitForGeneration(api, token, id);
    for (let i = 0; i < 2; i++) {
      const regen = await api.call("POST", `/api/v1/projects/${id}/stages/brand/regenerate`, {
        token,
      });
      assert.equal(regen.status, 202, regen.text);
      await api.app.services.pipeline.idle();
    }
    const path = `/api/v1/projects/${id}/generations`;
    const full = await api.call("GET", `${path}?include=output&limit=100`, { token });
    assert.equal(full.status, 200);
    assert.equal(full.json.items.length, 7, "5 stages + 2 brand versions");
    assert.ok(full.json.items.every((g: { output?: unknown }) => g.output));
    assert.equal(full.json.nextCursor, null);

    const seen: { stage: string; version: number; output?: unknown }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await api.call(
        "GET",
        `${path}?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        { token },
      );
      assert.equal(page.status, 200, page.text);
      assert.ok(page.json.items.length <= 3);
      seen.push(...page.json.items);
      cursor = page.json.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(pages, 3);
    assert.ok(seen.every((g) => !("output" in g)), "no outputs without include=output");
    assert.deepEqual(
      seen.map((g) => `${g.stage}.${g.version}`),
      full.json.items.map((g: { stage: string; version: number }) => `${g.stage}.${g.version}`),
    );
    const brand = await api.call("GET", `${path}?stage=brand&include=output`, { token });
    assert.deepEqual(brand.json.items.map((g: { version: number }) => g.version), [3, 2, 1]);
    const bad = await api.call("GET", `${path}?cursor=nonsense`, { token });
    assert.equal(bad.status, 400);

    // The web page shows a selected older version's output, fetched by version.
    const browser = new Browser(api.app);
    const login = await browser.post("/login", { email, password: "correct horse battery staple" });
    await login.body?.cancel();
    const html = await (await browser.request(`/projects/${id}?brand=1`)).text();
    assert.match(html, /aria-current="true" aria-label="[^"]* v1"/, "v1 is the brand shown");
    assert.match(html, /aria-label="[^"]* v3"/, "v3 is listed in the history");
    const latest = await (await browser.request(`/projects/${id}`)).text();
    assert.match(latest, /aria-current="true" aria-label="[^"]* v3"/);
    const compare = await (await browser.request(`/projects/${id}?compare=brand:1..3`)).text();
    assert.match(compare, /id="brand-compare"/, "two versions fetched by version are compared");
  } finally {
    await api.close();
  }
});
