import assert from "node:assert/strict";
import { Browser, startTestApp } from "../support/app.ts";
import type { TestApp } from "../support/app.ts";
import { readSse, scriptedGenerate } from "../support/scripted.ts";
import { STAGE_NAMES } from "../../app/blueprint/stages.ts";

const PASSWORD = "correct horse battery staple";

async function signedIn(app: TestApp, email = "gen@example.com"): Promise<Browser> {
  const browser = new Browser(app);
  const res = await browser.post("/signup", { email, password: PASSWORD });
  assert.equal(res.status, 302);
  await res.body?.cancel();
  return browser;
}

async function createProject(browser: Browser, directive: string): Promise<string> {
  const res = await browser.post("/projects", { directive });
  assert.equal(res.status, 302, `create answered ${res.status}`);
  await res.body?.cancel();
  const location = res.headers.get("location") ?? "";
  const id = /^\/projects\/([0-9A-Z]{26})$/.exec(location)?.[1];
  assert.ok(id, `redirected to ${location}`);
  return id!;
}

async function allEvents(browser: Browser, id: string, lastEventId?: number) {
  const res = await browser.request(`/projects/${id}/events`, {
    headers: lastEventId ? { "Last-Event-ID": String(lastEventId) } : {},
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  assert.match(res.headers.get("cache-control") ?? "", /no-cache/);
  assert.equal(res.headers.get("x-accel-buffering"), "no");
  return await readSse(res, { until: (e) => e.event === "generation.completed" });
}

Deno.test("generation: stages run in dependency order, in parallel, each stored once", async () => {
  const scripted = scriptedGenerate({ delayMs: 120 });
  const app = await startTestApp({ generate: scripted.generate });
  try {
    const browser = await signedIn(app);
    const id = await createProject(
      browser,
      "A marketplace where local farmers sell vegetable boxes",
    );
    const events = await allEvents(browser, id);

    const names = events.map((e) => `${e.event}:${e.data.stage ?? ""}`);
    const at = (name: string) => names.indexOf(name);
    assert.ok(at("stage.completed:product") < at("stage.started:brand"));
    for (const s of ["brand", "design", "architecture"]) {
      assert.ok(at(`stage.completed:${s}`) < at("stage.started:code"), `${s} before code`);
    }
    assert.equal(events.at(-1)!.event, "generation.completed");
    assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1), "sequence ids are 1..n");

    const parallel = scripted.calls.filter((c) =>
      ["brand", "design", "architecture"].includes(c.stage)
    );
    const latestStart = Math.max(...parallel.map((c) => c.startedAt));
    const earliestEnd = Math.min(...parallel.map((c) => c.endedAt!));
    assert.ok(latestStart < earliestEnd, "brand, design and architecture overlap");

    const rows = await app.services.repos.generations.list({ projectId: id });
    assert.deepEqual(
      rows.map((r) => `${r.stage}:${r.version}`).sort(),
      STAGE_NAMES.map((s) => `${s}:1`).sort(),
    );
    const completed = events.find((e) =>
      e.event === "stage.completed" && e.data.stage === "brand"
    )!;
    assert.equal(completed.data.version, 1);
    assert.equal(completed.data.usage.provider, "scripted");
    const project = await app.services.repos.projects.getById(id);
    assert.equal(project?.status, "completed");

    const replay = await allEvents(browser, id, 3);
    assert.deepEqual(
      replay.map((e) => e.id),
      events.slice(3).map((e) => e.id),
      "Last-Event-ID resumes after 3",
    );
  } finally {
    await app.close();
  }
});

