/**
 * Model-output tolerance (issue 12): every habit of the local-server fake, alone and all at
 * once, for every stage, through the real OpenAI SDK; and Anthropic tool input with the value
 * habits. Each stage must complete from the model with an output that passes its schema, and
 * the repairs must be counted in the usage.
 */
import assert from "node:assert/strict";
import type { z } from "zod";
import { createOpenAIProvider, type OpenAIProfileName } from "../../app/llm/openai.server.ts";
import { createAnthropicProvider } from "../../app/llm/anthropic.server.ts";
import { stageJsonSchema } from "../../app/llm/structured_output.server.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";
import { stageSchemas } from "../../app/blueprint/schemas.ts";
import { STAGE_NAMES, type StageName } from "../../app/blueprint/stages.ts";
import type { ProviderEvent } from "../../app/llm/types.ts";
import type { Usage } from "../../app/blueprint/usage.ts";
import { ProviderError } from "../../app/llm/types.ts";
import { type FakeLocal, type LocalHabits, startFakeLocal } from "../fakes/local.ts";
import { applyHabits, VALUE_HABITS } from "../fakes/habits.ts";
import { startFakeAnthropic } from "../fakes/anthropic.ts";
import { collect } from "../fakes/stage_fixtures.ts";
import type { RecordedRequest } from "../fakes/http.ts";

const DIRECTIVE = "A marketplace where local farmers sell vegetable boxes";

/** Upstream inputs of each stage, from the offline engine (deterministic). */
function inputsOf(stage: StageName): Partial<Record<StageName, unknown>> {
  const product = generateStage("product", DIRECTIVE);
  const inputs: Partial<Record<StageName, unknown>> = {};
  if (stage !== "product") inputs.product = product;
  if (stage === "code") {
    inputs.architecture = generateStage("architecture", DIRECTIVE);
    inputs.design = generateStage("design", DIRECTIVE);
    inputs.brand = generateStage("brand", DIRECTIVE);
  }
  return inputs;
}

function stageOfRequest(request: RecordedRequest): StageName {
  const body = request.body as {
    response_format?: { json_schema?: { name?: string } };
    messages?: { content?: string }[];
  };
  const named = body.response_format?.json_schema?.name?.replace(/_stage$/, "");
  if (named) return named as StageName;
  // Without json_schema the stage is only in the prompt; the user turn names it first.
  const text = (body.messages ?? []).map((m) => m.content ?? "").join("\n");
  const found = STAGE_NAMES.map((stage) => ({ stage, at: text.indexOf(`"${stage}"`) }))
    .filter((hit) => hit.at >= 0).sort((a, b) => a.at - b.at)[0];
  return found?.stage ?? "product";
}

function localServer(habits: LocalHabits, stage: StageName): FakeLocal {
  return startFakeLocal(() => ({
    key: stage,
    output: generateStage(stage, DIRECTIVE, inputsOf(stage)),
    jsonSchema: stageJsonSchema(stageSchemas[stage]),
  }), habits);
}

async function runStage(
  stage: StageName,
  fake: { url: string },
  options: { profile?: OpenAIProfileName; timeouts?: { firstTokenMs: number; totalMs: number } } =
    {},
): Promise<{ events: ProviderEvent[]; error?: unknown; usage?: Usage; output?: unknown }> {
  const provider = createOpenAIProvider({
    apiKey: "ollama",
    baseUrl: fake.url,
    models: { fast: "llama3.2", strong: "qwen2.5:32b" },
    profile: options.profile ?? "ollama",
    timeouts: options.timeouts,
  });
  const result = await collect(provider.generate({
    stage,
    directive: DIRECTIVE,
    inputs: inputsOf(stage),
    schema: stageSchemas[stage],
    schemaVersion: 1,
    signal: new AbortController().signal,
  }));
  const completed = result.events.find((e) => e.type === "completed");
  return {
    ...result,
    usage: completed?.type === "completed" ? completed.usage : undefined,
    output: completed?.type === "completed" ? completed.output : undefined,
  };
}

function assertValid(stage: StageName, output: unknown) {
  const check = (stageSchemas[stage] as z.ZodType).safeParse(output);
  assert.ok(check.success, `${stage}: ${JSON.stringify(check.error?.issues.slice(0, 3))}`);
}

/** Whether a value habit changes this stage's output at all (code has no enums, ...). */
function habitApplies(stage: StageName, habit: (typeof VALUE_HABITS)[number]): boolean {
  const output = generateStage(stage, DIRECTIVE, inputsOf(stage));
  const changed = applyHabits(output, stageJsonSchema(stageSchemas[stage]), [habit]);
  return JSON.stringify(changed) !== JSON.stringify(output);
}

const EXPECTED_REPAIR: Record<(typeof VALUE_HABITS)[number], string> = {
  longStrings: "truncated_string",
  enumCase: "enum_case",
  numbersAsStrings: "coerced_number",
  extraKeys: "dropped_key",
  controlChars: "cleaned_text",
};

