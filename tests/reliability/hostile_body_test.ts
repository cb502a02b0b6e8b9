/**
 * Hostile input: oversized bodies on every route that accepts one are refused with 413 before
 * anything parses them — a declared length over the limit reads no byte, a chunked body stops
 * being read just past the limit — and nothing is written.
 */
import assert from "node:assert/strict";
import { startTestApp } from "../support/app.ts";
import { MAX_BODY_BYTES } from "../../app/server/handler.server.ts";
import { MAX_BEACON_BYTES } from "../../app/observability/rum.server.ts";
import {
  createProject,
  fillPath,
  report,
  routeTable,
  signedIn,
  snapshotDatabase,
} from "../support/reliability.ts";

const CHUNK = 16 * 1024;

/** A body of `total` bytes that counts how many bytes the server pulled from it. */
function countedBody(total: number): { stream: ReadableStream<Uint8Array>; pulled(): number } {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(CHUNK, total - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  }, { highWaterMark: 0 });
  return { stream, pulled: () => sent };
}

Deno.test({
  name: "oversized bodies: 413 on every route with an action, before parsing, nothing written",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const app = await startTestApp();
    try {
      const owner = await signedIn(app, "bodies@example.com");
      const id = await createProject(owner);
      await app.services.pipeline.idle();
      const slug = (await app.services.repos.projects.getById(id))!.slug;
      const cookie = `__session=${owner.cookie()}`;
      const routes = (await routeTable()).filter((r) => r.action);
      assert.ok(routes.length >= 10, `routes with an action: ${routes.length}`);
      const before = await snapshotDatabase(app);
      let refused = 0;
      for (const route of routes) {
        const path = fillPath(route.path, { id, slug, stage: "brand", "*": "anything" });
        const api = path.startsWith("/api/");
        const send = (body: ReadableStream<Uint8Array> | Uint8Array, length?: number) =>
          app.fetch(path, {
            method: "POST",
            headers: {
              "Content-Type": api ? "application/json" : "application/x-www-form-urlencoded",
              Origin: app.origin,
              Cookie: cookie,
              ...(length !== undefined ? { "Content-Length": String(length) } : {}),
            },
            body,
            duplex: "half",
            redirect: "manual",
          } as RequestInit);

        const declared = countedBody(MAX_BODY_BYTES + 1);
        const res1 = await send(declared.stream, MAX_BODY_BYTES + 1);
        assert.equal(res1.status, 413, `${path}: declared length over the limit`);
        assert.equal(declared.pulled(), 0, `${path}: no byte read when the length says too much`);
        if (api) {
          assert.equal(res1.headers.get("content-type"), "application/problem+json");
          assert.match((await res1.json()).type, /payload-too-large$/);
        } else {
          await res1.body?.cancel();
        }

        const chunked = countedBody(1024 * 1024);
        const res2 = await send(chunked.stream);
        assert.equal(res2.status, 413, `${path}: chunked body over the limit`);
        await res2.body?.cancel();
        assert.ok(
          chunked.pulled() <= MAX_BODY_BYTES + CHUNK,
          `${path}: read ${chunked.pulled()} bytes of a 1 MiB body`,
        );

        // Beacons have their own, smaller limit (2 KiB); everything else reads 64 KiB.
        const limit = path === "/api/analytics" ? MAX_BEACON_BYTES : MAX_BODY_BYTES;
        const atLimit = await send(new Uint8Array(limit).fill(0x61), limit);
        assert.notEqual(atLimit.status, 413, `${path}: a body of exactly the limit is read`);
        assert.ok(atLimit.status < 500, `${path}: ${atLimit.status} at the limit`);
        await atLimit.body?.cancel();
        refused += 2;
      }
      assert.deepEqual(await snapshotDatabase(app), before, "nothing was written");
      report("oversized bodies: routes checked", routes.length);
      report("oversized bodies: refusals with 413", refused);
    } finally {
      await app.services.pipeline.idle();
      await app.close();
    }
  },
});
