/**
 * Hostile input, issue 13 item 10: slow bodies. A request body that has not fully arrived by
 * the read deadline is answered 408 and its stream cancelled, so a slowloris body holds no
 * handler. (Slow headers are the reverse proxy's job: Deno.serve has no header-read timeout;
 * see docs/decisions/013-hostile-input.md.)
 */
import assert from "node:assert/strict";
import type { ServerBuild } from "@remix-run/server-runtime";
import { BODY_DEADLINE_MS, createHandler, limitBody } from "../../app/server/handler.server.ts";
import { HttpError } from "../../app/http/errors.ts";
import { startTestApp } from "../support/app.ts";
import { report } from "../support/reliability.ts";

const ROOT = new URL("../../", import.meta.url);

/** A body that sends `first` and then stalls until cancelled; `cancelled` settles then. */
function stalledBody(first: string) {
  let markCancelled!: () => void;
  const cancelled = new Promise<void>((resolve) => (markCancelled = resolve));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(first));
    },
    cancel() {
      markCancelled();
    },
  });
  return { body, cancelled };
}

Deno.test("slow bodies: a body still arriving at the deadline is refused (408) and cancelled", async () => {
  const { body, cancelled } = stalledBody("directive=a%20slow");
  const request = new Request("http://atlas9.test/projects", { method: "POST", body });
  const error = await limitBody(request, 64 * 1024, { deadlineMs: 50 }).then(
    () => null,
    (e) => e,
  );
  assert.ok(error instanceof HttpError);
  assert.equal(error.status, 408);
  await cancelled; // the stream was released
  assert.ok(BODY_DEADLINE_MS <= 30_000, "the production deadline is bounded");
});

Deno.test("slow bodies: the real handler answers 408 to a stalled form and an API body", async () => {
  const app = await startTestApp();
  try {
    const build = await import(new URL("build/index.js", ROOT).href) as unknown as ServerBuild;
    const handler = createHandler({
      build,
      services: app.services,
      publicDir: new URL("public", ROOT).pathname,
      bodyDeadlineMs: 100,
    });
    const statuses: number[] = [];
    for (
      const [path, type] of [
        ["/login", "application/x-www-form-urlencoded"],
        ["/api/v1/users", "application/json"],
      ]
    ) {
      const { body, cancelled } = stalledBody(type.includes("json") ? '{"email":' : "email=");
      const res = await handler(
        new Request(`http://atlas9.test${path}`, {
          method: "POST",
          headers: { "Content-Type": type, Host: "atlas9.test" },
          body,
        }),
      );
      await res.body?.cancel();
      statuses.push(res.status);
      assert.equal(res.status, 408, path);
      await cancelled;
    }
    // A body that arrives in time is read as before.
    const ok = await handler(
      new Request("http://atlas9.test/login", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Host: "atlas9.test" },
        body: "email=nobody%40example.com&password=wrong-password",
      }),
    );
    await ok.body?.cancel();
    assert.equal(ok.status, 400);
    report("slow bodies: stalled form and API body", statuses.join(", "));
  } finally {
    await app.close();
  }
});
