import assert from "node:assert/strict";
import { Browser, startTestApp } from "../support/app.ts";
import { readSse } from "../support/scripted.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import type { RecordedRequest } from "../fakes/http.ts";
import type { FakeReply } from "../fakes/llm_script.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";
import { STAGE_NAMES } from "../../app/blueprint/stages.ts";
import type { StageName } from "../../app/blueprint/stages.ts";

const DIRECTIVE = "A marketplace where local farmers sell vegetable boxes";

function stageOf(request: RecordedRequest): StageName {
  const body = request.body as { response_format?: { json_schema?: { name?: string } } };
  return body.response_format?.json_schema?.name?.replace(/_stage$/, "") as StageName;
}

async function generateThrough(
  env: Record<string, string>,
): Promise<
  {
    events: { id: number; event: string; data: any }[];
    app: Awaited<ReturnType<typeof startTestApp>>;
    id: string;
    browser: Browser;
  }
> {
  const app = await startTestApp({ env });
  const browser = new Browser(app);
  await (await browser.post("/signup", {
    email: "llm@example.com",
    password: "correct horse battery staple",
  }))
    .body?.cancel();
  const created = await browser.post("/projects", { directive: DIRECTIVE });
  await created.body?.cancel();
  const id = created.headers.get("location")!.split("/").pop()!;
  const events = await readSse(await browser.request(`/projects/${id}/events`), {
    until: (e) => e.event === "generation.completed" || e.event === "stage.failed",
  });
  return { events, app, id, browser };
}

Deno.test("llm: a blueprint streams from an OpenAI-wire server through the real SDK", async () => {
  const fake = startFakeOpenAI((request): FakeReply => ({
    output: generateStage(stageOf(request), DIRECTIVE),
    chunkChars: 400,
    usage: { inputTokens: 1200, outputTokens: 900 },
  }));
  const { events, app, id, browser } = await generateThrough({
    OPENAI_API_KEY: "sk-test-key",
    OPENAI_BASE_URL: fake.url,
    OPENAI_MODEL_FAST: "gpt-4o-mini",
    OPENAI_MODEL_STRONG: "gpt-4o",
  });
  try {
    assert.equal(events.at(-1)!.event, "generation.completed");
    const started = events.filter((e) => e.event === "stage.started");
    assert.ok(started.every((e) => e.data.provider === "openai"));
    assert.deepEqual(
      Object.fromEntries(started.map((e) => [e.data.stage, e.data.model])),
      {
        product: "gpt-4o-mini",
        brand: "gpt-4o-mini",
        design: "gpt-4o-mini",
        architecture: "gpt-4o",
        code: "gpt-4o",
      },
      "FAST for product/brand/design, STRONG for architecture/code",
    );
    const rows = await app.services.repos.generations.list({ projectId: id });
    assert.equal(rows.length, 5);
    for (const row of rows) {
      assert.equal(row.provider, "openai");
      assert.equal(row.inputTokens, 1200);
      assert.equal(row.outputTokens, 900);
      assert.ok(row.costUsd > 0, "cost from the price table");
    }
    const total = events.at(-1)!.data.costUsd;
    assert.ok(Math.abs(total - rows.reduce((n, r) => n + r.costUsd, 0)) < 1e-6);
    assert.equal(fake.requests.length, 5);
    for (const request of fake.requests) {
      assert.equal(request.headers.authorization, "Bearer sk-test-key");
      assert.ok(!JSON.stringify(events).includes("sk-test-key"));
    }
    const page = await (await browser.request(`/projects/${id}`)).text();
    assert.match(page, /gpt-4o-mini/);
    assert.match(page, /<dd>openai<\/dd>/);

    // Same directive again: every stage is served from the KV cache, no upstream call.
    const again = await browser.post("/projects", { directive: DIRECTIVE });
    await again.body?.cancel();
    const second = again.headers.get("location")!.split("/").pop()!;
    const cached = await readSse(await browser.request(`/projects/${second}/events`), {
      until: (e) => e.event === "generation.completed",
    });
    const usages = cached.filter((e) => e.event === "stage.completed").map((e) => e.data.usage);
    assert.equal(usages.length, 5);
    assert.ok(usages.every((u) => u.cached === true && u.costUsd === 0));
    assert.equal(fake.requests.length, 5, "no new upstream request");
  } finally {
    await app.close();
    await fake.close();
  }
});

Deno.test("llm: a 500 on one stage falls back to the next provider with a clean restart", async () => {
  const fake = startFakeOpenAI((request): FakeReply =>
    stageOf(request) === "brand"
      ? { status: 500, error: { type: "server_error", message: "boom" } }
      : { output: generateStage(stageOf(request), DIRECTIVE), chunkChars: 300 }
  );
  const { events, app, id } = await generateThrough({
    OPENAI_API_KEY: "sk-test-key",
    OPENAI_BASE_URL: fake.url,
    LLM_PROVIDERS: "openai,offline",
  });
  try {
    assert.equal(events.at(-1)!.event, "generation.completed");
    const brandStarts = events.filter((e) =>
      e.event === "stage.started" && e.data.stage === "brand"
    );
    assert.equal(brandStarts.at(-1)!.data.provider, "offline");
    const latest = await app.services.repos.generations.latestByProject(id);
    assert.equal(latest.brand?.provider, "offline");
    assert.equal(latest.product?.provider, "openai");
    for (const stage of STAGE_NAMES) assert.equal(latest[stage]?.version, 1);
  } finally {
    await app.close();
    await fake.close();
  }
});

Deno.test("llm: an exhausted daily budget fails the stage with a clear, retryable-later message and no call", async () => {
  const fake = startFakeOpenAI((request): FakeReply => ({
    output: generateStage(stageOf(request), DIRECTIVE),
  }));
  const { events, app } = await generateThrough({
    OPENAI_API_KEY: "sk-test-key",
    OPENAI_BASE_URL: fake.url,
    LLM_PROVIDERS: "openai",
    USER_DAILY_BUDGET_USD: "0",
  });
  try {
    const failed = events.find((e) => e.event === "stage.failed");
    assert.equal(failed?.data.stage, "product");
    assert.equal(failed?.data.error.code, "budget_exhausted");
    assert.match(failed?.data.error.message, /Daily AI budget/);
    assert.equal(fake.requests.length, 0);
  } finally {
    await app.close();
    await fake.close();
  }
});
