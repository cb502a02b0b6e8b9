import type { z } from "zod";
import { HttpError, PROBLEM_BASE } from "../http/errors.ts";

/**
 * Every problem `type` API v1 answers with (RFC 9457), by slug; the full type is
 * `PROBLEM_BASE + slug`. Clients branch on these, so they never change meaning.
 */
export const PROBLEM_TYPES = {
  "malformed-json": { status: 400, title: "The body is not valid JSON" },
  "invalid-parameter": { status: 400, title: "A query, path or header parameter is invalid" },
  "unauthorized": { status: 401, title: "A bearer token is required" },
  "invalid-token": { status: 401, title: "The bearer token is unknown or revoked" },
  "invalid-credentials": { status: 401, title: "Email or password is incorrect" },
  "not-found": { status: 404, title: "No such resource" },
  "method-not-allowed": { status: 405, title: "The method is not allowed on this resource" },
  "email-taken": { status: 409, title: "An account with this email already exists" },
  "generation-running": { status: 409, title: "A generation is already running" },
  "idempotency-in-progress": { status: 409, title: "The first request with this key is running" },
  "payload-too-large": { status: 413, title: "The body is too large" },
  "unsupported-media-type": { status: 415, title: "The body must be JSON" },
  "validation": { status: 422, title: "The body does not match the schema" },
  "idempotency-key-reused": { status: 422, title: "The key was used with another body" },
  "rate-limited": { status: 429, title: "Too many requests" },
  "generation-limit": { status: 429, title: "Too many generations running" },
  "internal": { status: 500, title: "Internal server error" },
} as const satisfies Record<string, { status: number; title: string }>;

/** A stable problem type slug. */
export type ProblemType = keyof typeof PROBLEM_TYPES;

/** Field errors of a problem: a dotted path ("" for the whole value) to its messages. */
export type FieldErrors = Record<string, string[]>;

/** The full `type` URI of a problem slug. */
export function problemTypeUri(type: ProblemType): string {
  return PROBLEM_BASE + type;
}

/** An HttpError with one of our stable problem types. */
export function problem(
  type: ProblemType,
  detail: string,
  options: { headers?: Record<string, string>; fields?: FieldErrors } = {},
): HttpError {
  return new HttpError(PROBLEM_TYPES[type].status, detail, { type, ...options });
}

/** Field errors from a zod error: unknown keys are reported under their own names. */
export function fieldErrors(error: z.ZodError, prefix: string[] = []): FieldErrors {
  // A Map, not an object: field names like "constructor" or "__proto__" come from the client.
  const fields = new Map<string, string[]>();
  const add = (path: PropertyKey[], message: string) => {
    const key = [...prefix, ...path.map(String)].join(".");
    fields.set(key, [...(fields.get(key) ?? []), message]);
  };
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add([...issue.path, key], "Unknown field.");
    } else {
      add(issue.path, issue.message);
    }
  }
  return Object.fromEntries(fields);
}
