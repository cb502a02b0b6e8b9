import assert from "node:assert/strict";
import { z } from "zod";
import { chunkKey } from "./keys.ts";
import { CHUNK_BYTES, deleteChunked, getChunked, setChunked } from "./chunked.server.ts";

const docSchema = z.object({ title: z.string(), items: z.array(z.string()) });

/** A document whose JSON is about `bytes` long, with varied (non-repeating) content. */
function documentOf(bytes: number) {
  const items: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const item = `item ${i} ${crypto.randomUUID()} é ✓`;
    items.push(item);
    size += item.length + 8;
  }
  return { title: `doc of ${bytes} bytes`, items };
}

async function allKeys(kv: Deno.Kv): Promise<Deno.KvKey[]> {
  const keys = [];
  for await (const entry of kv.list({ prefix: [] })) keys.push(entry.key);
  return keys;
}

for (
  const [label, bytes] of [["10 KiB", 10 * 1024], ["200 KiB", 200 * 1024], [
    "3 MiB",
    3 * 1024 * 1024,
  ]] as const
) {
  Deno.test(`chunked values round-trip: ${label}`, async () => {
    using kv = await Deno.openKv(":memory:");
    const doc = documentOf(bytes);
    await setChunked(kv, ["llm", "openai", "m", "v1", "abc"], doc, { expireIn: 3_600_000 });
    assert.deepEqual(await getChunked(kv, ["llm", "openai", "m", "v1", "abc"], docSchema), doc);
    const chunks = (await allKeys(kv)).filter((key) => key[0] === "chunk");
    assert.equal(
      chunks.length,
      Math.ceil(new TextEncoder().encode(JSON.stringify(doc)).length / CHUNK_BYTES),
    );
  });
}

Deno.test("getChunked returns null for an absent key", async () => {
  using kv = await Deno.openKv(":memory:");
  assert.equal(await getChunked(kv, ["nothing"], docSchema), null);
});

Deno.test("a missing chunk makes the read a miss, never garbage", async () => {
  using kv = await Deno.openKv(":memory:");
  await setChunked(kv, ["big"], documentOf(200 * 1024));
  const chunk = (await allKeys(kv)).find((key) => key[0] === "chunk" && key.at(-1) === 2)!;
  await kv.delete(chunk);
  assert.equal(await getChunked(kv, ["big"], docSchema), null);
});

Deno.test("a corrupted chunk fails the content hash", async () => {
  using kv = await Deno.openKv(":memory:");
  await setChunked(kv, ["big"], documentOf(200 * 1024));
  const chunk = (await allKeys(kv)).find((key) => key[0] === "chunk" && key.at(-1) === 1)!;
  const bytes = (await kv.get<Uint8Array>(chunk)).value!;
  bytes[10] = bytes[10] === 0x61 ? 0x62 : 0x61;
  await kv.set(chunk, bytes);
  assert.equal(await getChunked(kv, ["big"], docSchema), null);
});

Deno.test("a value failing the schema reads as a miss and is reported", async () => {
  using kv = await Deno.openKv(":memory:");
  await setChunked(kv, ["doc"], { title: 42 });
  const reports: unknown[] = [];
  assert.equal(
    await getChunked(kv, ["doc"], docSchema, { onInvalid: (key) => reports.push(key) }),
    null,
  );
  assert.deepEqual(reports, [["doc"]]);
});

Deno.test("overwriting replaces the value and removes the old chunks", async () => {
  using kv = await Deno.openKv(":memory:");
  await setChunked(kv, ["doc"], documentOf(300 * 1024));
  const second = documentOf(70 * 1024);
  await setChunked(kv, ["doc"], second);
  assert.deepEqual(await getChunked(kv, ["doc"], docSchema), second);
  assert.equal((await allKeys(kv)).filter((key) => key[0] === "chunk").length, 2);
});

Deno.test("concurrent writers leave one complete value and no stray chunks", async () => {
  using kv = await Deno.openKv(":memory:");
  const docs = Array.from({ length: 5 }, () => documentOf(150 * 1024));
  await Promise.all(docs.map((doc) => setChunked(kv, ["doc"], doc)));
  const read = await getChunked(kv, ["doc"], docSchema);
  assert.ok(docs.some((doc) => JSON.stringify(doc) === JSON.stringify(read)));
  assert.equal((await allKeys(kv)).filter((key) => key[0] === "chunk").length, 3);
});

Deno.test("deleteChunked removes the manifest and every chunk", async () => {
  using kv = await Deno.openKv(":memory:");
  await setChunked(kv, ["doc"], documentOf(130 * 1024));
  await deleteChunked(kv, ["doc"]);
  assert.deepEqual(await allKeys(kv), []);
  assert.equal(await getChunked(kv, ["doc"], docSchema), null);
});

Deno.test("chunks use the keys.ts builder under the value's key", async () => {
  using kv = await Deno.openKv(":memory:");
  await setChunked(kv, ["doc", 7], { title: "t", items: [] });
  const [chunk] = (await allKeys(kv)).filter((key) => key[0] === "chunk");
  const writeId = chunk[3] as string;
  assert.deepEqual(chunk, chunkKey(["doc", 7, writeId], 0));
});

Deno.test("setChunked refuses values JSON cannot hold", async () => {
  using kv = await Deno.openKv(":memory:");
  await assert.rejects(setChunked(kv, ["x"], undefined), TypeError);
});
