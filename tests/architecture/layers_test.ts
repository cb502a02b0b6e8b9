import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { type Edge, importCycles, importGraph, upwardImports } from "./graph.ts";

const APP = new URL("../../app/", import.meta.url);

Deno.test("no module of app/ imports from a higher layer", async () => {
  const graph = await importGraph(APP);
  const upward = upwardImports(graph).map((a) =>
    `${a.from} (${a.fromLayer}) -> ${a.to} (${a.toLayer})`
  );
  assertEquals(upward, []);
});

Deno.test("app/ has no import cycles", async () => {
  assertEquals(importCycles(await importGraph(APP)), []);
});

Deno.test("the checker sees an upward arrow, a cycle, and lets the services type through", () => {
  const graph = new Map<string, Edge[]>([
    ["app/llm/openai.server.ts", [{ to: "app/generation/pipeline.server.ts", typeOnly: false }]],
    ["app/generation/pipeline.server.ts", [{ to: "app/llm/openai.server.ts", typeOnly: false }]],
    ["app/blueprint/stages.ts", [{ to: "app/server/services.server.ts", typeOnly: true }]],
    ["app/kv/keys.ts", [{ to: "app/server/services.server.ts", typeOnly: false }]],
  ]);
  assertEquals(upwardImports(graph).map((a) => a.from), [
    "app/llm/openai.server.ts",
    "app/kv/keys.ts",
  ]);
  assertEquals(importCycles(graph), [[
    "app/generation/pipeline.server.ts",
    "app/llm/openai.server.ts",
    "app/generation/pipeline.server.ts",
  ]]);
});