Deno.test("generation: the offline engine completes a blueprint and the page shows it", async () => {
  const app = await startTestApp();
  try {
    const browser = await signedIn(app);
    const id = await createProject(browser, "A booking app for independent dog groomers");
    const events = await allEvents(browser, id);
    assert.equal(events.at(-1)!.event, "generation.completed");
    assert.ok(events.some((e) => e.event === "stage.delta"), "partial output streamed");
    const page = await browser.request(`/projects/${id}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    for (const stage of STAGE_NAMES) {
      assert.ok(html.includes(`class="bp-stage bp-${stage}"`), `${stage} view rendered`);
    }
    assert.ok(!/class="[^"]*bp-skeleton/.test(html), "no placeholder left once complete");
    assert.doesNotMatch(html, /http-equiv="refresh"/, "a finished page stops refreshing itself");
  } finally {
    await app.close();
  }
});

Deno.test("generation: regenerate brand makes version 2 and marks code stale", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const browser = await signedIn(app);
    const id = await createProject(browser, "An invoicing tool for freelance translators");
    await allEvents(browser, id);
    const res = await browser.post(`/projects/${id}`, { intent: "regenerate", stage: "brand" });
    assert.equal(res.status, 302);
    await res.body?.cancel();
    const events = await allEvents(browser, id);
    assert.deepEqual(
      events.filter((e) => e.event === "stage.completed").map((e) =>
        `${e.data.stage}:${e.data.version}`
      ),
      ["brand:2"],
    );
    const latest = await app.services.repos.generations.latestByProject(id);
    assert.equal(latest.brand?.version, 2);
    assert.equal(latest.code?.status, "stale");
    assert.equal(latest.design?.status, "completed");
    const history = await app.services.repos.generations.list({ projectId: id, stage: "brand" });
    assert.deepEqual(history.map((r) => r.version), [2, 1]);
    const page = await (await browser.request(`/projects/${id}`)).text();
    assert.match(page, /stale/);
  } finally {
    await app.close();
  }
});

Deno.test("generation: directive limits and the two-running-generations cap", async () => {
  const app = await startTestApp({ generate: scriptedGenerate({ delayMs: 2_000 }).generate });
  try {
    const browser = await signedIn(app);
    for (const bad of ["  a ", "x".repeat(401)]) {
      const res = await browser.post("/projects", { directive: bad });
      assert.equal(res.status, 302);
      const location = new URL(res.headers.get("location")!, app.origin);
      assert.equal(location.pathname, "/");
      assert.equal(location.searchParams.get("error"), "directive_length");
      await res.body?.cancel();
    }
    await createProject(browser, "A study companion for nursing students");
    await createProject(browser, "A habit tracker for remote teams");
    const third = await browser.post("/projects", { directive: "A recipe box for busy parents" });
    const location = new URL(third.headers.get("location")!, app.origin);
    assert.equal(location.pathname, "/");
    assert.equal(location.searchParams.get("error"), "generation_limit");
    await third.body?.cancel();
    const page = await (await browser.request(location.pathname + location.search)).text();
    assert.match(page, /2 generations running/);
    const list = await app.services.repos.projects.listForUser({
      userId: (await app.services.repos.users.findByEmail("gen@example.com"))!.id,
      limit: 10,
    });
    assert.equal(list.items.length, 2, "the refused project is not kept");
  } finally {
    await app.close();
  }
});

Deno.test("generation: a failing stage reports stage.failed, skips code, and retry finishes", async () => {
  let failing = true;
  const base = scriptedGenerate();
  const app = await startTestApp({
    generate: async function* (request) {
      if (failing && request.stage === "design") {
        yield* scriptedGenerate({ fail: ["design"] }).generate(request);
        return;
      }
      yield* base.generate(request);
    },
  });
  try {
    const browser = await signedIn(app);
    const id = await createProject(browser, "A podcast network for indie creators");
    const res = await browser.request(`/projects/${id}/events`);
    const events = await readSse(res);
    const failed = events.find((e) => e.event === "stage.failed");
    assert.equal(failed?.data.stage, "design");
    assert.equal(failed?.data.error.retryable, true);
    assert.ok(!events.some((e) => e.event === "stage.started" && e.data.stage === "code"));
    assert.equal((await app.services.repos.projects.getById(id))?.status, "failed");
    failing = false;
    const retry = await browser.post(`/projects/${id}`, { intent: "retry" });
    assert.equal(retry.status, 302);
    await retry.body?.cancel();
    const after = await allEvents(browser, id, events.at(-1)!.id);
    assert.deepEqual(
      after.filter((e) => e.event === "stage.completed").map((e) => e.data.stage).sort(),
      ["code", "design"],
    );
    assert.equal((await app.services.repos.projects.getById(id))?.status, "completed");
  } finally {
    await app.close();
  }
});

Deno.test("generation: other users cannot see a project or its events", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const owner = await signedIn(app, "owner@example.com");
    const id = await createProject(owner, "A marketplace for vintage bicycles");
    const intruder = await signedIn(app, "intruder@example.com");
    for (const path of [`/projects/${id}`, `/projects/${id}/events`]) {
      const res = await intruder.request(path);
      assert.equal(res.status, 404, path);
      await res.body?.cancel();
    }
    const del = await intruder.post(`/projects/${id}`, { intent: "delete", confirm: "yes" });
    assert.equal(del.status, 404);
    await del.body?.cancel();
    assert.ok(await app.services.repos.projects.getById(id));
    await allEvents(owner, id);
  } finally {
    await app.close();
  }
});
