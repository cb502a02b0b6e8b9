/** `Idempotency-Key` on `POST /api/v1/projects`: one project per key, whatever the retries. */
import assert from "node:assert/strict";
import { idempotencyKey } from "../../app/kv/keys.ts";
import { offlineGenerator, signUp, startApi } from "../support/api.ts";
import type { ApiApp } from "../support/api.ts";

const BODY = { directive: "a marketplace where local farmers sell vegetable boxes" };

async function projectCount(api: ApiApp, token: string): Promise<number> {
  const list = await api.call("GET", "/api/v1/projects?limit=100", { token });
  assert.equal(list.status, 200);
  return list.json.items.length;
}

Deno.test("the same key and body return the first response without a second generation", async () => {
  const api = await startApi();
  try {
    const { token } = await signUp(api);
    const headers = { "Idempotency-Key": "create-1" };
    const first = await api.call("POST", "/api/v1/projects", { token, body: BODY, headers });
    assert.equal(first.status, 201);
    assert.equal(first.headers.get("Idempotent-Replayed"), null);
    await api.app.services.pipeline.idle();

    // Same body, other formatting and an explicit default: the same request.
    const retry = await api.call("POST", "/api/v1/projects", {
      token,
      headers: { ...headers, "Content-Type": "application/json" },
      rawBody: `{ "visibility": "private",\n  "directive": "${BODY.directive}" }`,
    });
    assert.equal(retry.status, 201);
    assert.equal(retry.headers.get("Idempotent-Replayed"), "true");
    assert.equal(retry.text, first.text);
    assert.equal(retry.headers.get("Location"), first.headers.get("Location"));
    assert.equal(await projectCount(api, token), 1);
    const job = await api.app.services.pipeline.currentJob(first.json.id);
    assert.equal(job?.status, "completed", "the one generation ran to the end, once");

    const stored = await api.app.services.kv.get(idempotencyKey(
      (await api.app.services.repos.projects.getById(first.json.id))!.userId,
      "create-1",
    ));
    assert.ok(stored.value, "the response is kept in KV");

    const other = await api.call("POST", "/api/v1/projects", {
      token,
      headers,
      body: { directive: "a different product entirely" },
    });
    assert.equal(other.status, 422);
    assert.equal(other.json.type, "https://atlas9.dev/problems/idempotency-key-reused");
    assert.equal(await projectCount(api, token), 1);

    const fresh = await api.call("POST", "/api/v1/projects", {
      token,
      headers: { "Idempotency-Key": "create-2" },
      body: BODY,
    });
    assert.equal(fresh.status, 201);
    assert.notEqual(fresh.json.id, first.json.id);
    assert.equal(await projectCount(api, token), 2);
  } finally {
    await api.close();
  }
});

Deno.test("concurrent retries with one key create one project", async () => {
  const api = await startApi({ generate: offlineGenerator({ delayMs: 5 }) });
  try {
    const { token } = await signUp(api);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.call("POST", "/api/v1/projects", {
          token,
          body: BODY,
          headers: { "Idempotency-Key": "burst" },
        })),
    );
    const created = responses.filter((r) => r.status === 201);
    const running = responses.filter((r) => r.status === 409);
    assert.equal(created.length + running.length, 20, responses.map((r) => r.status).join());
    assert.equal(created.filter((r) => r.headers.get("Idempotent-Replayed") === null).length, 1);
    assert.equal(new Set(created.map((r) => r.json.id)).size, 1);
    for (const response of running) {
      assert.equal(response.json.type, "https://atlas9.dev/problems/idempotency-in-progress");
      assert.equal(response.headers.get("Retry-After"), "1");
    }
    assert.equal(await projectCount(api, token), 1);
  } finally {
    await api.close();
  }
});

Deno.test("keys belong to their user, and failures are not kept", async () => {
  const api = await startApi({ generate: offlineGenerator({ delayMs: 20 }) });
  try {
    const alice = await signUp(api);
    const bob = await signUp(api);
    const headers = { "Idempotency-Key": "shared-name" };
    const a = await api.call("POST", "/api/v1/projects", {
      token: alice.token,
      body: BODY,
      headers,
    });
    const b = await api.call("POST", "/api/v1/projects", { token: bob.token, body: BODY, headers });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.notEqual(a.json.id, b.json.id);

    // Alice has one generation running; a second fills her limit of two, a third is refused.
    const second = await api.call("POST", "/api/v1/projects", { token: alice.token, body: BODY });
    assert.equal(second.status, 201);
    const limited = await api.call("POST", "/api/v1/projects", {
      token: alice.token,
      body: BODY,
      headers: { "Idempotency-Key": "after-limit" },
    });
    assert.equal(limited.status, 429);
    assert.equal(limited.json.type, "https://atlas9.dev/problems/generation-limit");
    assert.ok(Number(limited.headers.get("Retry-After")) > 0);
    assert.equal(await projectCount(api, alice.token), 2, "the refused project was not kept");

    await api.app.services.pipeline.idle();
    const retried = await api.call("POST", "/api/v1/projects", {
      token: alice.token,
      body: BODY,
      headers: { "Idempotency-Key": "after-limit" },
    });
    assert.equal(retried.status, 201, "the refused attempt did not use up the key");
    assert.equal(retried.headers.get("Idempotent-Replayed"), null);

    const invalid = await api.call("POST", "/api/v1/projects", {
      token: alice.token,
      body: { directive: "x" },
      headers: { "Idempotency-Key": "bad-body" },
    });
    assert.equal(invalid.status, 422);
    assert.equal(invalid.json.type, "https://atlas9.dev/problems/validation");
  } finally {
    await api.close();
  }
});
