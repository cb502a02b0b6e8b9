/**
 * Issue 14 item 3: with a lagging read replica, owners still read their own writes and an
 * unpublished page is gone at once; only the anonymous public list reads the replica. The
 * stand-in replica is a second, empty database: the stalest replica there can be.
 */
import assert from "node:assert/strict";
import { openDatabase } from "../../app/db/client.server.ts";
import { migrate } from "../../app/db/migrate.server.ts";
import { createRepositories } from "../../app/db/repositories.server.ts";

Deno.test("owner reads and public pages read the primary; the public list reads the replica", async () => {
  const dataDir = await Deno.makeTempDir();
  const primary = await openDatabase({ url: "memory://", dataDir });
  const replica = await openDatabase({ url: "memory://", dataDir });
  try {
    await migrate(primary.db);
    await migrate(replica.db);
    const repos = createRepositories({ db: primary.db, readDb: replica.db });
    const stale = createRepositories({ db: replica.db, readDb: replica.db });
    const user = await repos.users.create({ email: "lag@example.com", passwordHash: "x" });
    // The replica has the user (so its rows are valid) but none of the writes below.
    await stale.users.create({ email: user.email, passwordHash: "x" });

    const project = await repos.projects.create({
      userId: user.id,
      directive: "a seed swap for allotments",
      title: "Seed swap",
      slug: "seed-swap",
      visibility: "public",
    });
    const own = await repos.projects.listForUser({ userId: user.id, limit: 10 });
    assert.deepEqual(
      own.items.map((p) => p.id),
      [project.id],
      "a new project is in its owner's list",
    );
    assert.equal((await repos.projects.getPublicBySlug("seed-swap"))?.id, project.id);
    assert.deepEqual(
      (await repos.projects.listPublic({ limit: 10 })).items,
      [],
      "the anonymous list is served by the (lagging) replica",
    );

    await repos.projects.update({ id: project.id, userId: user.id, visibility: "private" });
    assert.equal(await repos.projects.getPublicBySlug("seed-swap"), null, "unpublished at once");

    await repos.projects.delete({ id: project.id, userId: user.id });
    const after = await repos.projects.listForUser({ userId: user.id, limit: 10 });
    assert.deepEqual(after.items, [], "a deleted project leaves its owner's list at once");
  } finally {
    await primary.close();
    await replica.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
