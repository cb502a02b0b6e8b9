/**
 * Model-output tolerance through the whole app (issue 12): a local OpenAI-compatible server
 * with every habit at once still yields a complete blueprint from the model, with the repairs
 * counted in `stage.completed`, the stored rows and /status; an unusable answer gets one repair
 * round-trip, then the offline floor, and the events say so.
 */
import assert from "node:assert/strict";
import { Browser, confirmAdmin, startTestApp, TEST_ADMIN_SETUP_TOKEN } from "../support/app.ts";
import { readSse } from "../support/scripted.ts";
import { startFakeLocal } from "../fakes/local.ts";
import { VALUE_HABITS } from "../fakes/habits.ts";
import type { RecordedRequest } from "../fakes/http.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";
import { stageJsonSchema } from "../../app/llm/structured_output.server.ts";
import { stageSchemas } from "../../app/blueprint/schemas.ts";
import { STAGE_NAMES, type StageName } from "../../app/blueprint/stages.ts";

const DIRECTIVE = "A marketplace where local farmers sell vegetable boxes";

function stageOf(request: RecordedRequest): StageName {
  const body = request.body as { response_format?: { json_schema?: { name?: string } } };
  return body.response_format!.json_schema!.name!.replace(/_stage$/, "") as StageName;
}

async function generate(env: Record<string, string>) {
  const app = await startTestApp({
    env: { ADMIN_EMAILS: "ops@example.com", ADMIN_SETUP_TOKEN: TEST_ADMIN_SETUP_TOKEN, ...env },
  });
  const browser = new Browser(app);
  await (await browser.post("/signup", {
    email: "ops@example.com",
    password: "correct horse battery staple",
  })).body?.cancel();
  const created = await browser.post("/projects", { directive: DIRECTIVE });
  await created.body?.cancel();
  const id = created.headers.get("location")!.split("/").pop()!;
  const events = await readSse(await browser.request(`/projects/${id}/events`), {
    until: (e) => e.event === "generation.completed" || e.event === "stage.failed",
  });
  return { app, browser, id, events };
}

Deno.test("tolerance app: every habit at once, the whole blueprint comes from the model", async () => {
  const fake = startFakeLocal((request) => {
    const stage = stageOf(request);
    return {
      key: stage,
      output: generateStage(stage, DIRECTIVE),
      jsonSchema: stageJsonSchema(stageSchemas[stage]),
    };
  }, { values: VALUE_HABITS, prose: true, noUsage: true, cutAt: 0.93, keepAlive: true });
  const { app, browser, id, events } = await generate({
    OPENAI_API_KEY: "ollama",
    OPENAI_BASE_URL: fake.url,
    OPENAI_PROFILE: "ollama",
    OPENAI_MODEL_FAST: "llama3.2",
    OPENAI_MODEL_STRONG: "qwen2.5:32b",
  });
  try {
    assert.equal(events.at(-1)!.event, "generation.completed", JSON.stringify(events.at(-1)));
    const started = events.filter((e) => e.event === "stage.started");
    assert.ok(started.every((e) => e.data.provider === "openai"), "never offline");
    const completed = events.filter((e) => e.event === "stage.completed");
    assert.equal(completed.length, 5);
    const totals: Record<string, number> = {};
    for (const event of completed) {
      assert.ok(event.data.usage.repairs > 0, event.data.stage);
      for (const [kind, n] of Object.entries(event.data.usage.repairKinds as object)) {
        totals[kind] = (totals[kind] ?? 0) + (n as number);
      }
    }
    console.log("all-habits repairs through the app:", JSON.stringify(totals));
    const rows = await app.services.repos.generations.list({ projectId: id });
    for (const stage of STAGE_NAMES) {
      const row = rows.find((r) => r.stage === stage)!;
      assert.equal(row.provider, "openai");
      assert.ok(stageSchemas[stage].safeParse(row.output).success, stage);
      const event = completed.find((e) => e.data.stage === stage)!;
      assert.equal(row.repairs, event.data.usage.repairs);
    }
    const total = rows.reduce((n, r) => n + (r.repairs ?? 0), 0);
    assert.ok((await confirmAdmin(browser)).status < 400);
    const statusPage = await browser.request("/status");
    assert.equal(statusPage.status, 200);
    const status = await statusPage.text();
    const shown = status.replace(/<!-- -->/g, "")
      .match(/Model outputs repaired before they validated:\s*(\d+)/);
    assert.equal(Number(shown?.[1]), total);
  } finally {
    await app.close();
    await fake.close();
  }
});

Deno.test("tolerance app: an unusable answer gets one repair round-trip, then the offline floor says so", async () => {
  const fake = startFakeLocal((request) =>
    stageOf(request) === "product" ? { text: "I'm sorry, I can't help with that." } : {
      key: stageOf(request),
      output: generateStage(stageOf(request), DIRECTIVE),
      jsonSchema: stageJsonSchema(stageSchemas[stageOf(request)]),
    }
  );
  const { app, events } = await generate({ OPENAI_API_KEY: "sk-local", OPENAI_BASE_URL: fake.url });
  try {
    assert.equal(events.at(-1)!.event, "generation.completed");
    const productCalls = fake.requests.filter((r) => stageOf(r) === "product");
    assert.equal(productCalls.length, 2, "the answer and exactly one repair round-trip");
    const product = events.filter((e) =>
      (e.event === "stage.started" || e.event === "stage.completed") && e.data.stage === "product"
    );
    assert.deepEqual(product.map((e) => e.data.provider ?? e.data.usage.provider), [
      "openai",
      "offline",
      "offline",
    ]);
    const status = events.find((e) => e.event === "status" && /product/.test(e.data.message));
    assert.ok(status, "a status event says why");
    assert.match(status!.data.message, /offline/);
    assert.match(status!.data.message, /openai: invalid_output/);
    assert.ok(!events.some((e) => e.event === "stage.failed"));
    const brand = events.find((e) => e.event === "stage.completed" && e.data.stage === "brand")!;
    assert.equal(brand.data.usage.provider, "openai");
  } finally {
    await app.close();
    await fake.close();
  }
});

Deno.test("tolerance app: without offline in the chain, an unusable answer still fails the stage", async () => {
  const fake = startFakeLocal(() => ({ text: "no JSON here" }));
  const { app, events } = await generate({
    OPENAI_API_KEY: "sk-local",
    OPENAI_BASE_URL: fake.url,
    LLM_PROVIDERS: "openai",
  });
  try {
    const failed = events.at(-1)!;
    assert.equal(failed.event, "stage.failed");
    assert.equal(failed.data.error.code, "invalid_output");
    assert.ok(!events.some((e) => e.event === "stage.started" && e.data.provider === "offline"));
  } finally {
    await app.close();
    await fake.close();
  }
});
