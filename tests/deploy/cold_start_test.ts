/**
 * Issue 14 item 6: on Deno Deploy the instance does not migrate at start, so a database that
 * is down at start gives 503s (the designed answer) instead of a crashed start.
 */
import assert from "node:assert/strict";
import type { ServerBuild } from "@remix-run/server-runtime";
import { parseEnv } from "../../app/config/env.server.ts";
import { createHandler } from "../../app/server/handler.server.ts";
import { createServices } from "../../app/server/services.server.ts";

const ROOT = new URL("../../", import.meta.url);

Deno.test("on Deploy, start does not wait on the database: down at start answers 503", async () => {
  const dataDir = await Deno.makeTempDir();
  // A port nobody listens on: the database is down.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const env = parseEnv({
    DENO_DEPLOYMENT_ID: "test-deployment",
    DATABASE_URL: `postgres://atlas9:pw@127.0.0.1:${port}/atlas9`,
    DATA_DIR: dataDir,
    SESSION_SECRET: "test-secret-test-secret-test-secret-0123",
  });
  const kv = await Deno.openKv(":memory:");
  const services = await createServices({ env, kv });
  try {
    const build = await import(new URL("build/index.js", ROOT).href) as unknown as ServerBuild;
    const handler = createHandler({ build, services, publicDir: new URL("public", ROOT).pathname });
    const page = await handler(
      new Request("http://atlas9.test/p/some-page", { headers: { host: "atlas9.test" } }),
      { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 1 } },
    );
    await page.body?.cancel();
    assert.equal(page.status, 503, "a page that needs the database answers 503");
    assert.ok(page.headers.get("Retry-After"));
  } finally {
    await services.close();
    kv.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
