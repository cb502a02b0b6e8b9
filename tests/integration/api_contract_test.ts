/**
 * Contract tests: every endpoint of docs/architecture.md §7, exercised the way a mobile client would, with
 * every status and body checked against the OpenAPI document the server itself serves.
 */
import assert from "node:assert/strict";
import { Contract, signUp, startApi, waitForGeneration } from "../support/api.ts";
import type { ApiApp } from "../support/api.ts";

const DIRECTIVE = "a marketplace where local farmers sell vegetable boxes";

/** The API table of docs/architecture.md §7: every row must be in the document. */
const DESIGN_TABLE = [
  ["POST", "/api/v1/users"],
  ["POST", "/api/v1/auth/token"],
  ["DELETE", "/api/v1/auth/token"],
  ["GET", "/api/v1/projects"],
  ["POST", "/api/v1/projects"],
  ["GET", "/api/v1/projects/{id}"],
  ["PATCH", "/api/v1/projects/{id}"],
  ["DELETE", "/api/v1/projects/{id}"],
  ["GET", "/api/v1/projects/{id}/events"],
  ["POST", "/api/v1/projects/{id}/stages/{stage}/regenerate"],
  ["GET", "/api/v1/projects/{id}/generations"],
  ["GET", "/api/v1/public/projects/{slug}"],
  ["GET", "/api/v1/openapi.json"],
] as const;

/** (operation, status) pairs validated by the tests of this file. */
const exercised = new Set<string>();
let documentedSuccesses: string[] = [];

async function withApi(fn: (api: ApiApp, contract: Contract) => Promise<void>) {
  const api = await startApi();
  try {
    const served = await api.call("GET", "/api/v1/openapi.json");
    assert.equal(served.status, 200);
    const contract = new Contract(served.json);
    contract.check("GET", "/api/v1/openapi.json", served);
    documentedSuccesses = Object.values(served.json.paths).flatMap((ops: any) =>
      Object.values(ops).flatMap((op: any) =>
        Object.keys(op.responses).filter((s) => s < "400").map((s) => `${op.operationId} ${s}`)
      )
    );
    await fn(api, contract);
    for (const pair of contract.seen) exercised.add(pair);
  } finally {
    await api.close();
  }
}

Deno.test("the OpenAPI document describes every endpoint of docs/architecture.md §7", async () => {
  await withApi(async (api, contract) => {
    const doc = contract.document;
    assert.equal(doc.openapi, "3.1.0");
    for (const [method, path] of DESIGN_TABLE) contract.operation(method, path);
    const documented = Object.values(doc.paths).flatMap((ops: any) => Object.keys(ops));
    assert.equal(documented.length, DESIGN_TABLE.length);
    assert.equal(doc.components.securitySchemes.bearer.scheme, "bearer");
    for (const name of ["Project", "ProjectPage", "Problem", "GenerationEvent", "ProductOutput"]) {
      assert.ok(doc.components.schemas[name], `schema ${name}`);
    }
    const project = doc.components.schemas.Project;
    for (
      const field of [
        "id",
        "slug",
        "title",
        "directive",
        "visibility",
        "status",
        "createdAt",
        "updatedAt",
        "stages",
      ]
    ) {
      assert.ok(project.required.includes(field), `Project.${field} is required`);
    }
    const first = await api.call("GET", "/api/v1/openapi.json");
    const again = await api.call("GET", "/api/v1/openapi.json", {
      headers: { "If-None-Match": `"other", ${first.headers.get("ETag")}` },
    });
    contract.check("GET", "/api/v1/openapi.json", again);
    assert.equal(again.status, 304);
  });
});