for (const habit of VALUE_HABITS) {
  Deno.test(`tolerance: ${habit} is repaired for every stage, from the model`, async () => {
    for (const stage of STAGE_NAMES) {
      const fake = localServer({ values: [habit] }, stage);
      try {
        const { error, usage, output } = await runStage(stage, fake);
        assert.equal(error, undefined, `${stage}: ${error}`);
        assert.equal(usage!.provider, "openai");
        assertValid(stage, output);
        assert.equal(fake.requests.length, 1, `${stage}: no repair round-trip needed`);
        if (habitApplies(stage, habit)) {
          assert.ok((usage!.repairKinds?.[EXPECTED_REPAIR[habit]] ?? 0) > 0, `${stage} counted`);
          assert.equal(usage!.repairs, Object.values(usage!.repairKinds!).reduce((a, b) => a + b));
        }
      } finally {
        await fake.close();
      }
    }
  });
}

Deno.test("tolerance: JSON in a markdown fence after a sentence is extracted for every stage", async () => {
  for (const stage of STAGE_NAMES) {
    const fake = localServer({ prose: true }, stage);
    try {
      const { error, usage, output } = await runStage(stage, fake);
      assert.equal(error, undefined, `${stage}: ${error}`);
      assertValid(stage, output);
      assert.equal(usage!.repairKinds?.extracted_json, 1);
      assert.equal(fake.requests.length, 1);
    } finally {
      await fake.close();
    }
  }
});

Deno.test("tolerance: no usage block still completes, with tokens estimated from the text", async () => {
  const fake = localServer({ noUsage: true }, "brand");
  try {
    const { error, usage } = await runStage("brand", fake);
    assert.equal(error, undefined);
    assert.ok(usage!.inputTokens > 0 && usage!.outputTokens > 0);
    assert.equal(usage!.repairs, 0);
  } finally {
    await fake.close();
  }
});

Deno.test("tolerance: finish_reason length mid-object keeps the complete part or asks once, for every stage", async () => {
  for (const stage of STAGE_NAMES) {
    const fake = localServer({ cutAt: 0.93 }, stage);
    try {
      const { error, usage, output } = await runStage(stage, fake);
      assert.equal(error, undefined, `${stage}: ${error}`);
      assert.equal(usage!.provider, "openai");
      assertValid(stage, output);
      const kinds = usage!.repairKinds ?? {};
      assert.ok(
        (kinds.salvaged_truncated ?? 0) + (kinds.repair_round_trip ?? 0) > 0,
        `${stage}: ${JSON.stringify(kinds)}`,
      );
      assert.ok(fake.requests.length <= 2);
      if (fake.requests.length === 2) {
        const last = (fake.requests[1].body as { messages: { content: string }[] }).messages.at(
          -1,
        )!;
        assert.match(last.content, /cut off at the output limit/);
      }
    } finally {
      await fake.close();
    }
  }
});

Deno.test("tolerance: SSE keep-alive comments between chunks are ignored", async () => {
  const fake = localServer({ keepAlive: true }, "design");
  try {
    const { error, output } = await runStage("design", fake);
    assert.equal(error, undefined);
    assertValid("design", output);
  } finally {
    await fake.close();
  }
});

Deno.test("tolerance: a pause mid-stream longer than the first-token limit does not time the call out", async () => {
  // Scaled 1:40 from "20 s pause against the 20 s first-token limit and 120 s total": a 500 ms
  // pause against a 250 ms first-token limit. The total limit stays generous (no race on it).
  const fake = localServer({ pauseMs: 500, keepAlive: false }, "product");
  try {
    const { error, output, events } = await runStage("product", fake, {
      timeouts: { firstTokenMs: 250, totalMs: 30_000 },
    });
    assert.equal(error, undefined, String(error));
    assertValid("product", output);
    assert.equal(events.at(-1)!.type, "completed");
  } finally {
    await fake.close();
  }
});

Deno.test("tolerance: a server refusing stream_options is asked again without it, once", async () => {
  const fake = localServer({ rejectStreamOptions: true, noUsage: true }, "product");
  try {
    const first = await runStage("product", fake, { profile: "compatible" });
    assert.equal(first.error, undefined);
    const bodies = fake.requests.map((r) => r.body as { stream_options?: unknown });
    assert.equal(bodies.length, 2);
    assert.ok(bodies[0].stream_options !== undefined && bodies[1].stream_options === undefined);
  } finally {
    await fake.close();
  }
});

Deno.test("tolerance: LM Studio profile sends json_schema and no stream_options; a refusal steps down", async () => {
  const lm = localServer({ rejectFormats: ["json_object"] }, "product");
  try {
    const result = await runStage("product", lm, { profile: "lmstudio" });
    assert.equal(result.error, undefined);
    const body = lm.requests[0].body as {
      stream_options?: unknown;
      response_format?: { type: string };
    };
    assert.equal(body.response_format?.type, "json_schema");
    assert.equal(body.stream_options, undefined);
  } finally {
    await lm.close();
  }
  const noSchema = localServer({ rejectFormats: ["json_schema"], prose: true }, "product");
  try {
    const result = await runStage("product", noSchema, { profile: "lmstudio" });
    assert.equal(result.error, undefined, String(result.error));
    const second = noSchema.requests[1].body as { response_format?: unknown; messages: any[] };
    assert.equal(second.response_format, undefined, "LM Studio never gets json_object");
    assert.match(second.messages[0].content, /"type":"object"/, "schema travels in the prompt");
  } finally {
    await noSchema.close();
  }
});

