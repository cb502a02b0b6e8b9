import assert from "node:assert/strict";
import { join } from "node:path";
import { openKv } from "./open.server.ts";

Deno.test("openKv creates DATA_DIR and keeps KV in DATA_DIR/kv.sqlite3", async () => {
  const root = await Deno.makeTempDir();
  const dataDir = join(root, "nested", "data");
  const kv = await openKv({ dataDir, kvPath: undefined, denoDeploymentId: undefined });
  await kv.set(["probe"], 1);
  kv.close();
  assert.equal((await Deno.stat(join(dataDir, "kv.sqlite3"))).isFile, true);
  await Deno.remove(root, { recursive: true });
});

Deno.test("openKv prefers KV_PATH over DATA_DIR, creating its directory", async () => {
  const root = await Deno.makeTempDir();
  const kvPath = join(root, "elsewhere", "store.db");
  const dataDir = join(root, "data");
  const kv = await openKv({ dataDir, kvPath, denoDeploymentId: "dep-1" });
  await kv.set(["probe"], 1);
  kv.close();
  assert.equal((await Deno.stat(kvPath)).isFile, true);
  await assert.rejects(Deno.stat(dataDir), Deno.errors.NotFound);
  await Deno.remove(root, { recursive: true });
});

Deno.test("openKv returns a new handle each call, sharing the same data", async () => {
  const root = await Deno.makeTempDir();
  const env = { dataDir: root, kvPath: undefined, denoDeploymentId: undefined };
  const first = await openKv(env);
  const second = await openKv(env);
  assert.notEqual(first, second);
  await first.set(["shared"], "yes");
  assert.equal((await second.get(["shared"])).value, "yes");
  first.close();
  second.close();
  await Deno.remove(root, { recursive: true });
});
