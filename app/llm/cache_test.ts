import assert from "node:assert/strict";
import { llmCacheKey } from "../kv/keys.ts";
import { cacheKeyOf, createLlmCache, kvCacheStore, replayCached } from "./cache.server.ts";
import { PROMPT_VERSION } from "./prompts/mod.ts";

const call = {
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "hi" }],
  temperature: 0.3,
};

Deno.test("cacheKeyOf: provider, model, prompt version and 16 hex of sha256 of the call", async () => {
  const key = await cacheKeyOf("openai", { call, schemaVersion: 1 });
  assert.equal(key.length, 5);
  assert.deepEqual(key.slice(0, 4), ["llm", "openai", "gpt-4o-mini", PROMPT_VERSION]);
  assert.match(String(key[4]), /^[0-9a-f]{16}$/);
  const { messages, model, temperature } = call;
  const json = JSON.stringify({ messages, model, temperature, schemaVersion: 1 });
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(json)),
  );
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, 16);
  assert.deepEqual(key, llmCacheKey("openai", "gpt-4o-mini", PROMPT_VERSION, hex));
  assert.notDeepEqual(await cacheKeyOf("openai", { call, schemaVersion: 2 }), key);
  assert.notDeepEqual(
    await cacheKeyOf("openai", { call: { ...call, temperature: 0 }, schemaVersion: 1 }),
    key,
  );
});

Deno.test("kvCacheStore round-trips values above the 64 KiB KV limit in chunks", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const store = kvCacheStore(kv);
    const key = ["llm", "openai", "m", "p1", "abc"];
    const big = {
      files: Array.from(
        { length: 40 },
        (_, i) => ({ path: `f${i}.ts`, content: "é".repeat(3_000) }),
      ),
    };
    await store.set(key, big, 60_000);
    assert.deepEqual(await store.get(key), big);
    const chunks = await Array.fromAsync(kv.list({ prefix: ["chunk", ...key] }));
    assert.ok(chunks.length >= 4, "stored in chunks");

    await store.set(["small"], { a: 1 }, 60_000);
    assert.deepEqual(await store.get(["small"]), { a: 1 });
    assert.equal(await store.get(["missing"]), undefined);

    await kv.delete(chunks[1].key);
    assert.equal(await store.get(key), undefined, "a missing chunk reads as a miss");
  } finally {
    kv.close();
  }
});

Deno.test("createLlmCache ignores malformed entries", async () => {
  const entries = new Map<string, unknown>([[JSON.stringify(["k"]), { nonsense: true }]]);
  const cache = createLlmCache({
    store: {
      get: (key) => Promise.resolve(entries.get(JSON.stringify(key))),
      set: (key, value) => {
        entries.set(JSON.stringify(key), value);
        return Promise.resolve();
      },
    },
  });
  assert.equal(await cache.get(["k"]), undefined);
  await cache.set(["k"], { provider: "openai", model: "m", output: { a: 1 } });
  assert.deepEqual(await cache.get(["k"]), { provider: "openai", model: "m", output: { a: 1 } });
});

Deno.test("replayCached streams started, growing deltas, then a free cached completion", () => {
  const output = { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 };
  const events = [...replayCached({ provider: "openai", model: "m", output }, { durationMs: 3 })];
  assert.deepEqual(events[0], { type: "started", provider: "openai", model: "m" });
  const deltas = events.filter((e) => e.type === "delta");
  assert.ok(deltas.length >= 2);
  const last = events.at(-1)!;
  assert.equal(last.type, "completed");
  if (last.type !== "completed") return;
  assert.deepEqual(last.output, output);
  assert.equal(last.usage.cached, true);
  assert.equal(last.usage.costUsd, 0);
});