Deno.test("accounts: sign up, log in, log out", async () => {
  await withApi(async (api, contract) => {
    const email = "mobile@example.com";
    const password = "correct horse battery staple";
    const created = contract.check(
      "POST",
      "/api/v1/users",
      await api.call("POST", "/api/v1/users", {
        body: { email: " Mobile@Example.com ", password },
      }),
    );
    assert.equal(created.status, 201);
    assert.equal(created.json.user.email, email);
    assert.match(created.json.token, /^a9_[A-Za-z0-9_-]{43}$/);

    const taken = contract.check(
      "POST",
      "/api/v1/users",
      await api.call("POST", "/api/v1/users", { body: { email, password } }),
    );
    assert.equal(taken.status, 409);
    assert.equal(taken.json.type, "https://atlas9.dev/problems/email-taken");

    const weak = contract.check(
      "POST",
      "/api/v1/users",
      await api.call("POST", "/api/v1/users", {
        body: { email: "not-an-email", password: "short", extra: 1 },
      }),
    );
    assert.equal(weak.status, 422);
    assert.deepEqual(Object.keys(weak.json.errors).sort(), ["email", "extra", "password"]);

    const loggedIn = contract.check(
      "POST",
      "/api/v1/auth/token",
      await api.call("POST", "/api/v1/auth/token", {
        body: { email, password, tokenName: "Pixel 9" },
      }),
    );
    assert.equal(loggedIn.status, 200);
    assert.notEqual(loggedIn.json.token, created.json.token);

    const wrong = contract.check(
      "POST",
      "/api/v1/auth/token",
      await api.call("POST", "/api/v1/auth/token", { body: { email, password: "wrong password" } }),
    );
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.type, "https://atlas9.dev/problems/invalid-credentials");

    const unknown = await api.call("POST", "/api/v1/auth/token", {
      body: { email: "nobody@example.com", password },
    });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.json.detail, wrong.json.detail, "unknown email and wrong password alike");

    const token = loggedIn.json.token;
    const tokens = await api.app.services.repos.tokens.list(created.json.user.id);
    assert.deepEqual(tokens.map((t) => t.name).sort(), ["Mobile app", "Pixel 9"]);
    assert.ok(
      tokens.every((t) => token.startsWith(t.prefix) || created.json.token.startsWith(t.prefix)),
    );

    const out = contract.check(
      "DELETE",
      "/api/v1/auth/token",
      await api.call("DELETE", "/api/v1/auth/token", { token }),
    );
    assert.equal(out.status, 204);
    const after = contract.check(
      "GET",
      "/api/v1/projects",
      await api.call("GET", "/api/v1/projects", { token }),
    );
    assert.equal(after.status, 401);
    assert.equal(after.json.type, "https://atlas9.dev/problems/invalid-token");
    assert.match(after.headers.get("WWW-Authenticate") ?? "", /Bearer .*invalid_token/);
    const stillWorks = await api.call("GET", "/api/v1/projects", { token: created.json.token });
    assert.equal(stillWorks.status, 200, "only the calling token is revoked");
  });
});

