/**
 * Faults, issue 13 item 8: KV refuses writes (a full data disk) while projects are created.
 * Creation answers 503 with Retry-After (not 500), health reports the failing store, the
 * project is marked failed instead of staying "queued" forever, and after recovery its Retry
 * creates the job that was never written and the blueprint completes.
 */
import assert from "node:assert/strict";
import { startApi } from "../support/api.ts";
import { DIRECTIVE, PASSWORD, report } from "../support/reliability.ts";
import { checkWrites, recordWrite } from "../../app/observability/health.server.ts";

const ORIGIN = "http://atlas9.test";

Deno.test("stuck projects: a full disk during creation fails the project; retry recovers it", async () => {
  const api = await startApi();
  const kv = api.app.services.kv;
  const form = (path: string, fields: Record<string, string>, cookie = "") =>
    api.call("POST", path, {
      rawBody: new URLSearchParams(fields),
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Host: "atlas9.test",
        Origin: ORIGIN,
        ...(cookie ? { Cookie: cookie } : {}),
      },
    });
  try {
    const signup = await form("/signup", { email: "disk@example.com", password: PASSWORD });
    const cookie = signup.headers.get("set-cookie")!.split(";")[0];
    const user = (await api.app.services.repos.users.findByEmail("disk@example.com"))!;
    assert.equal((await api.call("GET", "/api/health?deep=1")).status, 200);

    // The disk fills up: every KV write fails the way SQLite reports it.
    const full = () => Promise.reject(new Error("database or disk is full"));
    const atomic = kv.atomic.bind(kv);
    const set = kv.set.bind(kv);
    kv.atomic = () => Object.assign(atomic(), { commit: full });
    kv.set = full as typeof kv.set;
    let statuses: number[];
    try {
      statuses = [];
      for (let i = 0; i < 3; i++) {
        const res = await form("/projects", { directive: `${DIRECTIVE} ${i}` }, cookie);
        statuses.push(res.status);
        assert.equal(res.status, 503, res.text.slice(0, 200));
        assert.ok(Number(res.headers.get("retry-after")) > 0);
      }
      const health = await api.call("GET", "/api/health?deep=1");
      assert.equal(health.status, 503);
      assert.equal(health.json.checks.kv, "fail");
    } finally {
      kv.atomic = atomic;
      kv.set = set;
    }

    // Nothing stays queued: each project is failed, and its page offers Retry.
    const { items } = await api.app.services.repos.projects.listForUser({
      userId: user.id,
      limit: 10,
    });
    assert.equal(items.length, 3);
    assert.deepEqual(items.map((p) => p.status), ["failed", "failed", "failed"]);
    const page = await api.call("GET", `/projects/${items[0].id}`, { headers: { Cookie: cookie } });
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /Blueprint complete\./);
    assert.match(page.text, /Retry failed stages/);

    // Recovered: health is ok again and Retry creates the missing job.
    assert.equal((await api.call("GET", "/api/health?deep=1")).status, 200);
    for (const project of items) {
      const retried = await form(`/projects/${project.id}`, { intent: "retry" }, cookie);
      assert.equal(retried.status, 302, retried.text.slice(0, 200));
      await api.app.services.pipeline.idle();
    }
    const after = await api.app.services.repos.projects.listForUser({ userId: user.id, limit: 10 });
    assert.deepEqual(after.items.map((p) => p.status), ["completed", "completed", "completed"]);

    // PostgreSQL out of disk (53100) on the project row: 503, and health's db check fails
    // until a write succeeds again (reads still work, so a ping alone would say ok).
    const projects = api.app.services.repos.projects;
    const create = projects.create;
    projects.create = () =>
      Promise.reject(Object.assign(new Error("could not extend file"), { code: "53100" }));
    try {
      const res = await form("/projects", { directive: DIRECTIVE }, cookie);
      assert.equal(res.status, 503);
      const health = await api.call("GET", "/api/health?deep=1");
      assert.equal(health.json.checks.db, "fail");
    } finally {
      projects.create = create;
    }
    assert.equal((await form("/projects", { directive: DIRECTIVE }, cookie)).status, 302);
    await api.app.services.pipeline.idle();
    assert.equal((await api.call("GET", "/api/health?deep=1")).json.checks.db, "ok");
    report(
      "stuck projects: creates during a full disk",
      `${statuses.join(", ")}; all completed after Retry`,
    );
  } finally {
    await api.close();
  }
});

Deno.test("health write check: a failed database write fails db until one succeeds", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const t0 = 1_000_000;
    assert.deepEqual(await checkWrites({ kv }, t0), { kv: "ok", db: "ok" });
    recordWrite(kv, "db", false, t0);
    assert.deepEqual(await checkWrites({ kv }, t0 + 1_000), { kv: "ok", db: "fail" });
    recordWrite(kv, "db", true, t0 + 2_000);
    assert.deepEqual(await checkWrites({ kv }, t0 + 3_000), { kv: "ok", db: "ok" });
  } finally {
    kv.close();
  }
});
