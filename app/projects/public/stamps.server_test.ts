import assert from "node:assert/strict";
import { createStamps, sharedRead } from "./stamps.server.ts";
import { edgeStampKey } from "../../kv/keys.ts";

Deno.test("sharedRead: a caller never gets a read that started before it called", async () => {
  const reads: ((value: number) => void)[] = [];
  let started = Promise.withResolvers<void>();
  const read = sharedRead(() =>
    new Promise<number>((resolve) => {
      reads.push(resolve);
      started.resolve();
      started = Promise.withResolvers<void>();
    })
  );
  const first = read();
  assert.equal(reads.length, 1);
  // Arrive while the first read runs: both wait for the next read, which starts after it.
  const second = read();
  const third = read();
  assert.equal(reads.length, 1, "the next read waits for the running one");
  const nextStarted = started.promise;
  reads[0](1);
  assert.equal(await first, 1);
  await nextStarted;
  assert.equal(reads.length, 2);
  reads[1](2);
  assert.equal(await second, 2);
  assert.equal(await third, 2);
  assert.equal(reads.length, 2, "two reads for three callers");
  const fourth = read();
  assert.equal(reads.length, 3, "an idle reader starts at once");
  reads[2](3);
  assert.equal(await fourth, 3);
});

Deno.test("stamps: a watched scope is known without a read; a local commit is seen at once", async () => {
  const kv = await Deno.openKv(":memory:");
  const stamps = createStamps({ kv, watched: ["landing"] });
  try {
    assert.equal(await stamps.current("landing"), "", "no stamp yet");
    await stamps.watching("landing");
    assert.equal(stamps.current("landing"), "", "from the watch: a value, not a promise");

    // Another instance bumps the stamp: seen when the watch delivers it.
    let delivered = stamps.nextWatched("landing");
    await kv.set(edgeStampKey("landing"), "elsewhere");
    for (let i = 0; i < 10 && stamps.current("landing") !== "elsewhere"; i++) {
      await delivered;
      delivered = stamps.nextWatched("landing");
    }
    assert.equal(stamps.current("landing"), "elsewhere");

    // This instance commits: until the watch has caught up, the stamp is read, never guessed.
    const result = await kv.atomic().set(edgeStampKey("landing"), "here").commit();
    assert.ok(result.ok);
    stamps.committed(["landing"], result.versionstamp);
    const now = stamps.current("landing");
    assert.equal(await now, "here");
    await stamps.watching("landing");
    assert.equal(stamps.current("landing"), "here");

    // Scopes not watched are always read.
    await kv.set(edgeStampKey("p:slug"), "s1");
    const read = stamps.current("p:slug");
    assert.ok(read instanceof Promise);
    assert.equal(await read, "s1");
  } finally {
    await stamps.close();
    kv.close();
  }
});
