import assert from "node:assert/strict";
import { driverFor, openDatabase } from "./client.server.ts";
import { migrate } from "./migrate.server.ts";
import { createRepositories } from "./repositories.server.ts";

Deno.test("driverFor picks the driver from the URL", () => {
  const cases: [string | undefined, "neon" | "pg" | undefined, string][] = [
    [undefined, undefined, "pglite"],
    ["", undefined, "pglite"],
    ["memory://", undefined, "pglite"],
    ["postgresql://u:p@ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb", undefined, "neon"],
    [
      "postgres://u:p@ep-x-pooler.eu-central-1.aws.neon.build/db?sslmode=require",
      undefined,
      "neon",
    ],
    ["postgres://u:p@db.internal:5432/atlas9", undefined, "pg"],
    ["postgresql://u@127.0.0.1/atlas9", undefined, "pg"],
    ["postgres://u@neon.tech.example.com/db", undefined, "pg"],
    ["postgres://u@127.0.0.1/db", "neon", "neon"],
    ["postgres://u@x.neon.tech/db", "pg", "pg"],
  ];
  for (const [url, driver, expected] of cases) {
    assert.equal(driverFor(url, { driver }), expected, `${url} ${driver ?? ""}`);
  }
});

Deno.test("a bad database URL fails with one line naming the variable", async () => {
  assert.throws(() => driverFor("mysql://x/y"), /^Error: DATABASE_URL must start with postgres/);
  assert.throws(() => driverFor("not a url"), /^Error: DATABASE_URL is not a valid URL$/);
  await assert.rejects(
    openDatabase({ url: "postgres://u@127.0.0.1/db", readUrl: "http://x", dataDir: "unused" }),
    /^Error: DATABASE_READ_URL must start with postgres/,
  );
  await assert.rejects(
    openDatabase({ readUrl: "postgres://u@127.0.0.1/db", dataDir: "unused" }),
    /DATABASE_READ_URL needs DATABASE_URL/,
  );
});

Deno.test("without DATABASE_URL, PGlite keeps its data in DATA_DIR/pg", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "atlas9-pglite-" });
  try {
    const first = await openDatabase({ dataDir });
    try {
      assert.equal(first.driver, "pglite");
      assert.equal(first.readDb, first.db);
      await migrate(first.db);
      await first.ping();
      await createRepositories(first).users.create({ email: "a@example.com", passwordHash: "h" });
    } finally {
      await first.close();
    }
    assert.ok((await Deno.stat(`${dataDir}/pg`)).isDirectory);

    const second = await openDatabase({ dataDir });
    try {
      assert.deepEqual(await migrate(second.db), []);
      assert.ok(await createRepositories(second).users.findByEmail("A@example.com"));
    } finally {
      await second.close();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