Deno.test("tolerance: all habits at once, every stage completes from the model", async () => {
  const totals: Record<string, number> = {};
  for (const stage of STAGE_NAMES) {
    const fake = localServer({
      values: VALUE_HABITS,
      prose: true,
      noUsage: true,
      cutAt: 0.93,
      keepAlive: true,
      pauseMs: 50,
    }, stage);
    try {
      const { error, usage, output } = await runStage(stage, fake);
      assert.equal(error, undefined, `${stage}: ${error}`);
      assert.equal(usage!.provider, "openai");
      assertValid(stage, output);
      assert.ok(usage!.repairs! > 0);
      for (const [kind, n] of Object.entries(usage!.repairKinds ?? {})) {
        totals[kind] = (totals[kind] ?? 0) + n;
      }
    } finally {
      await fake.close();
    }
  }
  console.log("all-habits repairs (5 stages):", JSON.stringify(totals));
  for (const kind of ["truncated_string", "enum_case", "dropped_key", "cleaned_text"]) {
    assert.ok(totals[kind] > 0, kind);
  }
});

Deno.test("tolerance: Anthropic tool input with over-long strings and wrong-case enums is repaired", async () => {
  for (const stage of STAGE_NAMES) {
    const fake = startFakeAnthropic(() => ({
      output: applyHabits(
        generateStage(stage, DIRECTIVE, inputsOf(stage)),
        stageJsonSchema(stageSchemas[stage]),
        ["longStrings", "enumCase", "numbersAsStrings"],
      ),
      chunkChars: 37,
    }));
    try {
      const provider = createAnthropicProvider({
        apiKey: "sk-ant-test",
        baseUrl: fake.url,
        models: { fast: "claude-3-5-haiku-latest", strong: "claude-sonnet-4-20250514" },
      });
      const { events, error } = await collect(provider.generate({
        stage,
        directive: DIRECTIVE,
        inputs: inputsOf(stage),
        schema: stageSchemas[stage],
        schemaVersion: 1,
        signal: new AbortController().signal,
      }));
      assert.equal(error, undefined, `${stage}: ${error}`);
      const completed = events.at(-1)!;
      assert.equal(completed.type, "completed");
      if (completed.type !== "completed") continue;
      assertValid(stage, completed.output);
      assert.equal(completed.usage.provider, "anthropic");
      const habits = ["longStrings", "enumCase", "numbersAsStrings"] as const;
      if (habits.some((habit) => habitApplies(stage, habit))) {
        assert.ok(completed.usage.repairs! > 0, stage);
      }
      assert.equal(fake.requests.length, 1, "repaired without a round-trip");
    } finally {
      await fake.close();
    }
  }
});

Deno.test("tolerance: Anthropic stop_reason max_tokens mid-object keeps the complete part", async () => {
  const output = generateStage("product", DIRECTIVE);
  const text = JSON.stringify(output);
  // Cut inside the last list (openQuestions has no minimum), as max_tokens would.
  const cut = text.slice(0, text.lastIndexOf('"openQuestions"') + 40);
  const fake = startFakeAnthropic([{ output: cut, stopReason: "max_tokens", chunkChars: 50 }]);
  try {
    const provider = createAnthropicProvider({
      apiKey: "sk-ant-test",
      baseUrl: fake.url,
      models: { fast: "claude-3-5-haiku-latest", strong: "claude-sonnet-4-20250514" },
    });
    const { events, error } = await collect(provider.generate({
      stage: "product",
      directive: DIRECTIVE,
      inputs: {},
      schema: stageSchemas.product,
      schemaVersion: 1,
      signal: new AbortController().signal,
    }));
    assert.equal(error, undefined, String(error));
    const completed = events.at(-1)!;
    assert.equal(completed.type, "completed");
    if (completed.type !== "completed") return;
    assertValid("product", completed.output);
    assert.equal(completed.usage.repairKinds?.salvaged_truncated, 1);
    assert.equal(fake.requests.length, 1);
  } finally {
    await fake.close();
  }
});

Deno.test("tolerance: an answer that is not JSON at all gets exactly one repair round-trip, then fails", async () => {
  const fake = startFakeLocal(() => ({ text: "I am sorry, I cannot help with that request." }));
  try {
    const { error, events } = await runStage("product", fake);
    assert.ok(error instanceof ProviderError);
    assert.equal(error.kind, "invalid_output");
    assert.equal(fake.requests.length, 2, "the answer plus one repair round-trip");
    assert.ok(!events.some((e) => e.type === "completed"));
    void stageOfRequest;
  } finally {
    await fake.close();
  }
});
