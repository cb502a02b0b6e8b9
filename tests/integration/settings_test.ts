import assert from "node:assert/strict";
import { Browser, startTestApp } from "../support/app.ts";

Deno.test("settings: create an API token shown once, use it, revoke it", async () => {
  const app = await startTestApp();
  try {
    const browser = new Browser(app);
    await (await browser.post("/signup", {
      email: "tokens@example.com",
      password: "correct horse battery staple",
    })).body?.cancel();

    const empty = await browser.post("/settings", { intent: "create", name: "   " });
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /Give the token a name/);

    const created = await browser.post("/settings", { intent: "create", name: "My phone" });
    assert.equal(created.status, 200);
    const html = await created.text();
    const token = /(a9_[A-Za-z0-9_-]{20,})/.exec(html)?.[1];
    assert.ok(token, "the new token is shown");

    const again = await (await browser.request("/settings")).text();
    assert.ok(!again.includes(token!), "the token is never shown again");
    assert.match(again, /My phone/);
    assert.ok(again.includes(token!.slice(0, 9)), "the visible prefix identifies it");

    const api = await app.fetch("/api/v1/projects", {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(api.status, 200);
    await api.body?.cancel();

    const id = /name="id" value="([0-9A-Z]{26})"/.exec(again)?.[1];
    assert.ok(id);
    const revoked = await browser.post("/settings", { intent: "revoke", id: id! });
    assert.equal(revoked.status, 200);
    assert.match(await revoked.text(), /Token revoked/);
    const refused = await app.fetch("/api/v1/projects", {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(refused.status, 401);
    await refused.body?.cancel();

    const stranger = new Browser(app);
    await (await stranger.post("/signup", {
      email: "stranger@example.com",
      password: "correct horse battery staple",
    })).body?.cancel();
    const steal = await stranger.post("/settings", { intent: "revoke", id: id! });
    assert.equal(steal.status, 404);
    await steal.body?.cancel();
  } finally {
    await app.close();
  }
});
