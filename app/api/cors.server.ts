/**
 * CORS for API v1: off unless `CORS_ORIGINS` lists origins. Tokens travel in the
 * Authorization header, never cookies, so credentials are not allowed.
 */

const ALLOWED_METHODS = "GET, POST, PATCH, DELETE";
const ALLOWED_HEADERS =
  "Authorization, Content-Type, Idempotency-Key, If-None-Match, Last-Event-ID";
const EXPOSED_HEADERS = [
  "ETag",
  "Location",
  "Retry-After",
  "RateLimit-Limit",
  "RateLimit-Remaining",
  "RateLimit-Reset",
  "Idempotent-Replayed",
  "WWW-Authenticate",
].join(", ");
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** The request's origin when it is one of the allowed origins, else null. */
export function allowedOrigin(request: Request, origins: readonly string[]): string | null {
  const origin = request.headers.get("Origin");
  return origin !== null && origins.includes(origin) ? origin : null;
}

/** Adds the CORS headers of an actual (non-preflight) API response. */
export function applyCors(headers: Headers, request: Request, origins: readonly string[]): void {
  if (origins.length === 0) return;
  headers.append("Vary", "Origin");
  const origin = allowedOrigin(request, origins);
  if (origin === null) return;
  headers.set("Access-Control-Allow-Origin", origin);
  headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
}

/** Whether a request is a CORS preflight. */
export function isPreflight(request: Request): boolean {
  return request.method === "OPTIONS" && request.headers.has("Access-Control-Request-Method");
}

/**
 * The answer to an `OPTIONS` request on an API path: 204, with the CORS grant only for an
 * allowed origin (a browser then refuses the real request of any other origin).
 */
export function preflightResponse(request: Request, origins: readonly string[]): Response {
  const headers = new Headers({ Allow: `${ALLOWED_METHODS}, HEAD, OPTIONS` });
  if (origins.length > 0) headers.set("Vary", "Origin");
  const origin = allowedOrigin(request, origins);
  if (origin !== null && isPreflight(request)) {
    headers.set("Access-Control-Allow-Origin", origin);
    headers.set("Access-Control-Allow-Methods", ALLOWED_METHODS);
    headers.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
    headers.set("Access-Control-Max-Age", String(PREFLIGHT_MAX_AGE_SECONDS));
  }
  return new Response(null, { status: 204, headers });
}
