/** `GET /api/v1/projects/:id/events`: the §4 events, resumable with `Last-Event-ID`. */
import assert from "node:assert/strict";
import { offlineGenerator, readEvents, signUp, startApi } from "../support/api.ts";

const DIRECTIVE = "a habit tracker for remote teams";

Deno.test("a stream cut mid-generation resumes after Last-Event-ID without gaps or repeats", async () => {
  const api = await startApi({ generate: offlineGenerator({ delayMs: 15 }) });
  try {
    const { token } = await signUp(api);
    const project = await api.call("POST", "/api/v1/projects", {
      token,
      body: { directive: DIRECTIVE },
    });
    const path = `/api/v1/projects/${project.json.id}/events`;

    const live = await api.raw("GET", path, { token });
    assert.equal(live.status, 200);
    assert.equal(live.headers.get("Content-Type"), "text/event-stream; charset=utf-8");
    assert.match(live.headers.get("Cache-Control") ?? "", /no-cache/);
    assert.equal(live.headers.get("X-Accel-Buffering"), "no");
    const head = await readEvents(live, { max: 3 });
    assert.deepEqual(head.map((e) => e.id), [1, 2, 3]);
    assert.equal(head[0].event, "stage.started");
    assert.equal(head[0].data.stage, "product");

    const resumed = await readEvents(
      await api.raw("GET", path, { token, headers: { "Last-Event-ID": "3" } }),
    );
    const all = [...head, ...resumed];
    assert.deepEqual(all.map((e) => e.id), all.map((_, i) => i + 1), "contiguous ids");
    assert.equal(all.at(-1)!.event, "generation.completed");
    assert.equal(all.filter((e) => e.event === "stage.completed").length, 5);
    await api.app.services.pipeline.idle();

    // The log is kept: a later reader gets the same events, from any point.
    const replay = await readEvents(await api.raw("GET", path, { token }));
    assert.deepEqual(replay, all);
    const tail = await readEvents(
      await api.raw("GET", `${path}?lastEventId=${all.length - 2}`, {
        token,
      }),
    );
    assert.deepEqual(tail, all.slice(-2));
    const headerWins = await readEvents(
      await api.raw("GET", `${path}?lastEventId=1`, {
        token,
        headers: { "Last-Event-ID": String(all.length - 1) },
      }),
    );
    assert.deepEqual(headerWins, all.slice(-1));
  } finally {
    await api.close();
  }
});

Deno.test("a malformed Last-Event-ID is a 400, not a silent restart", async () => {
  const api = await startApi();
  try {
    const { token } = await signUp(api);
    const project = await api.call("POST", "/api/v1/projects", {
      token,
      body: { directive: DIRECTIVE },
    });
    const path = `/api/v1/projects/${project.json.id}/events`;
    for (const bad of ["abc", "-1", "1.5", "9".repeat(13)]) {
      const response = await api.call("GET", path, { token, headers: { "Last-Event-ID": bad } });
      assert.equal(response.status, 400, bad);
      assert.ok(response.json.errors["Last-Event-ID"]);
    }
    const query = await api.call("GET", `${path}?lastEventId=x`, { token });
    assert.equal(query.status, 400);
    assert.ok(query.json.errors.lastEventId);
    await readEvents(await api.raw("GET", path, { token }));
    await api.app.services.pipeline.idle();
  } finally {
    await api.close();
  }
});
