/**
 * Issue 17: the pages and API v1 run the same project use cases (app/projects/use-cases.server.ts),
 * so the same action answers the same outcome on both surfaces: not found, busy (409), over the
 * generation limit (429, naming the configured limit, no project kept) and a delete that
 * forgets the public page (the stored page and render data in KV, and /p/:slug).
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { offlineGenerator, signUp, startApi } from "../support/api.ts";
import type { ApiApp } from "../support/api.ts";
import { Browser } from "../support/app.ts";
import { PASSWORD } from "../support/web.ts";
import type { GenerateStage } from "../../app/generation/pipeline.server.ts";
import { getChunked } from "../../app/kv/chunked.server.ts";
import { edgeEntryKey, publicPageKey } from "../../app/kv/keys.ts";
import { projectScope } from "../../app/projects/public/page-store.server.ts";

const SLOW = "slow";

/** Offline generation, except that directives naming SLOW wait until `release` is called. */
function gatedGenerator(): { generate: GenerateStage; release(): void } {
  const offline = offlineGenerator();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  const generate: GenerateStage = async function* (request) {
    if (request.directive.includes(SLOW)) {
      await new Promise<void>((resolve, reject) => {
        gate.then(resolve);
        request.signal?.addEventListener("abort", () => reject(request.signal?.reason));
      });
    }
    yield* offline(request);
  };
  return { generate, release };
}

interface Surfaces {
  api: ApiApp;
  token: string;
  browser: Browser;
}

/** One action on both surfaces: the web form (path + fields) and the API request. */
interface Row {
  name: string;
  web: (id: string) => { path: string; fields: Record<string, string> };
  api: (id: string) => { method: string; path: string; body?: unknown };
}

const ACTIONS: Row[] = [
  {
    name: "regenerate",
    web: (id) => ({ path: `/projects/${id}`, fields: { intent: "regenerate", stage: "brand" } }),
    api: (id) => ({ method: "POST", path: `/api/v1/projects/${id}/stages/brand/regenerate` }),
  },
  {
    name: "update",
    web: (id) => ({ path: `/projects/${id}`, fields: { intent: "rename", title: "Renamed" } }),
    api: (id) => ({ method: "PATCH", path: `/api/v1/projects/${id}`, body: { title: "Renamed" } }),
  },
  {
    name: "delete",
    web: (id) => ({ path: `/projects/${id}`, fields: { intent: "delete", confirm: "yes" } }),
    api: (id) => ({ method: "DELETE", path: `/api/v1/projects/${id}` }),
  },
];

/** The status each surface answers for one action on one project. */
async function both(s: Surfaces, row: Row, id: string) {
  const form = row.web(id);
  const web = await s.browser.post(form.path, form.fields);
  const webText = await web.text();
  const request = row.api(id);
  const api = await s.api.call(request.method, request.path, {
    token: s.token,
    body: request.body,
  });
  return { web: web.status, webText, api: api.status, apiJson: api.json };
}

async function createViaApi(s: Surfaces, directive: string, visibility = "private") {
  const created = await s.api.call("POST", "/api/v1/projects", {
    token: s.token,
    body: { directive, visibility },
  });
  assert.equal(created.status, 201, created.text);
  return created.json as { id: string; slug: string };
}

/** Whether KV still holds any copy of the public page of `slug`. */
async function publicCopies(api: ApiApp, slug: string): Promise<string[]> {
  const kv = api.app.services.kv;
  const held: string[] = [];
  if (await getChunked(kv, publicPageKey(slug), z.unknown())) held.push("render data");
  for (const variant of ["html", "json"]) {
    for (const encoding of ["identity", "gzip", "br"]) {
      const entry = await kv.get(edgeEntryKey(projectScope(slug), variant, encoding));
      if (entry.versionstamp !== null) held.push(`${variant}/${encoding}`);
    }
  }
  return held;
}

