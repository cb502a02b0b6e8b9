/**
 * Fault: SIGKILL of the server during generation — twice, once mid-stage and once while three
 * stages run in parallel — and a restart on the same data each time: the job completes, exactly
 * one version per stage, no event lost or repeated across the three connections.
 */
import assert from "node:assert/strict";
import pg from "pg";
import { createScratchDatabase, startPostgres } from "../support/postgres.ts";
import { readSse } from "../support/scripted.ts";
import { STAGE_NAMES } from "../../app/blueprint/stages.ts";
import { DIRECTIVE, PASSWORD, report, spawnServer } from "../support/reliability.ts";
import type { ServerProcess } from "../support/reliability.ts";

type Event = { id: number; event: string; data: any };

Deno.test({
  name: "crash: two SIGKILLs mid-generation, restarts on the same data, one version per stage",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const postgres = await startPostgres();
    const scratch = await createScratchDatabase(postgres.url);
    const dataDir = await Deno.makeTempDir({ prefix: "atlas9-crash2-" });
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: scratch.url,
      SESSION_SECRET: "crash-test-secret-crash-test-secret-0123",
      STAGE_DELAY_MS: "600",
      LEASE_MS: "1000",
    };
    const start = () => spawnServer({ env, entry: "tests/support/serve.ts" });
    let server: ServerProcess = await start();
    try {
      const api = (path: string, init: RequestInit = {}) =>
        fetch(`${server.origin}${path}`, {
          ...init,
          headers: { "Content-Type": "application/json", ...init.headers },
        });
      const signup = await api("/api/v1/users", {
        method: "POST",
        body: JSON.stringify({ email: "crash2@example.com", password: PASSWORD }),
      });
      assert.equal(signup.status, 201);
      const { token } = await signup.json();
      const auth = { Authorization: `Bearer ${token}` };
      const created = await api("/api/v1/projects", {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ directive: DIRECTIVE }),
      });
      assert.equal(created.status, 201);
      const projectId = (await created.json()).id;

      const follow = async (lastEventId: number, until: (seen: Event[]) => boolean) => {
        const seen: Event[] = [];
        const res = await api(`/api/v1/projects/${projectId}/events`, {
          headers: { ...auth, ...(lastEventId ? { "Last-Event-ID": String(lastEventId) } : {}) },
        });
        assert.equal(res.status, 200);
        await readSse(res, { until: (e) => (seen.push(e), until(seen)) });
        return seen;
      };
      const kill = async () => {
        server.child.kill("SIGKILL");
        await server.stop();
        server = await start();
      };

      // Kill 1: while the product stage streams.
      const first = await follow(0, (seen) => seen.some((e) => e.event === "stage.delta"));
      await kill();
      // Kill 2: while brand, design and architecture run in parallel.
      const second = await follow(first.at(-1)!.id, (seen) => {
        const running = new Set(
          seen.filter((e) => e.event === "stage.delta").map((e) => e.data.stage),
        );
        return ["brand", "design", "architecture"].every((s) => running.has(s));
      });
      await kill();
      const third = await follow(
        second.at(-1)!.id,
        (seen) => seen.at(-1)?.event === "generation.completed",
      );

      const all = [...first, ...second, ...third];
      assert.deepEqual(all.map((e) => e.id), all.map((_, i) => i + 1), "no event lost or repeated");
      assert.equal(all.at(-1)!.event, "generation.completed");
      const completed = all.filter((e) => e.event === "stage.completed").map((e) => e.data.stage);
      assert.deepEqual([...completed].sort(), [...STAGE_NAMES].sort(), "each stage completed once");
      assert.ok(!all.some((e) => e.event === "stage.failed"));

      const replay = await follow(0, (seen) => seen.at(-1)?.event === "generation.completed");
      assert.deepEqual(replay, all, "a full replay is the same log");

      const project = await (await api(`/api/v1/projects/${projectId}`, { headers: auth })).json();
      assert.equal(project.status, "completed");
      for (const stage of STAGE_NAMES) assert.equal(project.stages[stage].version, 1, stage);

      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      try {
        const { rows } = await client.query(
          "select stage, version from generations where project_id = $1 order by stage",
          [projectId],
        );
        assert.deepEqual(
          rows.map((r: { stage: string; version: number }) => `${r.stage}:${r.version}`),
          [...STAGE_NAMES].sort().map((s) => `${s}:1`),
          "exactly one version per stage",
        );
      } finally {
        await client.end();
      }
      const restarts = all.filter((e) => e.event === "stage.started").length - STAGE_NAMES.length;
      report("crash: SIGKILLs survived", 2);
      report("crash: events in the log", all.length);
      report("crash: stage starts repeated after a kill (restarted cleanly)", restarts);
    } finally {
      await server.stop();
      await scratch.drop();
      await postgres.stop();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
