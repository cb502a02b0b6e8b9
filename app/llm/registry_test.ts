import assert from "node:assert/strict";
import { parseEnv } from "../config/env.server.ts";
import { startFakeOpenAI } from "../../tests/fakes/openai.ts";
import { collect, stageRequest, validOutput } from "../../tests/fakes/stage_fixtures.ts";
import { createGenerator, createProviders, PROVIDER_FACTORIES } from "./registry.server.ts";

Deno.test("createProviders builds the LLM_PROVIDERS chain in order", () => {
  const env = parseEnv({
    LLM_PROVIDERS: "anthropic,offline,openai",
    OPENAI_API_KEY: "sk-1",
    ANTHROPIC_API_KEY: "sk-2",
  });
  assert.deepEqual(createProviders(env).map((p) => p.name), ["anthropic", "offline", "openai"]);
  assert.deepEqual(Object.keys(PROVIDER_FACTORIES).sort(), ["anthropic", "offline", "openai"]);
});

Deno.test("createProviders names the variable when a chain entry cannot be built", () => {
  const env = parseEnv({});
  assert.throws(
    () => createProviders({ ...env, llm: { providers: ["openai"] } }),
    /OPENAI_API_KEY is not set/,
  );
  assert.throws(
    () => createProviders({ ...env, llm: { providers: ["mystery" as "openai"] } }),
    /LLM_PROVIDERS: unknown provider "mystery"/,
  );
});

Deno.test("createGenerator routes a stage through the configured chain, cached the second time", async () => {
  const fake = startFakeOpenAI([{ output: validOutput }]);
  const kv = await Deno.openKv(":memory:");
  try {
    const env = parseEnv({
      LLM_PROVIDERS: "openai",
      OPENAI_API_KEY: "sk-1",
      OPENAI_BASE_URL: fake.url,
    });
    const generate = createGenerator({ env, kv });
    const first = await collect(generate({ ...stageRequest(), userId: "u" }));
    assert.equal(first.error, undefined);
    assert.deepEqual((first.events.at(-1) as { output: unknown }).output, validOutput);
    const second = await collect(generate({ ...stageRequest(), userId: "u" }));
    assert.equal((second.events.at(-1) as { usage: { cached: boolean } }).usage.cached, true);
    assert.equal(fake.requests.length, 1);
    assert.equal((fake.requests[0].body as { model: string }).model, env.openai.modelFast);
  } finally {
    kv.close();
    await fake.close();
  }
});
