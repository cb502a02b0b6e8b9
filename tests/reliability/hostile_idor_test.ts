/**
 * Hostile input: insecure direct object references. With two users, every page and endpoint
 * that names a project (all `:id` routes of the route table, every method, every form intent)
 * answers another user exactly as it answers for a project that does not exist — a 404 — and
 * changes nothing. A token id of another user cannot be revoked either.
 */
import assert from "node:assert/strict";
import { startTestApp } from "../support/app.ts";
import { issueToken } from "../../app/api/tokens.server.ts";
import {
  createProject,
  fillPath,
  report,
  routeTable,
  signedIn,
  snapshotDatabase,
} from "../support/reliability.ts";

const MISSING = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
const INTENTS: Record<string, string>[] = [
  { intent: "visibility", visibility: "public" },
  { intent: "regenerate", stage: "brand" },
  { intent: "retry" },
  { intent: "rename", title: "Taken over" },
  { intent: "delete", confirm: "yes" },
];

/** A body with per-response values (CSP nonces, ids in the URL) made comparable. */
function comparable(text: string, id: string): string {
  return text.replace(/nonce="[^"]*"/g, "").replaceAll(id, "ID").replaceAll(MISSING, "ID");
}

Deno.test("idor: another user's project is a 404 on every page and endpoint, and stays unchanged", async () => {
  const app = await startTestApp();
  try {
    const owner = await signedIn(app, "idor-owner@example.com");
    const attacker = await signedIn(app, "idor-attacker@example.com");
    const ownerId = (await app.services.repos.users.findByEmail("idor-owner@example.com"))!.id;
    const attackerId =
      (await app.services.repos.users.findByEmail("idor-attacker@example.com"))!.id;
    const privateId = await createProject(owner);
    const publicId = await createProject(owner, "A booking app for climbing gyms");
    await app.services.pipeline.idle();
    const publish = await owner.post(`/projects/${publicId}`, {
      intent: "visibility",
      visibility: "public",
    });
    await publish.body?.cancel();
    const ownerToken = await issueToken({ services: app.services, userId: ownerId, name: "o" });
    const { token } = await issueToken({ services: app.services, userId: attackerId, name: "a" });
    const auth = { Authorization: `Bearer ${token}` };
    const before = await snapshotDatabase(app, { ignoreColumns: ["api_tokens.last_used_at"] });

    const routes = (await routeTable()).filter((r) => r.path.includes(":id"));
    assert.ok(routes.length >= 8, `routes naming a project: ${routes.length}`);
    let checks = 0;
    const expectHidden = async (label: string, send: (id: string) => Promise<Response>) => {
      for (const id of [privateId, publicId]) {
        const res = await send(id);
        const text = await res.text();
        const missing = await send(MISSING);
        const missingText = await missing.text();
        // 405 for a method the route does not serve, whoever owns the project.
        assert.ok(
          [404, 405].includes(res.status),
          `${label} on another user's project: ${res.status}`,
        );
        assert.equal(res.status, missing.status, `${label}: same status as a missing project`);
        assert.equal(
          comparable(text, id),
          comparable(missingText, MISSING),
          `${label}: same body as for a missing project`,
        );
        checks++;
      }
    };
    for (const route of routes) {
      const api = route.path.startsWith("/api/");
      const path = (id: string) => fillPath(route.path, { id, stage: "brand" });
      if (route.loader) {
        await expectHidden(
          `GET ${route.path}`,
          (id) => api ? app.fetch(path(id), { headers: auth }) : attacker.request(path(id)),
        );
      }
      if (!route.action) continue;
      if (api) {
        for (const method of ["POST", "PATCH", "DELETE"]) {
          await expectHidden(`${method} ${route.path}`, (id) =>
            app.fetch(path(id), {
              method,
              headers: { ...auth, "Content-Type": "application/json" },
              body: JSON.stringify({ title: "Taken over", visibility: "public" }),
            }));
        }
      } else {
        for (const fields of INTENTS) {
          await expectHidden(
            `POST ${route.path} ${fields.intent}`,
            (id) => attacker.post(path(id), fields),
          );
        }
      }
    }

    // Another user's token cannot be revoked by guessing its id.
    const revoke = await attacker.post("/settings", {
      intent: "revoke",
      id: ownerToken.summary.id,
    });
    const revokeMissing = await attacker.post("/settings", { intent: "revoke", id: MISSING });
    assert.equal(revoke.status, revokeMissing.status, "as if the token did not exist");
    assert.ok(revoke.status < 500);
    assert.equal(
      comparable(await revoke.text(), ownerToken.summary.id),
      comparable(await revokeMissing.text(), MISSING),
    );
    checks++;

    // Public means the public page, not the owner's pages.
    const slug = (await app.services.repos.projects.getById(publicId))!.slug;
    const page = await attacker.request(`/p/${slug}`);
    assert.equal(page.status, 200);
    await page.body?.cancel();

    // Signed out: pages send to login, the API asks for a token; nothing leaks either way.
    for (const route of routes.filter((r) => r.loader)) {
      const res = await app.fetch(fillPath(route.path, { id: privateId, stage: "brand" }), {
        redirect: "manual",
      });
      assert.ok(
        [302, 401, 404, 405].includes(res.status),
        `anonymous ${route.path}: ${res.status}`,
      );
      await res.body?.cancel();
    }

    const after = await snapshotDatabase(app, { ignoreColumns: ["api_tokens.last_used_at"] });
    assert.deepEqual(after, before, "nothing of the owner's changed");
    const mine = await owner.request(`/projects/${privateId}`);
    assert.equal(mine.status, 200, "the owner still sees the project");
    await mine.body?.cancel();
    report("idor: routes naming a project", routes.length);
    report("idor: cross-user requests answered 404 like a missing project", checks);
  } finally {
    await app.close();
  }
});
