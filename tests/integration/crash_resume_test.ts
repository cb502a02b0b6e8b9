import assert from "node:assert/strict";
import pg from "pg";
import { createScratchDatabase, startPostgres } from "../support/postgres.ts";
import { readSse } from "../support/scripted.ts";
import { STAGE_NAMES } from "../../app/generation/stages.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

interface ServerProcess {
  port: number;
  child: Deno.ChildProcess;
}

async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tests/support/serve.ts"],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  while (true) {
    const { done, value } = await reader.read();
    if (done) throw new Error("server exited before listening");
    buffer += value;
    const match = /listening (\d+)/.exec(buffer);
    if (match) {
      // Keep draining stdout so the child never blocks on a full pipe.
      (async () => {
        while (!(await reader.read()).done) { /* drain */ }
      })().catch(() => {});
      return { port: Number(match[1]), child };
    }
  }
}

Deno.test({
  name: "crash: SIGKILL mid-generation, restart on the same data, resume with Last-Event-ID",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const postgres = await startPostgres();
    const scratch = await createScratchDatabase(postgres.url);
    const dataDir = await Deno.makeTempDir({ prefix: "atlas9-crash-" });
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: scratch.url,
      SESSION_SECRET: "crash-test-secret-crash-test-secret-0123",
      STAGE_DELAY_MS: "700",
      LEASE_MS: "1000",
    };
    let server = await spawnServer(env);
    try {
      const origin = () => `http://127.0.0.1:${server.port}`;
      const form = (fields: Record<string, string>) => ({
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: origin(),
          "Sec-Fetch-Site": "same-origin",
        },
        body: new URLSearchParams(fields),
        redirect: "manual" as const,
      });
      const signup = await fetch(
        `${origin()}/signup`,
        form({ email: "crash@example.com", password: "correct horse battery staple" }),
      );
      await signup.body?.cancel();
      const cookie = signup.headers.get("set-cookie")!.split(";")[0];
      const created = await fetch(`${origin()}/projects`, {
        ...form({ directive: "A marketplace where local farmers sell vegetable boxes" }),
        headers: { ...form({}).headers, Cookie: cookie },
      });
      await created.body?.cancel();
      const projectId = created.headers.get("location")!.split("/").pop()!;

      const first = await fetch(`${origin()}/projects/${projectId}/events`, {
        headers: { Cookie: cookie },
      });
      const before = await readSse(first, {
        until: (e) => e.event === "stage.started" && e.data.stage === "brand",
      });
      assert.ok(before.some((e) => e.event === "stage.completed" && e.data.stage === "product"));
      server.child.kill("SIGKILL");
      await server.child.status;

      server = await spawnServer(env);
      const lastId = before.at(-1)!.id;
      const second = await fetch(`${origin()}/projects/${projectId}/events`, {
        headers: { Cookie: cookie, "Last-Event-ID": String(lastId) },
      });
      const after = await readSse(second, { until: (e) => e.event === "generation.completed" });
      const all = [...before, ...after];
      assert.deepEqual(all.map((e) => e.id), all.map((_, i) => i + 1), "no event lost or repeated");
      assert.equal(all.at(-1)!.event, "generation.completed");
      const completed = all.filter((e) => e.event === "stage.completed").map((e) => e.data.stage);
      assert.deepEqual([...completed].sort(), [...STAGE_NAMES].sort(), "each stage completed once");

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
    } finally {
      server.child.kill("SIGTERM");
      await server.child.status;
      await scratch.drop();
      await postgres.stop();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