Deno.test("projects: create, follow, read, regenerate, history, publish, delete", async () => {
  await withApi(async (api, contract) => {
    const { token } = await signUp(api);

    const created = contract.check(
      "POST",
      "/api/v1/projects",
      await api.call("POST", "/api/v1/projects", { token, body: { directive: DIRECTIVE } }),
    );
    assert.equal(created.status, 201);
    const id = created.json.id;
    assert.equal(created.headers.get("Location"), `/api/v1/projects/${id}`);
    assert.equal(created.json.visibility, "private");
    assert.deepEqual(created.json.stages, {});

    const events = await waitForGeneration(api, token, id);
    for (const { event, data } of events) contract.matches("GenerationEvent", { event, data });
    assert.deepEqual(
      events.map((e) => e.id),
      events.map((_, i) => i + 1),
      "ids are 1..n without gaps",
    );
    const completed = events.filter((e) => e.event === "stage.completed").map((e) => e.data.stage);
    assert.deepEqual(completed.sort(), ["architecture", "brand", "code", "design", "product"]);
    assert.equal(events.at(-1)!.event, "generation.completed");
    const caughtUp = contract.check(
      "GET",
      "/api/v1/projects/{id}/events",
      await api.call("GET", `/api/v1/projects/${id}/events`, {
        token,
        headers: { "Last-Event-ID": String(events.length) },
      }),
    );
    // Ended and caught up: 204, so EventSource clients stop reconnecting (issue 14 item 10).
    assert.equal(caughtUp.status, 204);
    assert.equal(caughtUp.text, "", "nothing after the last event");
    // One event behind: 200 with exactly the missing event, then the stream ends.
    const behind = contract.check(
      "GET",
      "/api/v1/projects/{id}/events",
      await api.call("GET", `/api/v1/projects/${id}/events`, {
        token,
        headers: { "Last-Event-ID": String(events.length - 1) },
      }),
    );
    assert.equal(behind.status, 200);
    assert.match(behind.text, new RegExp(`id: ${events.length}\\n`));
    assert.match(behind.text, /event: generation\.completed/);

    const got = contract.check(
      "GET",
      "/api/v1/projects/{id}",
      await api.call("GET", `/api/v1/projects/${id}`, { token }),
    );
    assert.equal(got.status, 200);
    assert.equal(got.json.status, "completed");
    assert.deepEqual(Object.keys(got.json.stages).sort(), completed);
    assert.equal(got.json.stages.product.version, 1);
    assert.equal(got.headers.get("Cache-Control"), "private, no-cache");
    const notModified = contract.check(
      "GET",
      "/api/v1/projects/{id}",
      await api.call("GET", `/api/v1/projects/${id}`, {
        token,
        headers: { "If-None-Match": got.headers.get("ETag")! },
      }),
    );
    assert.equal(notModified.status, 304);
    assert.equal(notModified.headers.get("ETag"), got.headers.get("ETag"));

    const list = contract.check(
      "GET",
      "/api/v1/projects",
      await api.call("GET", "/api/v1/projects?limit=5", { token }),
    );
    assert.equal(list.status, 200);
    assert.deepEqual(list.json.items.map((p: { id: string }) => p.id), [id]);
    assert.equal(list.json.nextCursor, null);
    const listAgain = contract.check(
      "GET",
      "/api/v1/projects",
      await api.call("GET", "/api/v1/projects?limit=5", {
        token,
        headers: { "If-None-Match": `W/${list.headers.get("ETag")}` },
      }),
    );
    assert.equal(listAgain.status, 304);

    const regenerated = contract.check(
      "POST",
      "/api/v1/projects/{id}/stages/{stage}/regenerate",
      await api.call("POST", `/api/v1/projects/${id}/stages/brand/regenerate`, { token }),
    );
    assert.equal(regenerated.status, 202);
    assert.deepEqual(regenerated.json.staleStages, ["code"]);
    assert.equal(regenerated.json.version, 2);
    const busy = contract.check(
      "POST",
      "/api/v1/projects/{id}/stages/{stage}/regenerate",
      await api.call("POST", `/api/v1/projects/${id}/stages/design/regenerate`, { token }),
    );
    if (busy.status === 409) {
      assert.equal(busy.json.type, "https://atlas9.dev/problems/generation-running");
    } else {
      assert.equal(busy.status, 202, "the brand run may already have finished");
    }
    await waitForGeneration(api, token, id);
    const after = contract.check(
      "GET",
      "/api/v1/projects/{id}",
      await api.call("GET", `/api/v1/projects/${id}`, { token }),
    );
    assert.equal(after.json.stages.brand.version, 2);
    assert.equal(after.json.stages.code.status, "stale");

    const history = contract.check(
      "GET",
      "/api/v1/projects/{id}/generations",
      await api.call("GET", `/api/v1/projects/${id}/generations?stage=brand`, { token }),
    );
    assert.equal(history.status, 200);
    assert.deepEqual(history.json.items.map((g: { version: number }) => g.version), [2, 1]);
    const all = contract.check(
      "GET",
      "/api/v1/projects/{id}/generations",
      await api.call("GET", `/api/v1/projects/${id}/generations`, { token }),
    );
    assert.ok(all.json.items.length >= 6);
    const allAgain = contract.check(
      "GET",
      "/api/v1/projects/{id}/generations",
      await api.call("GET", `/api/v1/projects/${id}/generations`, {
        token,
        headers: { "If-None-Match": all.headers.get("ETag")! },
      }),
    );
    assert.equal(allAgain.status, 304);
    const badStage = contract.check(
      "GET",
      "/api/v1/projects/{id}/generations",
      await api.call("GET", `/api/v1/projects/${id}/generations?stage=logo`, { token }),
    );
    assert.equal(badStage.status, 400);
    assert.ok(badStage.json.errors.stage);
    const unknownStage = contract.check(
      "POST",
      "/api/v1/projects/{id}/stages/{stage}/regenerate",
      await api.call("POST", `/api/v1/projects/${id}/stages/logo/regenerate`, { token }),
    );
    assert.equal(unknownStage.status, 404);

    const slug = got.json.slug;
    const hidden = contract.check(
      "GET",
      "/api/v1/public/projects/{slug}",
      await api.call("GET", `/api/v1/public/projects/${slug}`),
    );
    assert.equal(hidden.status, 404, "a private project is not public");
    const renamed = contract.check(
      "PATCH",
      "/api/v1/projects/{id}",
      await api.call("PATCH", `/api/v1/projects/${id}`, {
        token,
        body: { title: "  Harvest Box  ", visibility: "public" },
      }),
    );
    assert.equal(renamed.status, 200);
    assert.equal(renamed.json.title, "Harvest Box");
    assert.equal(renamed.json.visibility, "public");
    const empty = contract.check(
      "PATCH",
      "/api/v1/projects/{id}",
      await api.call("PATCH", `/api/v1/projects/${id}`, { token, body: {} }),
    );
    assert.equal(empty.status, 422);

    const published = contract.check(
      "GET",
      "/api/v1/public/projects/{slug}",
      await api.call("GET", `/api/v1/public/projects/${slug}`),
    );
    assert.equal(published.status, 200);
    assert.equal(published.json.id, id);
    assert.equal(
      published.headers.get("Cache-Control"),
      "public, s-maxage=300, stale-while-revalidate=60",
    );
    assert.equal(published.json.userId, undefined, "the owner is not exposed");
    const cached = contract.check(
      "GET",
      "/api/v1/public/projects/{slug}",
      await api.call("GET", `/api/v1/public/projects/${slug}`, {
        headers: { "If-None-Match": published.headers.get("ETag")! },
      }),
    );
    assert.equal(cached.status, 304);
    assert.equal(cached.headers.get("Cache-Control"), published.headers.get("Cache-Control"));

    const deleted = contract.check(
      "DELETE",
      "/api/v1/projects/{id}",
      await api.call("DELETE", `/api/v1/projects/${id}`, { token }),
    );
    assert.equal(deleted.status, 204);
    const gone = contract.check(
      "GET",
      "/api/v1/projects/{id}",
      await api.call("GET", `/api/v1/projects/${id}`, { token }),
    );
    assert.equal(gone.status, 404);
    const goneAgain = contract.check(
      "DELETE",
      "/api/v1/projects/{id}",
      await api.call("DELETE", `/api/v1/projects/${id}`, { token }),
    );
    assert.equal(goneAgain.status, 404);
    const noLongerPublic = await api.call("GET", `/api/v1/public/projects/${slug}`);
    assert.equal(noLongerPublic.status, 404);
  });
});

