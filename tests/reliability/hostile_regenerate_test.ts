/**
 * Hostile input, issue 13 item 6: 20 parallel regenerations of one stage. The job slot and
 * the version are reserved in one atomic KV commit, so exactly one request is accepted (202),
 * the others answer 409, one new version is stored and the model is asked (billed) once.
 */
import assert from "node:assert/strict";
import { offlineGenerator, signUp, startApi } from "../support/api.ts";
import type { GenerateStage } from "../../app/generation/pipeline.server.ts";
import { DIRECTIVE, report } from "../support/reliability.ts";

const N = 20;

Deno.test("regenerate race: 20 parallel regenerations → one 202, one version, one model call", async () => {
  const calls: string[] = [];
  const offline = offlineGenerator({ delayMs: 2 });
  const counting: GenerateStage = (request) => {
    calls.push(request.stage);
    return offline(request);
  };
  const api = await startApi({ generate: counting });
  try {
    const { token } = await signUp(api);
    const created = await api.call("POST", "/api/v1/projects", {
      body: { directive: DIRECTIVE },
      token,
    });
    assert.equal(created.status, 201);
    const id = created.json.id;
    await api.app.services.pipeline.idle();
    calls.length = 0;

    for (const round of [1, 2]) {
      const responses = await Promise.all(
        Array.from(
          { length: N },
          () => api.call("POST", `/api/v1/projects/${id}/stages/brand/regenerate`, { token }),
        ),
      );
      const counts: Record<number, number> = {};
      for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
      assert.deepEqual(counts, { 202: 1, 409: N - 1 }, `round ${round}`);
      const accepted = responses.find((r) => r.status === 202)!;
      assert.equal(accepted.json.version, round + 1);
      for (const r of responses.filter((r) => r.status === 409)) {
        assert.equal(r.json.type, "https://atlas9.dev/problems/generation-running");
      }
      await api.app.services.pipeline.idle();
    }

    const versions = await api.call("GET", `/api/v1/projects/${id}/generations?stage=brand`, {
      token,
    });
    assert.equal(versions.status, 200);
    const list = (versions.json.items ?? versions.json) as { version: number }[];
    assert.deepEqual(list.map((g) => g.version).sort(), [1, 2, 3], "one row per accepted request");
    assert.deepEqual(calls.filter((s) => s === "brand"), ["brand", "brand"], "one call each");
    report("regenerate race: 20 parallel, 2 rounds", "1 × 202 + 19 × 409 each; versions 1, 2, 3");
  } finally {
    await api.close();
  }
});
