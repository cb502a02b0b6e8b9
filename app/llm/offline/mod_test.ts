import assert from "node:assert/strict";
import { normaliseStage } from "../../blueprint/normalise.ts";
import { SCHEMA_VERSION, type StageOutputs, stageSchemas } from "../../blueprint/schemas.ts";
import { STAGE_DEPENDENCIES, STAGE_NAMES, type StageName } from "../../blueprint/stages.ts";
import { ProviderError, type ProviderEvent, type StageRequest } from "../types.ts";
import { createOfflineProvider, generateStage } from "./mod.ts";

const DIRECTIVE = "a marketplace where local farmers sell vegetable boxes";

function request(
  stage: StageName,
  inputs: Partial<StageOutputs>,
  signal = new AbortController().signal,
): StageRequest {
  return {
    stage,
    directive: DIRECTIVE,
    inputs: Object.fromEntries(STAGE_DEPENDENCIES[stage].map((dep) => [dep, inputs[dep]])),
    schema: stageSchemas[stage],
    schemaVersion: SCHEMA_VERSION,
    signal,
  };
}

async function collect(events: AsyncIterable<ProviderEvent>): Promise<ProviderEvent[]> {
  const out: ProviderEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

Deno.test("the provider streams started, one delta per list item, then completed", async () => {
  const provider = createOfflineProvider();
  assert.equal(provider.name, "offline");
  assert.equal(provider.model, "atlas9-offline-1");
  const outputs: Partial<StageOutputs> = {};
  for (const stage of STAGE_NAMES) {
    const events = await collect(provider.generate(request(stage, outputs)));
    assert.deepEqual(events[0], {
      type: "started",
      provider: "offline",
      model: "atlas9-offline-1",
    });
    const deltas = events.filter((e) => e.type === "delta");
    const completed = events.at(-1);
    assert.ok(completed?.type === "completed", stage);
    assert.equal(events.length, deltas.length + 2);
    assert.ok(deltas.length >= 5 && deltas.length <= 200, `${stage}: ${deltas.length} deltas`);
    assert.deepEqual(
      (deltas.at(-1) as { partial: unknown }).partial,
      completed.output,
      `${stage}: the last delta is the whole output`,
    );
    assert.equal(completed.usage.provider, "offline");
    assert.equal(completed.usage.costUsd, 0);
    assert.equal(completed.usage.cached, false);
    assert.ok(completed.usage.outputTokens > 0);
    assert.ok(completed.usage.ttftMs <= completed.usage.durationMs);
    (outputs as Record<string, unknown>)[stage] = completed.output;
  }
  const product = outputs.product as StageOutputs["product"];
  const growing = (await collect(createOfflineProvider().generate(request("product", {}))))
    .flatMap((e) =>
      e.type === "delta" ? [(e.partial as { features?: unknown[] }).features?.length ?? 0] : []
    );
  assert.deepEqual(
    [...new Set(growing)],
    Array.from({ length: product.features.length + 1 }, (_, i) => i),
    "features arrive one at a time",
  );
});

Deno.test("the provider stops when its request is aborted", async () => {
  const controller = new AbortController();
  const seen: ProviderEvent["type"][] = [];
  await assert.rejects(
    async () => {
      for await (
        const event of createOfflineProvider().generate(request("product", {}, controller.signal))
      ) {
        seen.push(event.type);
        if (event.type === "delta") controller.abort();
      }
    },
    (error: unknown) => error instanceof ProviderError && error.kind === "aborted",
  );
  assert.deepEqual(seen, ["started", "delta"]);

  const aborted = new AbortController();
  aborted.abort();
  await assert.rejects(
    collect(createOfflineProvider().generate(request("product", {}, aborted.signal))),
  );
});

Deno.test("every stage is schema-valid and already normalised", () => {
  const directives = [
    DIRECTIVE,
    "help tutors track homework for kids",
    "A booking app for independent dog groomers",
    "an invoicing tool for freelancers",
    "x",
  ];
  for (const directive of directives) {
    const outputs: Partial<StageOutputs> = {};
    for (const stage of STAGE_NAMES) {
      const output = generateStage(stage, directive, outputs);
      assert.ok(stageSchemas[stage].safeParse(output).success, `${directive}: ${stage}`);
      assert.deepEqual(
        normaliseStage(stage, output as never, outputs),
        output,
        `${directive}: ${stage}`,
      );
      (outputs as Record<string, unknown>)[stage] = output;
    }
  }
});

Deno.test("same directive, byte-identical blueprint; missing inputs are generated the same way", () => {
  const run = () => {
    const outputs: Record<string, unknown> = {};
    for (const stage of STAGE_NAMES) outputs[stage] = generateStage(stage, DIRECTIVE, outputs);
    return JSON.stringify(outputs);
  };
  assert.equal(run(), run());
  const chained = JSON.parse(run()) as StageOutputs;
  assert.deepEqual(generateStage("code", DIRECTIVE), chained.code, "code without inputs");
});

Deno.test("upstream outputs from another provider are used, not replaced", () => {
  const product = generateStage("product", DIRECTIVE);
  const foreign: StageOutputs["product"] = {
    ...product,
    features: [
      ...product.features,
      {
        id: "weekly-subscriptions",
        title: "Weekly box subscriptions",
        description: "Customers subscribe to a weekly box and skip weeks when away.",
        priority: "P0",
        userStories: [{
          id: "weekly-subscriptions-1",
          asA: "customer",
          iWant: "a box every week",
          soThat: "I never run out",
          acceptanceCriteria: ["Skipping a week is one tap"],
        }],
      },
    ],
  };
  const design = generateStage("design", DIRECTIVE, { product: foreign });
  const architecture = generateStage("architecture", DIRECTIVE, { product: foreign });
  assert.ok(design.screens.some((s) => s.features.includes("weekly-subscriptions")));
  assert.ok(architecture.endpoints.some((e) => e.features.includes("weekly-subscriptions")));
  assert.deepEqual(normaliseStage("design", design, { product: foreign }), design);
  assert.deepEqual(
    normaliseStage("architecture", architecture, { product: foreign }),
    architecture,
  );
});

Deno.test("an actor's own adjective is not repeated and articles follow the sound", () => {
  const product = generateStage("product", "A booking app for independent dog groomers");
  assert.equal(
    product.targetUsers,
    "Independent dog groomers and small teams, and the dog owners who book them.",
  );
  assert.ok(
    product.goals.includes("A booking page an independent dog groomer can set up in 15 minutes"),
  );
});

Deno.test("a persona stands for a person, even when the user is a business", () => {
  const product = generateStage("product", "table reservations for small restaurants");
  assert.match(product.personas[0].name, /^\p{Lu}\p{Ll}+, from a small restaurant$/u);
  assert.match(product.personas[1].name, /^\p{Lu}\p{Ll}+, diner$/u);
});
