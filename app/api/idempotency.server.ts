import {
  claimIdempotency,
  completeIdempotency,
  fingerprintRequest,
  releaseIdempotency,
} from "../kv/idempotency.server.ts";
import { problem } from "./problems.ts";

/** Response headers kept with a stored response and replayed. */
const REPLAYED_HEADERS = ["Content-Type", "Location"];

/**
 * Runs `produce` once per (user, Idempotency-Key): a retry with the same request gets the
 * first successful response again (marked `Idempotent-Replayed: true`), a reuse of the key for
 * another request is a 422, and a retry while the first still runs is a 409. Failures are not
 * kept, so the client can retry them with the same key.
 */
export async function withIdempotency(
  input: { kv: Deno.Kv; userId: string; key: string | undefined; request: unknown },
  produce: () => Promise<Response>,
): Promise<Response> {
  if (input.key === undefined) return await produce();
  const request = {
    kv: input.kv,
    userId: input.userId,
    key: input.key,
    fingerprint: await fingerprintRequest(JSON.stringify(input.request)),
  };
  const claim = await claimIdempotency(request);
  if (claim.kind === "mismatch") {
    throw problem(
      "idempotency-key-reused",
      "This Idempotency-Key was already used with a different request. Use a new key.",
    );
  }
  if (claim.kind === "in_progress") {
    throw problem("idempotency-in-progress", "The first request with this key is still running.", {
      headers: { "Retry-After": "1" },
    });
  }
  if (claim.kind === "replay") {
    const headers = new Headers(claim.headers);
    headers.set("Idempotent-Replayed", "true");
    return new Response(claim.body, { status: claim.status, headers });
  }
  let response: Response;
  try {
    response = await produce();
  } catch (error) {
    await releaseIdempotency({ ...request, claimId: claim.claimId });
    throw error;
  }
  if (!response.ok) {
    await releaseIdempotency({ ...request, claimId: claim.claimId });
    return response;
  }
  const body = await response.text();
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  await completeIdempotency({
    ...request,
    claimId: claim.claimId,
    response: { status: response.status, body, headers },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}
