import assert from "node:assert/strict";
import { z } from "zod";
import { readEntry, readValue } from "./values.server.ts";

const schema = z.object({ name: z.string(), count: z.number().int() });

Deno.test("readValue returns the parsed value, null when absent", async () => {
  using kv = await Deno.openKv(":memory:");
  await kv.set(["thing", 1], { name: "a", count: 2 });
  assert.deepEqual(await readValue(kv, ["thing", 1], schema), { name: "a", count: 2 });
  assert.equal(await readValue(kv, ["thing", 2], schema), null);
});

Deno.test("readValue treats an invalid value as absent and reports it once", async () => {
  using kv = await Deno.openKv(":memory:");
  await kv.set(["thing", 1], { name: "a", count: "two" });
  const reports: string[] = [];
  const value = await readValue(kv, ["thing", 1], schema, {
    onInvalid: (key, error) =>
      reports.push(`${JSON.stringify(key)} ${error.issues[0].path.join(".")}`),
  });
  assert.equal(value, null);
  assert.deepEqual(reports, ['["thing",1] count']);
});

Deno.test("readEntry keeps the versionstamp of an invalid value so it can be replaced atomically", async () => {
  using kv = await Deno.openKv(":memory:");
  await kv.set(["thing", 1], "garbage");
  const entry = await readEntry(kv, ["thing", 1], schema, { onInvalid: () => {} });
  assert.equal(entry.value, null);
  assert.notEqual(entry.versionstamp, null);
  const replaced = await kv.atomic().check({ key: ["thing", 1], versionstamp: entry.versionstamp })
    .set(["thing", 1], { name: "b", count: 1 }).commit();
  assert.equal(replaced.ok, true);
});

Deno.test("readValue applies schema transforms", async () => {
  using kv = await Deno.openKv(":memory:");
  await kv.set(["when"], "2024-01-02T00:00:00.000Z");
  const date = await readValue(kv, ["when"], z.iso.datetime().transform((s) => new Date(s)));
  assert.equal(date?.getTime(), Date.UTC(2024, 0, 2));
});
