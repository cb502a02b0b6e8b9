import assert from "node:assert/strict";
import { idempotencyKey } from "./keys.ts";
import {
  claimIdempotency,
  completeIdempotency,
  fingerprintRequest,
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_MAX_BODY_BYTES,
  IDEMPOTENCY_TTL_MS,
  idempotencyKeySchema,
  releaseIdempotency,
} from "./idempotency.server.ts";

const T0 = Date.UTC(2025, 0, 1);
const BODY = JSON.stringify({
  directive: "a marketplace where local farmers sell vegetable boxes",
});
const RESPONSE = {
  status: 201,
  body: '{"id":"p1"}',
  headers: { "content-type": "application/json", location: "/api/v1/projects/p1" },
};

async function setup() {
  const kv = await Deno.openKv(":memory:");
  const base = {
    kv,
    userId: "user-1",
    key: "key-123",
    fingerprint: await fingerprintRequest(BODY),
    now: T0,
  };
  return { kv, base };
}

Deno.test("100 concurrent claims of one key: exactly one new, the rest in progress", async () => {
  const { kv, base } = await setup();
  const claims = await Promise.all(Array.from({ length: 100 }, () => claimIdempotency(base)));
  const kinds = claims.map((claim) => claim.kind);
  assert.equal(kinds.filter((kind) => kind === "new").length, 1);
  assert.equal(kinds.filter((kind) => kind === "in_progress").length, 99);
  kv.close();
});

Deno.test("a completed request is replayed with its status, body and headers", async () => {
  const { kv, base } = await setup();
  const claim = await claimIdempotency(base);
  assert.equal(claim.kind, "new");
  if (claim.kind !== "new") return;
  assert.equal(
    await completeIdempotency({ ...base, claimId: claim.claimId, response: RESPONSE }),
    true,
  );
  assert.deepEqual(await claimIdempotency({ ...base, now: T0 + 60_000 }), {
    kind: "replay",
    ...RESPONSE,
  });
  kv.close();
});

Deno.test("reusing a key with a different body is a mismatch, while running and after", async () => {
  const { kv, base } = await setup();
  const claim = await claimIdempotency(base);
  const other = {
    ...base,
    fingerprint: await fingerprintRequest('{"directive":"something else"}'),
  };
  assert.deepEqual(await claimIdempotency(other), { kind: "mismatch" });
  if (claim.kind === "new") {
    await completeIdempotency({ ...base, claimId: claim.claimId, response: RESPONSE });
  }
  assert.deepEqual(await claimIdempotency(other), { kind: "mismatch" });
  kv.close();
});

Deno.test("keys are per user", async () => {
  const { kv, base } = await setup();
  assert.equal((await claimIdempotency(base)).kind, "new");
  assert.equal((await claimIdempotency({ ...base, userId: "user-2" })).kind, "new");
  kv.close();
});

Deno.test("a released claim can be taken again; a stale release cannot free someone else's claim", async () => {
  const { kv, base } = await setup();
  const first = await claimIdempotency(base);
  assert.equal(first.kind, "new");
  if (first.kind !== "new") return;
  await releaseIdempotency({ ...base, claimId: first.claimId });
  const second = await claimIdempotency(base);
  assert.equal(second.kind, "new");
  await releaseIdempotency({ ...base, claimId: first.claimId });
  assert.equal((await claimIdempotency(base)).kind, "in_progress");
  kv.close();
});

Deno.test("a claim abandoned by a crash is taken over after its lease", async () => {
  const { kv, base } = await setup();
  const crashed = await claimIdempotency(base);
  assert.equal(
    (await claimIdempotency({ ...base, now: T0 + IDEMPOTENCY_LEASE_MS - 1 })).kind,
    "in_progress",
  );
  const takeover = await claimIdempotency({ ...base, now: T0 + IDEMPOTENCY_LEASE_MS });
  assert.equal(takeover.kind, "new");
  if (crashed.kind !== "new" || takeover.kind !== "new") return;
  assert.equal(
    await completeIdempotency({ ...base, claimId: crashed.claimId, response: RESPONSE }),
    false,
  );
  assert.equal(
    await completeIdempotency({ ...base, claimId: takeover.claimId, response: RESPONSE }),
    true,
  );
  kv.close();
});

Deno.test("a stored response expires after 24 hours, judged from the value", async () => {
  const { kv, base } = await setup();
  const claim = await claimIdempotency(base);
  if (claim.kind === "new") {
    await completeIdempotency({ ...base, claimId: claim.claimId, response: RESPONSE });
  }
  assert.equal(
    (await claimIdempotency({ ...base, now: T0 + IDEMPOTENCY_TTL_MS - 1 })).kind,
    "replay",
  );
  assert.notEqual((await kv.get(idempotencyKey("user-1", "key-123"))).versionstamp, null);
  assert.equal((await claimIdempotency({ ...base, now: T0 + IDEMPOTENCY_TTL_MS })).kind, "new");
  kv.close();
});

Deno.test("an over-large response is not stored and frees the key", async () => {
  const { kv, base } = await setup();
  const claim = await claimIdempotency(base);
  if (claim.kind !== "new") throw new Error("expected new");
  const huge = { ...RESPONSE, body: "x".repeat(IDEMPOTENCY_MAX_BODY_BYTES + 1) };
  assert.equal(
    await completeIdempotency({ ...base, claimId: claim.claimId, response: huge }),
    false,
  );
  assert.equal((await claimIdempotency(base)).kind, "new");
  kv.close();
});

Deno.test("fingerprintRequest is a sha-256 hex digest of the body", async () => {
  assert.equal(
    await fingerprintRequest("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(
    await fingerprintRequest(new TextEncoder().encode("abc")),
    await fingerprintRequest("abc"),
  );
});

const keyCases: Array<[string, boolean]> = [
  ["550e8400-e29b-41d4-a716-446655440000", true],
  ["k", true],
  ["", false],
  ["has space", false],
  ["x".repeat(256), false],
  ["ünïcode", false],
];

for (const [key, ok] of keyCases) {
  Deno.test(`idempotencyKeySchema ${ok ? "accepts" : "refuses"} ${JSON.stringify(key.slice(0, 20))}`, () => {
    assert.equal(idempotencyKeySchema.safeParse(key).success, ok);
  });
}
