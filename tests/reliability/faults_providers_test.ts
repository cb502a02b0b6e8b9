/**
 * Fault: every provider failing (OpenAI-wire 500, Anthropic-wire 529 overloaded, through the
 * real SDKs): `stage.failed` with `retryable`, the job stops cleanly, and its owner — nobody
 * else — resumes it; completed stages are never run again.
 */
import assert from "node:assert/strict";
import { startTestApp } from "../support/app.ts";
import type { Browser } from "../support/app.ts";
import { readSse } from "../support/scripted.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { startFakeAnthropic } from "../fakes/anthropic.ts";
import type { FakeReply } from "../fakes/llm_script.ts";
import type { RecordedRequest } from "../fakes/http.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";
import { STAGE_NAMES } from "../../app/blueprint/stages.ts";
import type { StageName } from "../../app/blueprint/stages.ts";
import { createProject, DIRECTIVE, report, signedIn, stageOf } from "../support/reliability.ts";

type Mode = "ok" | "down" | "bad_request";

Deno.test({
  name:
    "providers: all failing gives stage.failed with retryable; the owner resumes where it stopped",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const modes: Partial<Record<StageName, Mode>> = {};
    const modeOf = (request: RecordedRequest) => modes[stageOf(request)] ?? "ok";
    const ok = (request: RecordedRequest): FakeReply => ({
      output: generateStage(stageOf(request), DIRECTIVE),
      chunkChars: 400,
    });
    const openai = startFakeOpenAI((request): FakeReply => {
      const mode = modeOf(request);
      if (mode === "down") {
        return { status: 500, error: { type: "server_error", message: "upstream exploded" } };
      }
      if (mode === "bad_request") {
        return { status: 400, error: { type: "invalid_request_error", message: "no" } };
      }
      return ok(request);
    });
    const anthropic = startFakeAnthropic((request): FakeReply => {
      const mode = modeOf(request);
      if (mode === "down") {
        return { status: 529, error: { type: "overloaded_error", message: "Overloaded" } };
      }
      if (mode === "bad_request") {
        return { status: 400, error: { type: "invalid_request_error", message: "no" } };
      }
      return ok(request);
    });
    const app = await startTestApp({
      env: {
        LLM_PROVIDERS: "openai,anthropic",
        OPENAI_API_KEY: "sk-test-openai",
        OPENAI_BASE_URL: openai.url,
        ANTHROPIC_API_KEY: "sk-ant-test",
        ANTHROPIC_BASE_URL: anthropic.url,
      },
    });
    const requestsFor = (stage: StageName) =>
      [...openai.requests, ...anthropic.requests].filter((r) => stageOf(r) === stage).length;
    const follow = async (browser: Browser, id: string) => {
      const events = await readSse(await browser.request(`/projects/${id}/events`));
      await app.services.pipeline.idle();
      return events;
    };
    try {
      const owner = await signedIn(app, "providers-owner@example.com");
      const stranger = await signedIn(app, "providers-stranger@example.com");

      modes.product = "down";
      const id = await createProject(owner);
      let events = await follow(owner, id);
      const failed = events.filter((e) => e.event === "stage.failed");
      assert.equal(failed.length, 1);
      assert.equal(failed[0].data.stage, "product");
      assert.equal(failed[0].data.error.retryable, true);
      assert.equal(typeof failed[0].data.error.code, "string");
      assert.match(failed[0].data.error.message, /Every provider failed/);
      assert.doesNotMatch(
        JSON.stringify(events),
        /upstream exploded|Overloaded/,
        "upstream text stays upstream",
      );
      assert.ok(
        !events.some((e) => e.event === "stage.started" && e.data.stage !== "product"),
        "nothing downstream of a failed stage starts",
      );
      const providersTried = new Set(
        events.filter((e) => e.event === "stage.started").map((e) => e.data.provider),
      );
      assert.deepEqual([...providersTried].sort(), ["anthropic", "openai"], "both providers tried");
      assert.equal((await app.services.repos.projects.getById(id))!.status, "failed");
      const page = await (await owner.request(`/projects/${id}`)).text();
      assert.match(page, /Some stages failed/);
      assert.match(page, /name="intent" value="retry"/, "the owner is offered a retry");

      const theirs = await stranger.post(`/projects/${id}`, { intent: "retry" });
      assert.equal(theirs.status, 404, "another user cannot resume it");
      await theirs.body?.cancel();
      assert.equal((await app.services.pipeline.currentJob(id))!.status, "failed");

      // Still down: the retry fails the same way and stays resumable.
      await retry(owner, id);
      events = await follow(owner, id);
      assert.equal(events.filter((e) => e.event === "stage.failed").length, 2);
      assert.equal((await app.services.pipeline.currentJob(id))!.status, "failed");

      // Product recovers, brand is down everywhere: design and architecture still complete.
      modes.product = "ok";
      modes.brand = "down";
      await retry(owner, id);
      events = await follow(owner, id);
      const completedNow = (list: typeof events) =>
        list.filter((e) => e.event === "stage.completed").map((e) => e.data.stage);
      assert.deepEqual(completedNow(events).sort(), ["architecture", "design", "product"]);
      assert.equal(events.filter((e) => e.event === "stage.failed").at(-1)!.data.stage, "brand");
      assert.ok(!events.some((e) => e.event === "stage.started" && e.data.stage === "code"));
      const before = Object.fromEntries(STAGE_NAMES.map((s) => [s, requestsFor(s)]));

      // Everything recovers: only brand and code run again.
      modes.brand = "ok";
      await retry(owner, id);
      events = await follow(owner, id);
      assert.equal(events.at(-1)!.event, "generation.completed");
      for (const stage of ["product", "design", "architecture"] as const) {
        assert.equal(requestsFor(stage), before[stage], `${stage} was not generated again`);
      }
      assert.ok(requestsFor("brand") > before.brand && requestsFor("code") > before.code);
      const rows = await app.services.repos.generations.list({ projectId: id });
      assert.deepEqual(
        rows.map((r) => `${r.stage}:${r.version}`).sort(),
        [...STAGE_NAMES].sort().map((s) => `${s}:1`),
        "one version per stage",
      );
      assert.equal((await app.services.repos.projects.getById(id))!.status, "completed");

      // A request every provider refuses as invalid is not worth retrying as is.
      modes.product = "bad_request";
      const refused = await createProject(owner, "A fitness tracker for rowing clubs");
      const refusedEvents = await follow(owner, refused);
      const refusal = refusedEvents.find((e) => e.event === "stage.failed")!;
      assert.equal(refusal.data.error.retryable, false);
      report("providers: upstream requests through the real SDKs", countRequests());
      report("providers: retries by the owner until complete", 3);
    } finally {
      await app.services.pipeline.idle();
      await app.close();
      await openai.close();
      await anthropic.close();
    }

    function countRequests(): number {
      return [...openai.requests, ...anthropic.requests].length;
    }
  },
});

async function retry(browser: Browser, id: string): Promise<void> {
  const res = await browser.post(`/projects/${id}`, { intent: "retry" });
  assert.equal(res.status, 302, `retry answered ${res.status}`);
  await res.body?.cancel();
}
