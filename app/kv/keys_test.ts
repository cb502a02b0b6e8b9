import assert from "node:assert/strict";
import * as keys from "./keys.ts";

Deno.test("key builders: each kind of record has its own first part and stable layout", () => {
  const cases: [readonly Deno.KvKeyPart[], readonly Deno.KvKeyPart[]][] = [
    [keys.sessionKey("s1"), ["session", "s1"]],
    [keys.jobKey("j1"), ["job", "j1"]],
    [keys.jobEventKey("j1", 7), ["job_events", "j1", 7]],
    [keys.jobEventsPrefix("j1"), ["job_events", "j1"]],
    [keys.activeJobKey("j1"), ["jobs_active", "j1"]],
    [keys.runningGenerationsKey("u1"), ["running", "u1"]],
    [keys.llmCacheKey("openai", "gpt-4o", "p1", "abcd"), ["llm", "openai", "gpt-4o", "p1", "abcd"]],
    [keys.chunkKey(["llm", "x"], 2), ["chunk", "llm", "x", 2]],
    [keys.idempotencyKey("u1", "k"), ["idem", "u1", "k"]],
    [keys.projectJobKey("p1"), ["project_job", "p1"]],
    [keys.publicPageKey("slug"), ["public_page", "slug"]],
    [keys.edgeStampKey("p:s"), ["edge_stamp", "p:s"]],
    [keys.edgeEntryKey("p:s", "html", "br"), ["edge_page", "p:s", "html", "br"]],
    [keys.edgeChunkKey("p:s", "html", "br", "c1", 0), ["edge_chunk", "p:s", "html", "br", "c1", 0]],
  ];
  for (const [actual, expected] of cases) assert.deepEqual([...actual], expected);
});

Deno.test("key builders: event keys sort by sequence number within their job", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    for (const seq of [10, 2, 1]) await kv.set(keys.jobEventKey("j", seq), seq);
    await kv.set(keys.jobEventKey("k", 1), "other job");
    const seen: unknown[] = [];
    for await (const entry of kv.list({ prefix: keys.jobEventsPrefix("j") })) {
      seen.push(entry.value);
    }
    assert.deepEqual(seen, [1, 2, 10]);
  } finally {
    kv.close();
  }
});

Deno.test("key builders: no two builders share a first part", () => {
  const firsts = [
    keys.sessionKey("a"),
    keys.rateLimitKey("s", "a", 0),
    keys.idempotencyKey("a", "b"),
    keys.jobKey("a"),
    keys.jobEventKey("a", 1),
    keys.activeJobKey("a"),
    keys.runningGenerationsKey("a"),
    keys.llmCacheKey("a", "b", "c", "d"),
    keys.chunkKey(["x"], 0),
    keys.spendKey("a", "2026-01-01"),
    keys.publicPageKey("a"),
    keys.projectCacheKey("a"),
    keys.projectJobKey("a"),
    keys.incidentKey("a"),
    keys.healthProbeKey(),
    keys.edgeStampKey("a"),
    keys.edgeEntryKey("a", "html", "br"),
    keys.edgeChunkKey("a", "html", "br", "c", 0),
  ].map((k) => k[0]);
  assert.equal(new Set(firsts).size, firsts.length);
});
