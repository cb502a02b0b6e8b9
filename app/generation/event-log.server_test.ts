import assert from "node:assert/strict";
import { chunkKey, jobEventKey } from "../kv/keys.ts";
import type { GenerationEvent } from "./events.ts";
import { appendEvent, readEvents } from "./event-log.server.ts";
import { diffPartial } from "./partial-patch.ts";

const usage = {
  provider: "offline",
  model: "offline-1",
  inputTokens: 1,
  outputTokens: 2,
  costUsd: 0,
  ttftMs: 1,
  durationMs: 2,
  cached: false,
};

/** A `stage.completed` whose JSON is about `bytes` long, in text V8 stores as UTF-16. */
function completedOf(bytes: number): GenerationEvent {
  const files = Array.from({ length: Math.ceil(bytes / 1000) }, (_, i) => ({
    path: `src/f${i}.ts`,
    text: `// ✓ ${i} `.padEnd(960, String(i % 10)),
  }));
  return {
    event: "stage.completed",
    data: { stage: "code", version: 1, output: { files }, usage },
  };
}

async function append(kv: Deno.Kv, seq: number, event: Parameters<typeof appendEvent>[4]) {
  const op = kv.atomic();
  await appendEvent(kv, op, "job1", seq, event);
  assert.equal((await op.commit()).ok, true);
}

Deno.test("the event log replays small, large and incremental events in order", async () => {
  using kv = await Deno.openKv(":memory:");
  const large = completedOf(900_000);
  await append(kv, 1, {
    event: "stage.started",
    data: { stage: "code", provider: "p", model: "m" },
  });
  await append(kv, 2, {
    event: "stage.delta",
    data: { stage: "code", ops: diffPartial(undefined, { a: "x" }) },
  });
  await append(kv, 3, {
    event: "stage.delta",
    data: { stage: "code", ops: diffPartial({ a: "x" }, { a: "xy", b: 1 }) },
  });
  await append(kv, 4, large);
  let chunks = 0;
  for await (const _ of kv.list({ prefix: ["chunk"] })) chunks++;
  assert.ok(chunks >= 15, `the large event is stored in chunks (${chunks})`);
  const events = await readEvents(kv, "job1", 0);
  assert.deepEqual(events.map((e) => [e.seq, e.event]), [
    [1, "stage.started"],
    [2, "stage.delta"],
    [3, "stage.delta"],
    [4, "stage.completed"],
  ]);
  assert.deepEqual(events[2].data, { stage: "code", partial: { a: "xy", b: 1 } });
  assert.deepEqual(events[3], { ...large, seq: 4 });
  // After a seq, a reader still gets whole partials: the increments before it are replayed.
  assert.deepEqual((await readEvents(kv, "job1", 2)).map((e) => e.seq), [3, 4]);
  assert.deepEqual((await readEvents(kv, "job1", 2))[0].data, events[2].data);
});

Deno.test("a large event whose chunk is gone ends the replay before it", async () => {
  using kv = await Deno.openKv(":memory:");
  await append(kv, 1, { event: "status", data: { message: "working" } });
  await append(kv, 2, completedOf(100_000));
  await append(kv, 3, { event: "status", data: { message: "after" } });
  for await (const entry of kv.list({ prefix: ["chunk"] })) {
    await kv.delete(entry.key);
    break;
  }
  assert.deepEqual((await readEvents(kv, "job1", 0)).map((e) => e.seq), [1]);
});

Deno.test("large events logged in the log's former chunk format are still read", async () => {
  using kv = await Deno.openKv(":memory:");
  const event = completedOf(130_000);
  const bytes = new TextEncoder().encode(JSON.stringify(event));
  const parts = Math.ceil(bytes.byteLength / 60_000);
  for (const [seq, writeId] of [[1, "w1"], [2, undefined]] as const) {
    const base = writeId ? [...jobEventKey("job1", seq), writeId] : jobEventKey("job1", seq);
    for (let i = 0; i < parts; i++) {
      await kv.set(chunkKey(base, i), bytes.slice(i * 60_000, (i + 1) * 60_000));
    }
    await kv.set(
      jobEventKey("job1", seq),
      writeId ? { chunks: parts, writeId } : { chunks: parts },
    );
  }
  const events = await readEvents(kv, "job1", 0);
  assert.deepEqual(events, [{ ...event, seq: 1 }, { ...event, seq: 2 }]);
});
