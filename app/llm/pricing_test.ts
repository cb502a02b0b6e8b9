import assert from "node:assert/strict";
import { costOf, costUsd, priceOf } from "./pricing.ts";

Deno.test("priceOf resolves dated snapshots to the longest listed family", () => {
  const cases: [string, number | undefined][] = [
    ["gpt-4o", 2.5],
    ["gpt-4o-mini", 0.15],
    ["gpt-4o-mini-2024-07-18", 0.15],
    ["gpt-4.1-mini", 0.4],
    ["o3-mini", 1.1],
    ["claude-sonnet-4-20250514", 3],
    ["claude-opus-4-5-20251101", 5],
    ["claude-opus-4-1-20250805", 15],
    ["claude-3-5-haiku-latest", 0.8],
    ["llama3.1:8b", undefined],
    ["gpt-4omni", undefined],
  ];
  for (const [model, input] of cases) assert.equal(priceOf(model)?.input, input, model);
});

Deno.test("costUsd multiplies tokens by the per-million price", () => {
  assert.equal(costUsd({ model: "gpt-4o-mini", inputTokens: 1_000_000, outputTokens: 0 }), 0.15);
  assert.equal(costUsd({ model: "claude-sonnet-4", inputTokens: 1000, outputTokens: 2000 }), 0.033);
});

Deno.test("unknown models cost nothing and are flagged unpriced", () => {
  assert.deepEqual(costOf({ model: "qwen2.5", inputTokens: 10, outputTokens: 10 }), {
    usd: 0,
    priced: false,
  });
});
