import assert from "node:assert/strict";
import { readMigrationSources, renderBundle } from "./generate.ts";

Deno.test("bundle.server.ts matches the .sql migrations (else run generate.ts)", async () => {
  const dir = new URL("./", import.meta.url);
  const expected = renderBundle(await readMigrationSources(dir));
  const actual = await Deno.readTextFile(new URL("./bundle.server.ts", dir));
  assert.equal(actual, expected);
});
