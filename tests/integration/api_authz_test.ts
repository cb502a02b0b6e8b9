/**
 * The authorization matrix: owner, another user, anonymous and a revoked token against
 * every endpoint. Another user's private project must be a 404, exactly like a missing one.
 */
import assert from "node:assert/strict";
import { Contract, moreTokens, signUp, startApi, waitForGeneration } from "../support/api.ts";
import type { ApiResponse } from "../support/api.ts";

type Principal = "owner" | "other" | "anonymous" | "revoked";
const PRINCIPALS: Principal[] = ["owner", "other", "anonymous", "revoked"];

interface Row {
  method: string;
  template: string;
  /** Sends the request as `token` (undefined: anonymous). */
  send(token: string | undefined, principal: Principal): Promise<ApiResponse>;
  expect: Record<Principal, number>;
}

const DIRECTIVE = "a booking app for neighbourhood tennis courts";
const MISSING_ID = "01J0000000000000000000000Z";

Deno.test("authorization matrix: owner, other user, anonymous, revoked token × every endpoint", async () => {
  const api = await startApi();
  try {
    const contract = new Contract((await api.call("GET", "/api/v1/openapi.json")).json);
    const owner = await signUp(api);
    const other = await signUp(api);
    const [revoked, ownerSpare, otherSpare] = [
      ...(await moreTokens(api, owner.userId, 2)),
      ...(await moreTokens(api, other.userId, 1)),
    ];
    const revokedCall = await api.call("DELETE", "/api/v1/auth/token", { token: revoked });
    assert.equal(revokedCall.status, 204);

    const project = (await api.call("POST", "/api/v1/projects", {
      token: owner.token,
      body: { directive: DIRECTIVE },
    })).json;
    await waitForGeneration(api, owner.token, project.id);
    const disposable = async () => {
      const created = await api.call("POST", "/api/v1/projects", {
        token: owner.token,
        body: { directive: "a disposable project for the delete row" },
      });
      assert.equal(created.status, 201);
      await waitForGeneration(api, owner.token, created.json.id);
      return created.json.id as string;
    };
    const publicProject = await disposable();
    await api.call("PATCH", `/api/v1/projects/${publicProject}`, {
      token: owner.token,
      body: { visibility: "public" },
    });
    const publicSlug = (await api.app.services.repos.projects.getById(publicProject))!.slug;

    const tokenOf: Record<Principal, string | undefined> = {
      owner: owner.token,
      other: other.token,
      anonymous: undefined,
      revoked,
    };
    let emails = 0;
    const spare: Record<Principal, string | undefined> = {
      owner: ownerSpare,
      other: otherSpare,
      anonymous: undefined,
      revoked,
    };
    const base = `/api/v1/projects/${project.id}`;
    const rows: Row[] = [
      {
        method: "POST",
        template: "/api/v1/users",
        send: (token, who) =>
          api.call("POST", "/api/v1/users", {
            token,
            ip: `10.9.0.${++emails}`,
            body: { email: `matrix-${who}-${emails}@example.com`, password: "long enough secret" },
          }),
        expect: { owner: 201, other: 201, anonymous: 201, revoked: 201 },
      },
      {
        method: "POST",
        template: "/api/v1/auth/token",
        send: (token) =>
          api.call("POST", "/api/v1/auth/token", {
            token,
            body: { email: other.email, password: "correct horse battery staple" },
          }),
        expect: { owner: 200, other: 200, anonymous: 200, revoked: 200 },
      },
      {
        method: "GET",
        template: "/api/v1/projects",
        send: (token) => api.call("GET", "/api/v1/projects", { token }),
        expect: { owner: 200, other: 200, anonymous: 401, revoked: 401 },
      },
      {
        method: "POST",
        template: "/api/v1/projects",
        send: (token) =>
          api.call("POST", "/api/v1/projects", { token, body: { directive: DIRECTIVE } }),
        expect: { owner: 201, other: 201, anonymous: 401, revoked: 401 },
      },
      {
        method: "GET",
        template: "/api/v1/projects/{id}",
        send: (token) => api.call("GET", base, { token }),
        expect: { owner: 200, other: 404, anonymous: 401, revoked: 401 },
      },
      {
        method: "PATCH",
        template: "/api/v1/projects/{id}",
        send: (token, who) =>
          api.call("PATCH", base, { token, body: { title: `renamed by ${who}` } }),
        expect: { owner: 200, other: 404, anonymous: 401, revoked: 401 },
      },
      {
        method: "GET",
        template: "/api/v1/projects/{id}/events",
        send: (token) => api.call("GET", `${base}/events`, { token }),
        expect: { owner: 200, other: 404, anonymous: 401, revoked: 401 },
      },
      {
        method: "GET",
        template: "/api/v1/projects/{id}/generations",
        send: (token) => api.call("GET", `${base}/generations`, { token }),
        expect: { owner: 200, other: 404, anonymous: 401, revoked: 401 },
      },
      {
        method: "POST",
        template: "/api/v1/projects/{id}/stages/{stage}/regenerate",
        send: async (token, who) => {
          const response = await api.call("POST", `${base}/stages/design/regenerate`, { token });
          if (who === "owner") await waitForGeneration(api, owner.token, project.id);
          return response;
        },
        expect: { owner: 202, other: 404, anonymous: 401, revoked: 401 },
      },
      {
        method: "GET",
        template: "/api/v1/public/projects/{slug}",
        send: (token) => api.call("GET", `/api/v1/public/projects/${project.slug}`, { token }),
        expect: { owner: 404, other: 404, anonymous: 404, revoked: 404 },
      },
      {
        method: "GET",
        template: "/api/v1/public/projects/{slug}",
        send: (token) => api.call("GET", `/api/v1/public/projects/${publicSlug}`, { token }),
        expect: { owner: 200, other: 200, anonymous: 200, revoked: 200 },
      },
      {
        method: "GET",
        template: "/api/v1/openapi.json",
        send: (token) => api.call("GET", "/api/v1/openapi.json", { token }),
        expect: { owner: 200, other: 200, anonymous: 200, revoked: 200 },
      },
      {
        method: "DELETE",
        template: "/api/v1/projects/{id}",
        send: async (token, who) =>
          api.call("DELETE", who === "owner" ? `/api/v1/projects/${await disposable()}` : base, {
            token,
          }),
        expect: { owner: 204, other: 404, anonymous: 401, revoked: 401 },
      },
      {
        method: "DELETE",
        template: "/api/v1/auth/token",
        send: (_token, who) => api.call("DELETE", "/api/v1/auth/token", { token: spare[who] }),
        expect: { owner: 204, other: 204, anonymous: 401, revoked: 401 },
      },
    ];

    const mismatches: string[] = [];
    const notFoundBodies = new Set<string>();
    for (const row of rows) {
      for (const who of PRINCIPALS) {
        const response = await row.send(tokenOf[who], who);
        contract.check(row.method, row.template, response);
        const expected = row.expect[who];
        if (response.status !== expected) {
          mismatches.push(
            `${row.method} ${row.template} as ${who}: ${response.status} ≠ ${expected}`,
          );
        }
        if (response.status === 401) {
          const type = who === "revoked" ? "invalid-token" : "unauthorized";
          assert.equal(response.json.type, `https://atlas9.dev/problems/${type}`);
          assert.ok(response.headers.get("WWW-Authenticate")?.startsWith("Bearer"));
        }
        if (response.status === 404 && row.template.startsWith("/api/v1/projects/{id}")) {
          notFoundBodies.add(response.json.detail);
        }
      }
    }
    assert.deepEqual(mismatches, []);

    const missing = await api.call("GET", `/api/v1/projects/${MISSING_ID}`, { token: other.token });
    assert.equal(missing.status, 404);
    assert.deepEqual(
      [...notFoundBodies],
      [missing.json.detail],
      "another user's project = no project",
    );

    const after = await api.call("GET", base, { token: owner.token });
    assert.equal(after.status, 200, "the other user's DELETE did not delete it");
    assert.equal(after.json.title, "renamed by owner", "the other user's PATCH changed nothing");
    const otherList = await api.call("GET", "/api/v1/projects", { token: other.token });
    assert.ok(otherList.json.items.every((p: { id: string }) => p.id !== project.id));
    const stillSpare = await api.call("GET", "/api/v1/projects", { token: ownerSpare });
    assert.equal(stillSpare.status, 401, "DELETE /auth/token revoked the calling token");
    const ownerStill = await api.call("GET", "/api/v1/projects", { token: owner.token });
    assert.equal(ownerStill.status, 200, "and only that one");
  } finally {
    await api.close();
  }
});