Deno.test("misuse gets a precise problem: 400, 405, 413, 415, 422 and unknown paths", async () => {
  await withApi(async (api, contract) => {
    const { token } = await signUp(api);
    const post = (init: { rawBody?: BodyInit; headers?: HeadersInit; body?: unknown }) =>
      api.call("POST", "/api/v1/projects", { token, ...init });

    const malformed = contract.check(
      "POST",
      "/api/v1/projects",
      await post({
        rawBody: '{"directive": "a shop",',
        headers: { "Content-Type": "application/json" },
      }),
    );
    assert.equal(malformed.status, 400);
    assert.equal(malformed.json.type, "https://atlas9.dev/problems/malformed-json");

    const form = contract.check(
      "POST",
      "/api/v1/projects",
      await post({
        rawBody: "directive=a+shop",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
    );
    assert.equal(form.status, 415);
    assert.equal(form.json.type, "https://atlas9.dev/problems/unsupported-media-type");

    const huge = contract.check(
      "POST",
      "/api/v1/projects",
      await post({
        rawBody: JSON.stringify({ directive: "x".repeat(70_000) }),
        headers: { "Content-Type": "application/json" },
      }),
    );
    assert.equal(huge.status, 413);
    assert.equal(huge.json.type, "https://atlas9.dev/problems/payload-too-large");

    const wrongType = contract.check(
      "POST",
      "/api/v1/projects",
      await post({ body: { directive: 42, visibility: "friends" } }),
    );
    assert.equal(wrongType.status, 422);
    assert.deepEqual(Object.keys(wrongType.json.errors).sort(), ["directive", "visibility"]);

    const tooShort = contract.check(
      "POST",
      "/api/v1/projects",
      await post({ body: { directive: "   a    " } }),
    );
    assert.equal(tooShort.status, 422);
    assert.match(tooShort.json.errors.directive[0], /at least 3/);

    const notObject = contract.check("POST", "/api/v1/projects", await post({ body: [1, 2] }));
    assert.equal(notObject.status, 422);
    assert.ok(notObject.json.errors[""]);

    const badLimit = contract.check(
      "GET",
      "/api/v1/projects",
      await api.call("GET", "/api/v1/projects?limit=1000", { token }),
    );
    assert.equal(badLimit.status, 400);
    assert.ok(badLimit.json.errors.limit);

    const badKey = contract.check(
      "POST",
      "/api/v1/projects",
      await post({ body: { directive: DIRECTIVE }, headers: { "Idempotency-Key": "has space" } }),
    );
    assert.equal(badKey.status, 400);
    assert.ok(badKey.json.errors["Idempotency-Key"]);

    const put = await api.call("PUT", "/api/v1/projects", { token, body: {} });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get("Content-Type"), "application/problem+json");
    assert.match(put.headers.get("Allow") ?? "", /GET, POST/);

    const missing = await api.call("GET", "/api/v1/nothing/here", { token });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.type, "https://atlas9.dev/problems/not-found");

    const badId = contract.check(
      "GET",
      "/api/v1/projects/{id}",
      await api.call("GET", "/api/v1/projects/not-a-project-id", { token }),
    );
    assert.equal(badId.status, 404);

    const cookieOnly = contract.check(
      "GET",
      "/api/v1/projects",
      await api.call("GET", "/api/v1/projects", { headers: { Cookie: "__session=anything" } }),
    );
    assert.equal(cookieOnly.status, 401, "cookies never authenticate API requests");
    assert.equal(cookieOnly.json.type, "https://atlas9.dev/problems/unauthorized");
    const basic = contract.check(
      "GET",
      "/api/v1/projects",
      await api.call("GET", "/api/v1/projects", {
        headers: { Authorization: "Basic Zm9vOmJhcg==" },
      }),
    );
    assert.equal(basic.status, 401);
  });
});

