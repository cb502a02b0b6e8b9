/**
 * Every problem `type` this app answers with (RFC 9457), by slug, with its status and title:
 * the one table both the pages' handler and API v1 title their problem+json from. The full
 * type is `PROBLEM_BASE + slug`; clients branch on it, so a slug never changes meaning.
 */
export const PROBLEMS = {
  "bad-request": { status: 400, title: "Bad request" },
  "malformed-json": { status: 400, title: "The body is not valid JSON" },
  "invalid-parameter": { status: 400, title: "A query, path or header parameter is invalid" },
  "unauthorized": { status: 401, title: "A bearer token is required" },
  "invalid-token": { status: 401, title: "The bearer token is unknown or revoked" },
  "invalid-credentials": { status: 401, title: "Email or password is incorrect" },
  "forbidden": { status: 403, title: "Forbidden" },
  "not-found": { status: 404, title: "No such resource" },
  "method-not-allowed": { status: 405, title: "The method is not allowed on this resource" },
  "conflict": { status: 409, title: "Conflict" },
  "email-taken": { status: 409, title: "An account with this email already exists" },
  "generation-running": { status: 409, title: "A generation is already running" },
  "idempotency-in-progress": { status: 409, title: "The first request with this key is running" },
  "payload-too-large": { status: 413, title: "The body is too large" },
  "unsupported-media-type": { status: 415, title: "The body must be JSON" },
  "unprocessable": { status: 422, title: "Unprocessable content" },
  "validation": { status: 422, title: "The body does not match the schema" },
  "idempotency-key-reused": { status: 422, title: "The key was used with another body" },
  "rate-limited": { status: 429, title: "Too many requests" },
  "generation-limit": { status: 429, title: "Too many generations running" },
  "internal": { status: 500, title: "Internal server error" },
  "unavailable": { status: 503, title: "Service unavailable" },
} as const satisfies Record<string, { status: number; title: string }>;

/** A problem type slug of the table. */
export type ProblemSlug = keyof typeof PROBLEMS;

/** The type an HttpError gets when it names none: the generic slug of its status. */
export const STATUS_PROBLEMS: Readonly<Record<number, ProblemSlug>> = {
  400: "bad-request",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  405: "method-not-allowed",
  409: "conflict",
  413: "payload-too-large",
  415: "unsupported-media-type",
  422: "unprocessable",
  429: "rate-limited",
  500: "internal",
  503: "unavailable",
};

/** Base URI of our problem types (RFC 9457 `type`). */
export const PROBLEM_BASE = "https://atlas9.dev/problems/";

/** The title of a problem type; a type outside the table is titled by its detail. */
export function problemTitle(type: string, fallback: string): string {
  return (PROBLEMS as Record<string, { title: string }>)[type]?.title ?? fallback;
}
