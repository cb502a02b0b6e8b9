/**
 * Issue 14 item 10: once a generation has ended and the client has every event, a reconnect
 * answers 204 (EventSource stops) instead of 200 + `retry:` (which reconnects forever).
 */
import assert from "node:assert/strict";
import { readEvents, signUp, startApi } from "../support/api.ts";
import { Browser } from "../support/app.ts";

Deno.test("event streams answer 204 to a reconnect after the end, on the API and the web", async () => {
  const api = await startApi();
  try {
    const { token, email } = await signUp(api);
    const project = await api.call("POST", "/api/v1/projects", {
      token,
      body: { directive: "a lending library for garden tools" },
    });
    const path = `/api/v1/projects/${project.json.id}/events`;
    const all = await readEvents(await api.raw("GET", path, { token }));
    assert.equal(all.at(-1)!.event, "generation.completed");
    await api.app.services.pipeline.idle();
    const last = String(all.at(-1)!.id);

    // The client has everything: 204, no body.
    const done = await api.raw("GET", path, { token, headers: { "Last-Event-ID": last } });
    assert.equal(done.status, 204);
    assert.equal(await done.text(), "");
    // A client that missed the last event still gets it.
    const behind = await api.raw("GET", path, {
      token,
      headers: { "Last-Event-ID": String(all.at(-2)!.id) },
    });
    assert.equal(behind.status, 200);
    assert.deepEqual((await readEvents(behind)).map((e) => e.event), ["generation.completed"]);

    // The browser's stream of the same project (session cookie).
    const browser = new Browser(api.app);
    const login = await browser.post("/login", { email, password: "correct horse battery staple" });
    assert.equal(login.status, 302);
    await login.body?.cancel();
    const webPath = `/projects/${project.json.id}/events`;
    const web = await browser.request(webPath, { headers: { "Last-Event-ID": last } });
    assert.equal(web.status, 204);
    assert.equal(await web.text(), "");
    const webBehind = await browser.request(webPath, {
      headers: { "Last-Event-ID": String(all.at(-2)!.id) },
    });
    assert.equal(webBehind.status, 200);
    assert.match(await webBehind.text(), /event: generation\.completed/);
  } finally {
    await api.close();
  }
});