Deno.test("CORS is off by default", async () => {
  await withApi(async (api) => {
    const response = await api.call("GET", "/api/v1/openapi.json", {
      headers: { Origin: "https://app.example.com" },
    });
    assert.equal(response.headers.get("Access-Control-Allow-Origin"), null);
    const preflight = await api.call("OPTIONS", "/api/v1/projects", {
      headers: { Origin: "https://app.example.com", "Access-Control-Request-Method": "POST" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("Access-Control-Allow-Origin"), null);
  });
});

Deno.test("CORS allows exactly the origins of CORS_ORIGINS", async () => {
  const api = await startApi({ env: { CORS_ORIGINS: "https://app.example.com" } });
  try {
    const preflight = await api.call("OPTIONS", "/api/v1/projects", {
      headers: {
        Origin: "https://app.example.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("Access-Control-Allow-Origin"), "https://app.example.com");
    assert.match(preflight.headers.get("Access-Control-Allow-Headers") ?? "", /Idempotency-Key/);
    assert.match(preflight.headers.get("Access-Control-Allow-Methods") ?? "", /PATCH/);
    assert.equal(preflight.headers.get("Access-Control-Allow-Credentials"), null);

    const allowed = await api.call("GET", "/api/v1/projects", {
      headers: { Origin: "https://app.example.com" },
    });
    assert.equal(allowed.status, 401);
    assert.equal(allowed.headers.get("Access-Control-Allow-Origin"), "https://app.example.com");
    assert.match(allowed.headers.get("Access-Control-Expose-Headers") ?? "", /RateLimit-Remaining/);
    assert.match(allowed.headers.get("Vary") ?? "", /Origin/);

    const other = await api.call("GET", "/api/v1/openapi.json", {
      headers: { Origin: "https://evil.example.com" },
    });
    assert.equal(other.headers.get("Access-Control-Allow-Origin"), null);
    const otherPreflight = await api.call("OPTIONS", "/api/v1/projects", {
      headers: { Origin: "https://evil.example.com", "Access-Control-Request-Method": "POST" },
    });
    assert.equal(otherPreflight.headers.get("Access-Control-Allow-Origin"), null);
  } finally {
    await api.close();
  }
});

Deno.test("the reference page at /api/docs lists every endpoint", async () => {
  await withApi(async (api, contract) => {
    const page = await api.call("GET", "/api/docs");
    assert.equal(page.status, 200);
    assert.match(page.headers.get("Content-Type") ?? "", /text\/html/);
    for (const [method, path] of DESIGN_TABLE) {
      assert.ok(page.text.includes(`${method} ${path}`), `${method} ${path} on the page`);
    }
    assert.ok(page.text.includes('href="/api/v1/openapi.json"'));
    assert.ok(
      Object.keys(contract.document.components.schemas).every((name) =>
        page.text.includes(`schema-${name}`)
      ),
    );
  });
});

Deno.test("every documented success status was exercised above", () => {
  const missing = documentedSuccesses.filter((pair) => !exercised.has(pair));
  assert.deepEqual(missing, []);
});
