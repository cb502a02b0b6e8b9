import { z } from "zod";
import { idempotencyKey } from "./keys.ts";
import { readEntry } from "./values.server.ts";

/** How long a completed response is replayed for its key. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** How long a claim may stay in progress before another request may take it over (crash recovery). */
export const IDEMPOTENCY_LEASE_MS = 60 * 1000;

/** Largest response body kept for replay; larger ones are not stored. */
export const IDEMPOTENCY_MAX_BODY_BYTES = 48 * 1024;

/** A valid `Idempotency-Key` header: 1–255 visible ASCII characters. */
export const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,255}$/, {
  error: "Idempotency-Key must be 1-255 visible ASCII characters",
});

const pendingSchema = z.object({
  state: z.literal("pending"),
  claimId: z.string(),
  fingerprint: z.string(),
  leaseUntil: z.number(),
});

const doneSchema = z.object({
  state: z.literal("done"),
  fingerprint: z.string(),
  expiresAt: z.number(),
  status: z.number().int(),
  body: z.string(),
  headers: z.record(z.string(), z.string()),
});

const recordSchema = z.discriminatedUnion("state", [pendingSchema, doneSchema]);

/** The stored response of a completed request. */
export interface StoredResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** What to do with a request carrying an idempotency key. */
export type IdempotencyClaim =
  /** Do the work, then `completeIdempotency` (or `releaseIdempotency` on failure). */
  | { kind: "new"; claimId: string }
  /** Answer with the stored response. */
  | ({ kind: "replay" } & StoredResponse)
  /** The key was used with a different body: refuse (422). */
  | { kind: "mismatch" }
  /** The first request with this key is still running: refuse (409), the client retries. */
  | { kind: "in_progress" };

/** Identifies one request with an idempotency key. */
export interface IdempotencyRequest {
  kv: Deno.Kv;
  userId: string;
  key: string;
  /** `fingerprintRequest` of the request body. */
  fingerprint: string;
  now?: number;
}

// Each lost race means another request changed the record; after a few it is settled.
const MAX_ATTEMPTS = 5;

/** SHA-256 hex of a request body, to tell a retry from a different request reusing a key. */
export async function fingerprintRequest(body: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)).toHex();
}

/** Claims a key for one request; concurrent requests with the same key get at most one "new". */
export async function claimIdempotency(request: IdempotencyRequest): Promise<IdempotencyClaim> {
  const { kv, fingerprint } = request;
  const key = idempotencyKey(request.userId, request.key);
  const now = request.now ?? Date.now();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const entry = await readEntry(kv, key, recordSchema);
    const record = entry.value;
    const live = record !== null &&
      (record.state === "pending" ? record.leaseUntil > now : record.expiresAt > now);
    if (live) {
      if (record.fingerprint !== fingerprint) return { kind: "mismatch" };
      if (record.state === "pending") return { kind: "in_progress" };
      return { kind: "replay", status: record.status, body: record.body, headers: record.headers };
    }
    const claimId = crypto.randomUUID();
    const claimed = await kv.atomic()
      // versionstamp null when absent: only one of many concurrent first requests can win.
      .check({ key, versionstamp: entry.versionstamp })
      .set(
        key,
        { state: "pending", claimId, fingerprint, leaseUntil: now + IDEMPOTENCY_LEASE_MS },
        {
          expireIn: IDEMPOTENCY_TTL_MS,
        },
      )
      .commit();
    if (claimed.ok) return { kind: "new", claimId };
  }
  return { kind: "in_progress" };
}

/** Stores the response of a claimed request for replay; false if the claim was lost or the body too big. */
export async function completeIdempotency(
  request: IdempotencyRequest & { claimId: string; response: StoredResponse },
): Promise<boolean> {
  const { kv, claimId, response } = request;
  if (new TextEncoder().encode(response.body).length > IDEMPOTENCY_MAX_BODY_BYTES) {
    await releaseIdempotency(request);
    return false;
  }
  const key = idempotencyKey(request.userId, request.key);
  const now = request.now ?? Date.now();
  const entry = await readEntry(kv, key, recordSchema);
  if (entry.value?.state !== "pending" || entry.value.claimId !== claimId) return false;
  const done = {
    state: "done",
    fingerprint: entry.value.fingerprint,
    expiresAt: now + IDEMPOTENCY_TTL_MS,
    status: response.status,
    body: response.body,
    headers: response.headers,
  } satisfies z.infer<typeof doneSchema>;
  const stored = await kv.atomic()
    .check({ key, versionstamp: entry.versionstamp })
    .set(key, done, { expireIn: IDEMPOTENCY_TTL_MS })
    .commit();
  return stored.ok;
}

/** Gives up a claim after the work failed, so a retry with the same key can start again. */
export async function releaseIdempotency(
  request: Omit<IdempotencyRequest, "fingerprint" | "now"> & { claimId: string },
): Promise<void> {
  const { kv, claimId } = request;
  const key = idempotencyKey(request.userId, request.key);
  const entry = await readEntry(kv, key, recordSchema);
  // Only our own claim: after a lease takeover the record belongs to another request.
  if (entry.value?.state !== "pending" || entry.value.claimId !== claimId) return;
  await kv.atomic().check({ key, versionstamp: entry.versionstamp }).delete(key).commit();
}
