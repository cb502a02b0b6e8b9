/**
 * Issue 14 item 4, with two services on one KV and one real PostgreSQL: instance A's insert
 * of the product stage hangs (the table is locked), A's lease lapses, instance B takes the
 * job over and runs the stage again. Whichever insert lands, the stored row, the streamed
 * `stage.completed` and what downstream reads (the project's name) are the same output.
 */
import assert from "node:assert/strict";
import pg from "pg";
import type { GenerateStage } from "../../app/generation/pipeline.server.ts";
import { makeSlug } from "../../app/projects/projects.server.ts";
import { jobKey } from "../../app/kv/keys.ts";
import { createOfflineProvider } from "../../app/llm/offline/mod.ts";
import { startTestApp } from "../support/app.ts";
import { createScratchDatabase, startPostgres } from "../support/postgres.ts";

const LEASE_MS = 600;
const DIRECTIVE = "a marketplace where local farmers sell vegetable boxes";

/** The offline engine, with the product's name marked by instance; `beforeProduct` runs first. */
function instance(
  tag: string,
  calls: string[],
  beforeProduct?: () => Promise<void>,
): GenerateStage {
  const offline = createOfflineProvider();
  return async function* (request) {
    for await (const event of offline.generate(request)) {
      if (event.type === "completed" && request.stage === "product") {
        calls.push(tag);
        await beforeProduct?.();
        const output = event.output as { workingName: string };
        yield { ...event, output: { ...output, workingName: `${tag} ${output.workingName}` } };
      } else yield event;
    }
  };
}

/**
 * Resolves once `count` inserts into generations wait for the table lock. pg_locks, not
 * pg_stat_activity: the latter is a snapshot fixed for the locker's open transaction.
 */
async function waitForBlockedInserts(client: pg.Client, count: number): Promise<void> {
  while (true) {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'relation' AND relation = 'generations'::regclass AND NOT granted`,
    );
    if (rows[0].n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

Deno.test({
  name: "two services, real PostgreSQL: a takeover during a slow insert keeps stored == streamed",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const postgres = await startPostgres();
    const scratch = await createScratchDatabase(postgres.url);
    const locker = new pg.Client({ connectionString: scratch.url });
    const calls: string[] = [];
    let lockTaken!: () => void;
    const locked = new Promise<void>((resolve) => (lockTaken = resolve));
    const a = await startTestApp({
      databaseUrl: scratch.url,
      leaseMs: LEASE_MS,
      generate: instance("Alpha", calls, async () => {
        // Before A's insert: lock the table, so the insert hangs in PostgreSQL.
        await locker.query("BEGIN");
        await locker.query("LOCK TABLE generations IN SHARE MODE");
        lockTaken();
      }),
    });
    const b = await startTestApp({
      sharing: a,
      leaseMs: LEASE_MS,
      generate: instance("Bravo", calls),
    });
    try {
      await locker.connect();
      const { repos, pipeline, kv } = a.services;
      const user = await repos.users.create({ email: "fence2@example.com", passwordHash: "x" });
      const project = await repos.projects.create({
        userId: user.id,
        directive: DIRECTIVE,
        title: DIRECTIVE,
        slug: makeSlug(DIRECTIVE),
      });
      const job = await pipeline.startGeneration({
        projectId: project.id,
        userId: user.id,
        directive: DIRECTIVE,
      });
      await locked;
      await waitForBlockedInserts(locker, 1);

      // A stalls: its lease lapses (as if its renewals stopped) while its insert is in flight.
      while (true) {
        const entry = await kv.get<{ lease: { owner: string; until: number } | null }>(
          jobKey(job.id),
        );
        assert.ok(entry.value?.lease, "A holds the lease");
        const lapsed = { ...entry.value, lease: { ...entry.value.lease, until: 0 } };
        if ((await kv.atomic().check(entry).set(jobKey(job.id), lapsed).commit()).ok) break;
      }
      assert.equal(await b.services.pipeline.sweep(), 1, "B takes the job over");
      await waitForBlockedInserts(locker, 2);
      assert.deepEqual(calls, ["Alpha", "Bravo"], "both instances produced the stage");
      await locker.query("COMMIT");

      await b.services.pipeline.idle();
      await a.services.pipeline.idle();
      const events = await b.services.pipeline.readEvents(job.id, 0);
      const completed = events.filter((e) =>
        e.event === "stage.completed" && e.data.stage === "product"
      );
      assert.equal(completed.length, 1, "one product stage.completed in the log");
      assert.equal(events.at(-1)?.event, "generation.completed");
      const stored = await repos.generations.get({
        projectId: project.id,
        stage: "product",
        version: 1,
      });
      assert.ok(stored);
      const streamed = completed[0].event === "stage.completed" ? completed[0].data : null;
      assert.deepEqual(streamed?.output, stored.output, "streamed == stored");
      const name = (stored.output as { workingName: string }).workingName;
      assert.match(name, /^(Alpha|Bravo) /);
      assert.equal(
        (await repos.projects.getById(project.id))?.title,
        name.slice(0, 80),
        "downstream (the project's name) follows the stored row",
      );
      const { rows } = await locker.query(
        "SELECT count(*)::int AS n FROM generations WHERE project_id = $1 AND stage = 'product'",
        [project.id],
      );
      assert.equal(rows[0].n, 1, "one product row");
    } finally {
      await locker.query("ROLLBACK").catch(() => {});
      await locker.end().catch(() => {});
      await b.close();
      await a.close();
      await scratch.drop();
      await postgres.stop();
    }
  },
});
