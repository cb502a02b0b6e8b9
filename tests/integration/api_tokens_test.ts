/** The token functions the /settings page calls: issue (shown once), list with last use, revoke. */
import assert from "node:assert/strict";
import { issueToken, listTokens, revokeToken } from "../../app/api/tokens.server.ts";
import { hashToken } from "../../app/api/tokens.server.ts";
import { signUp, startApi } from "../support/api.ts";

Deno.test("settings: issue, list with last use, revoke", async () => {
  const api = await startApi();
  try {
    const services = api.app.services;
    const alice = await signUp(api);
    const bob = await signUp(api);

    const issued = await issueToken({ services, userId: alice.userId, name: "  CI deploys " });
    assert.match(issued.token, /^a9_[A-Za-z0-9_-]{43}$/);
    assert.equal(issued.summary.name, "CI deploys");
    assert.ok(issued.token.startsWith(issued.summary.prefix));
    assert.equal(issued.summary.prefix.length, 9);
    assert.equal(issued.summary.lastUsedAt, null);

    const stored = await services.repos.tokens.findActiveByHash(await hashToken(issued.token));
    assert.equal(stored?.token.id, issued.summary.id, "stored by its SHA-256 only");
    assert.ok(
      !JSON.stringify(await services.repos.tokens.list(alice.userId)).includes(issued.token),
    );

    assert.equal((await api.call("GET", "/api/v1/projects", { token: issued.token })).status, 200);
    const listed = await listTokens({ services, userId: alice.userId });
    assert.deepEqual(listed.map((t) => t.name), ["CI deploys", "Mobile app"], "newest first");
    assert.ok(listed[0].lastUsedAt !== null, "last use is recorded");
    assert.deepEqual(Object.keys(listed[0]).sort(), [
      "createdAt",
      "id",
      "lastUsedAt",
      "name",
      "prefix",
    ]);

    assert.equal(await revokeToken({ services, userId: bob.userId, id: issued.summary.id }), false);
    assert.equal((await api.call("GET", "/api/v1/projects", { token: issued.token })).status, 200);
    assert.equal(
      await revokeToken({ services, userId: alice.userId, id: issued.summary.id }),
      true,
    );
    assert.equal((await api.call("GET", "/api/v1/projects", { token: issued.token })).status, 401);
    assert.equal(
      await revokeToken({ services, userId: alice.userId, id: issued.summary.id }),
      false,
    );
    assert.deepEqual((await listTokens({ services, userId: alice.userId })).map((t) => t.name), [
      "Mobile app",
    ]);

    await assert.rejects(issueToken({ services, userId: alice.userId, name: " " }));
  } finally {
    await api.close();
  }
});
