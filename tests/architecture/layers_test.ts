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

/** The job engine stays in files of one idea each (issue 17 item 2). */
const MAX_GENERATION_FILE_LINES = 250;

Deno.test(`no module of app/generation/ is over ${MAX_GENERATION_FILE_LINES} lines`, async () => {
  const dir = new URL("generation/", APP);
  const offenders: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !/\.tsx?$/.test(entry.name) || /_test\.tsx?$/.test(entry.name)) continue;
    const text = await Deno.readTextFile(new URL(entry.name, dir));
    const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    if (lines > MAX_GENERATION_FILE_LINES) offenders.push(`app/generation/${entry.name}: ${lines}`);
  }
  assertEquals(offenders.sort(), []);
});
