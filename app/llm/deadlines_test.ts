import assert from "node:assert/strict";
import { startDeadline } from "./deadlines.server.ts";

Deno.test("no first token in time aborts the signal with a timeout", async () => {
  const deadline = startDeadline(new AbortController().signal, {
    provider: "p",
    timeouts: { firstTokenMs: 20, totalMs: 1_000 },
  });
  await assert.rejects(deadline.expired, (error: Error & { kind?: string }) => {
    assert.equal(error.kind, "timeout");
    return true;
  });
  assert.equal(deadline.signal.aborted, true);
  assert.equal(deadline.failure?.kind, "timeout");
  deadline.dispose();
});

Deno.test("a first token stops the first-token timer; the total timer still applies", async () => {
  const deadline = startDeadline(new AbortController().signal, {
    provider: "p",
    timeouts: { firstTokenMs: 20, totalMs: 60 },
  });
  deadline.firstToken();
  await new Promise((resolve) => setTimeout(resolve, 35));
  assert.equal(deadline.failure, undefined);
  await assert.rejects(deadline.expired);
  assert.match(deadline.failure!.message, /not finished within 60 ms/);
  deadline.dispose();
});

Deno.test("the caller's abort becomes an aborted failure", () => {
  const caller = new AbortController();
  const deadline = startDeadline(caller.signal, { provider: "p" });
  caller.abort();
  assert.equal(deadline.signal.aborted, true);
  assert.equal(deadline.failure?.kind, "aborted");
  assert.equal(deadline.failure?.retryable, false);
  deadline.dispose();
});