Deno.test("use cases: web and API answer the same outcome for the same action", async (t) => {
  const gated = gatedGenerator();
  const api = await startApi({ generate: gated.generate });
  try {
    const account = await signUp(api);
    const browser = new Browser(api.app);
    const login = await browser.post("/login", { email: account.email, password: PASSWORD });
    assert.equal(login.status, 302);
    await login.body?.cancel();
    const s: Surfaces = { api, token: account.token, browser };

    await t.step("not found: another id is a 404 on both surfaces", async () => {
      const missing = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
      for (const row of ACTIONS) {
        const answer = await both(s, row, missing);
        assert.equal(answer.web, 404, `web ${row.name}`);
        assert.equal(answer.api, 404, `api ${row.name}`);
        assert.equal(answer.apiJson.type, "https://atlas9.dev/problems/not-found");
      }
    });

    // Two finished public projects (for the delete rows), then one running generation.
    const kept = [
      await createViaApi(s, "A marketplace where local farmers sell vegetable boxes", "public"),
      await createViaApi(s, "A booking app for independent dog groomers", "public"),
    ];
    await api.app.services.pipeline.idle();
    const running = await createViaApi(s, `A ${SLOW} invoicing tool for freelance translators`);
    const regenerate = ACTIONS[0];

    await t.step("busy: regenerating while a generation runs is a 409 on both", async () => {
      const answer = await both(s, regenerate, running.id);
      assert.equal(answer.web, 409);
      assert.match(answer.webText, /already running/);
      assert.equal(answer.api, 409);
      assert.equal(answer.apiJson.type, "https://atlas9.dev/problems/generation-running");
    });

    const second = await createViaApi(s, `A ${SLOW} study companion for nursing students`);
    const userId = account.userId;
    const count = async () =>
      (await api.app.services.repos.projects.listForUser({ userId, limit: 50 })).items.length;

    await t.step("limit: over the limit is refused on both, naming the limit", async () => {
      const before = await count();
      // A refused creation writes no project (it is not inserted and deleted again).
      const projects = api.app.services.repos.projects;
      const create = projects.create;
      let inserts = 0;
      projects.create = (options) => (inserts++, create(options));
      const web = await browser.post("/projects", {
        directive: "A habit tracker for remote teams",
      });
      assert.equal(web.status, 302);
      await web.body?.cancel();
      const location = new URL(web.headers.get("location")!, api.app.origin);
      assert.equal(location.searchParams.get("error"), "generation_limit");
      const landing = await (await browser.request(location.pathname + location.search)).text();
      assert.match(landing, /You already have 2 generations running/);
      const viaApi = await api.call("POST", "/api/v1/projects", {
        token: s.token,
        body: { directive: "A habit tracker for remote teams" },
      });
      assert.equal(viaApi.status, 429);
      assert.equal(viaApi.json.type, "https://atlas9.dev/problems/generation-limit");
      assert.match(viaApi.json.detail, /2 generations running/);
      projects.create = create;
      assert.equal(await count(), before, "neither surface keeps a refused project");
      assert.equal(inserts, 0, "neither surface inserts a refused project");

      const again = await both(s, regenerate, kept[0].id);
      assert.equal(again.web, 429, "web regenerate over the limit");
      assert.match(again.webText, /2 generations running/);
      assert.equal(again.api, 429, "api regenerate over the limit");
      assert.equal(again.apiJson.type, "https://atlas9.dev/problems/generation-limit");
    });

    gated.release();
    await api.app.services.pipeline.idle();
    assert.ok(second.id && running.id);

    await t.step("delete forgets the public page, whichever surface deletes", async () => {
      const remove = ACTIONS[2];
      for (const [surface, project] of [["api", kept[0]], ["web", kept[1]]] as const) {
        const page = await api.app.fetch(`/p/${project.slug}`);
        assert.equal(page.status, 200);
        await page.body?.cancel();
        assert.ok((await publicCopies(api, project.slug)).length > 0, "the page was stored");
        if (surface === "api") {
          const request = remove.api(project.id);
          const res = await api.call(request.method, request.path, { token: s.token });
          assert.equal(res.status, 204);
        } else {
          const form = remove.web(project.id);
          const res = await browser.post(form.path, form.fields);
          assert.equal(res.status, 302);
          await res.body?.cancel();
        }
        assert.deepEqual(await publicCopies(api, project.slug), [], `${surface}: KV forgot it`);
        const gone = await api.app.fetch(`/p/${project.slug}`);
        assert.equal(gone.status, 404, `${surface}: /p/:slug is gone`);
        await gone.body?.cancel();
      }
    });
  } finally {
    gated.release();
    await api.close();
  }
});
