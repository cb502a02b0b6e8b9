import assert from "node:assert/strict";
import OpenAI from "openai";
import { isReasoningModel, refusesJsonSchema } from "./openai.server.ts";
import { loadOpenAI } from "./sdk.server.ts";

const badRequest = (error: Record<string, unknown>) =>
  OpenAI.APIError.generate(400, { error }, undefined, new Headers());

Deno.test("refusesJsonSchema recognises a server without structured outputs", async () => {
  // The provider classifies errors of the SDK it loaded on its first call (decision 014).
  await loadOpenAI();
  assert.equal(refusesJsonSchema(badRequest({ message: "bad", param: "response_format" })), true);
  assert.equal(
    refusesJsonSchema(badRequest({ message: "response_format json_schema is unsupported" })),
    true,
  );
  assert.equal(refusesJsonSchema(badRequest({ message: "messages must not be empty" })), false);
  const serverError = OpenAI.APIError.generate(
    500,
    { error: { param: "response_format" } },
    undefined,
    new Headers(),
  );
  assert.equal(refusesJsonSchema(serverError), false);
  assert.equal(refusesJsonSchema(new Error("response_format")), false);
});

Deno.test("isReasoningModel picks the models that take max_completion_tokens", () => {
  for (const model of ["o3", "o4-mini", "o3-mini-2025-01-31", "gpt-5", "gpt-5-mini"]) {
    assert.equal(isReasoningModel(model), true, model);
  }
  for (const model of ["gpt-4o", "gpt-4.1-mini", "llama3.1", "omni"]) {
    assert.equal(isReasoningModel(model), false, model);
  }
});
