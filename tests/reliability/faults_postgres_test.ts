/**
 * Fault: PostgreSQL stopped mid-generation, then started again. Requests get 503 with
 * Retry-After and a clear page (problem+json on the API), the generation pauses and resumes,
 * nothing written is lost, and the app recovers without a restart.
 */
import assert from "node:assert/strict";
import pg from "pg";
import { startTestApp } from "../support/app.ts";
import { readSse, scriptedGenerate } from "../support/scripted.ts";
import { startStoppablePostgres } from "../support/postgres.ts";
import { STAGE_NAMES } from "../../app/blueprint/stages.ts";
import { issueToken } from "../../app/api/tokens.server.ts";
import {
  captureConsole,
  createProject,
  DIRECTIVE,
  PASSWORD,
  report,
  signedIn,
} from "../support/reliability.ts";

const LEASE_MS = 1_000;
const OUTAGE_MS = 3_500;

Deno.test({
  name:
    "postgres down mid-run: 503 + Retry-After everywhere, generation pauses and resumes, nothing lost",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const postgres = await startStoppablePostgres();
    let delayMs = 0;
    const app = await startTestApp({
      generate: scriptedGenerate({ delayMs: () => delayMs }).generate,
      databaseUrl: postgres.url,
      leaseMs: LEASE_MS,
    });
    const logs = captureConsole();
    try {
      const owner = await signedIn(app, "outage@example.com");
      const userId = (await app.services.repos.users.findByEmail("outage@example.com"))!.id;
      const { token } = await issueToken({ services: app.services, userId, name: "outage" });
      const done = await createProject(owner, "A booking app for climbing gyms");
      await readSse(await owner.request(`/projects/${done}/events`), {
        until: (e) => e.event === "generation.completed",
      });
      await app.services.pipeline.idle();
      const publish = await owner.post(`/projects/${done}`, {
        intent: "visibility",
        visibility: "public",
      });
      assert.equal(publish.status, 302);
      await publish.body?.cancel();
      const slug = (await app.services.repos.projects.getById(done))!.slug;

      delayMs = 1_500;
      const running = await createProject(owner, DIRECTIVE);
      const stream = await owner.request(`/projects/${running}/events`);
      assert.equal(stream.status, 200);
      const events: { id: number; event: string; data: any }[] = [];
      let sawStart!: () => void;
      const started = new Promise<void>((resolve) => (sawStart = resolve));
      const following = readSse(stream, {
        until: (e) => {
          events.push(e);
          if (e.event === "stage.delta") sawStart();
          return e.event === "generation.completed" || e.event === "stage.failed";
        },
      });
      await started;

      const errorsBefore = logs.lines.filter((l) => l.level === "error").length;
      await postgres.halt();
      const outageStarted = Date.now();

      const pages = [
        "/",
        "/projects",
        `/projects/${running}`,
        `/projects/${done}`,
        "/settings",
        `/projects/${done}/export.md`,
        `/projects/${done}/export.zip`,
        `/projects/${running}/events`,
        `/p/${slug}`,
        `/p/${slug}/og.png`,
      ];
      for (const path of pages) {
        const res = await owner.request(path);
        await assertUnavailable(res, path, {
          html: !path.includes("/export") && !path.endsWith("/events") && !path.endsWith(".png"),
        });
      }
      const anonymous = await app.fetch(`/p/${slug}`);
      await assertUnavailable(anonymous, "anonymous public page", { html: true });
      assert.notEqual(
        anonymous.headers.get("cache-control")?.includes("public"),
        true,
        "a 503 is never cached publicly",
      );

      const login = await app.fetch("/login", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.origin },
        body: new URLSearchParams({ email: "outage@example.com", password: PASSWORD }),
        redirect: "manual",
      });
      await assertUnavailable(login, "POST /login", { html: true });
      const create = await owner.post("/projects", { directive: "A newsletter tool for bakers" });
      await assertUnavailable(create, "POST /projects", { html: true });

      for (
        const [method, path, body] of [
          ["GET", "/api/v1/projects", undefined],
          ["GET", `/api/v1/projects/${done}`, undefined],
          ["GET", `/api/v1/public/projects/${slug}`, undefined],
          ["POST", "/api/v1/projects", { directive: "A newsletter tool for bakers" }],
          ["PATCH", `/api/v1/projects/${done}`, { title: "Renamed during the outage" }],
        ] as const
      ) {
        const res = await app.fetch(path, {
          method,
          headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
          body: body ? JSON.stringify(body) : undefined,
        });
        assert.equal(res.status, 503, `${method} ${path}`);
        assert.match(res.headers.get("content-type") ?? "", /application\/problem\+json/);
        assert.match(
          res.headers.get("retry-after") ?? "",
          /^\d+$/,
          `${method} ${path}: Retry-After`,
        );
        const problem = await res.json();
        assert.equal(problem.status, 503);
        assert.match(problem.type, /\/unavailable$/);
      }
      const health = await app.fetch("/api/health?deep=1");
      assert.equal(health.status, 503);
      assert.equal((await health.json()).checks.db, "fail");

      // Hold the outage past several lease periods: the job waits instead of failing.
      const wait = OUTAGE_MS - (Date.now() - outageStarted);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      assert.ok(
        !events.some((e) => e.event === "stage.failed"),
        "no stage failed during the outage",
      );
      const stageCompletedDuringOutage = events.filter((e) => e.event === "stage.completed").length;
      await postgres.resume();
      const outageMs = Date.now() - outageStarted;

      const all = await following;
      assert.equal(
        all.at(-1)?.event,
        "generation.completed",
        "the generation finished after the outage",
      );
      assert.deepEqual(all.map((e) => e.id), all.map((_, i) => i + 1), "no event lost or repeated");
      const completed = all.filter((e) => e.event === "stage.completed").map((e) => e.data.stage);
      assert.deepEqual([...completed].sort(), [...STAGE_NAMES].sort(), "each stage completed once");
      await app.services.pipeline.idle();

      for (
        const path of ["/", "/projects", `/projects/${running}`, `/p/${slug}`, "/api/health?deep=1"]
      ) {
        const res = await owner.request(path);
        assert.equal(res.status, 200, `${path} after the outage, without a restart`);
        await res.body?.cancel();
      }

      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      try {
        const rows = (await client.query(
          "select project_id, stage, version from generations order by project_id, stage",
        )).rows as { project_id: string; stage: string; version: number }[];
        for (const id of [done, running]) {
          assert.deepEqual(
            rows.filter((r) => r.project_id === id).map((r) => `${r.stage}:${r.version}`),
            [...STAGE_NAMES].sort().map((s) => `${s}:1`),
            `project ${id}: exactly one version per stage`,
          );
        }
        const projects = (await client.query(
          "select id, status, visibility, title from projects order by id",
        )).rows as { id: string; status: string; visibility: string; title: string }[];
        assert.equal(projects.length, 2, "requests refused during the outage created nothing");
        assert.ok(projects.every((p) => p.status === "completed"));
        assert.equal(projects.find((p) => p.id === done)!.visibility, "public");
        assert.ok(projects.every((p) => p.title !== "Renamed during the outage"));
        const users = (await client.query("select email from users")).rows;
        assert.deepEqual(users, [{ email: "outage@example.com" }]);
      } finally {
        await client.end();
      }
      const errors = logs.lines.filter((l) => l.level === "error");
      assert.equal(
        errors.length,
        errorsBefore,
        `no error logged: ${errors.map((e) => e.text).join("\n")}`,
      );
      report("postgres outage: length (ms)", outageMs);
      report("postgres outage: pages and endpoints answering 503 + Retry-After", pages.length + 9);
      report("postgres outage: stages completed during the outage", stageCompletedDuringOutage);
    } finally {
      logs.restore();
      await postgres.resume();
      await app.services.pipeline.idle();
      await app.close();
      await postgres.stop();
    }
  },
});

/** A 503 with Retry-After, not cached, and for pages the "briefly unavailable" message. */
async function assertUnavailable(
  res: Response,
  label: string,
  options: { html: boolean },
): Promise<void> {
  const text = await res.text();
  assert.equal(res.status, 503, `${label}: ${res.status}`);
  assert.match(res.headers.get("retry-after") ?? "", /^\d+$/, `${label}: Retry-After`);
  assert.doesNotMatch(res.headers.get("cache-control") ?? "", /public/, `${label}: not cacheable`);
  if (options.html) {
    assert.match(res.headers.get("content-type") ?? "", /text\/html/, label);
    assert.match(text, /Atlas9 is briefly unavailable/, `${label}: the clear page`);
  } else {
    assert.match(text, /briefly unavailable/, `${label}: says why`);
  }
}
