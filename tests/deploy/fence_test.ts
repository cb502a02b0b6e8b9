/**
 * Issue 14 item 4: when another instance stored a stage's version first (a takeover during a
 * slow insert), the pipeline continues from the stored row: what clients are streamed, what
 * downstream stages read and what the database keeps are the same output.
 */
import assert from "node:assert/strict";
import { openDatabase } from "../../app/db/client.server.ts";
import { migrate } from "../../app/db/migrate.server.ts";
import { createRepositories } from "../../app/db/repositories.server.ts";
import { createPipeline } from "../../app/generation/pipeline.server.ts";
import { makeSlug } from "../../app/projects/projects.server.ts";
import { createOfflineProvider, generateStage } from "../../app/llm/offline/mod.ts";

Deno.test("a stage whose version was stored by another instance continues from the stored row", async () => {
  const dataDir = await Deno.makeTempDir();
  const database = await openDatabase({ url: "memory://", dataDir });
  const kv = await Deno.openKv(":memory:");
  try {
    await migrate(database.db);
    const base = createRepositories({ db: database.db, readDb: database.readDb });
    const theirs = generateStage("product", "a tool library run by volunteers");
    // The other instance's insert lands while ours is in flight.
    const repos = {
      ...base,
      generations: {
        ...base.generations,
        async insert(row: Parameters<typeof base.generations.insert>[0]) {
          if (row.stage === "product") {
            await base.generations.insert({ ...row, output: theirs, provider: "other-instance" });
          }
          return await base.generations.insert(row);
        },
      },
    };
    const provider = createOfflineProvider();
    const pipeline = createPipeline({
      kv,
      repos,
      generate: (request) => provider.generate(request),
    });
    const user = await base.users.create({ email: "fence@example.com", passwordHash: "x" });
    const directive = "a marketplace where local farmers sell vegetable boxes";
    const project = await base.projects.create({
      userId: user.id,
      directive,
      title: directive,
      slug: makeSlug(directive),
    });
    const job = await pipeline.startGeneration({
      projectId: project.id,
      userId: user.id,
      directive,
    });
    await pipeline.idle();
    const events = await pipeline.readEvents(job.id, 0);
    const completed = events.find((e) =>
      e.event === "stage.completed" && e.data.stage === "product"
    );
    assert.ok(completed && completed.event === "stage.completed");
    const stored = await base.generations.get({
      projectId: project.id,
      stage: "product",
      version: 1,
    });
    assert.equal(stored?.provider, "other-instance");
    assert.deepEqual(completed.data.output, stored!.output, "streamed == stored");
    assert.equal(completed.data.usage.provider, "other-instance");
    assert.deepEqual(stored!.output, theirs);
    assert.equal(events.at(-1)?.event, "generation.completed");
    await pipeline.close();
  } finally {
    kv.close();
    await database.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
