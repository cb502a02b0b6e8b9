import type { z } from "zod";
import { HttpError, PROBLEM_BASE } from "../http/errors.ts";
import { PROBLEMS } from "../http/problems.ts";
import type { ProblemSlug } from "../http/problems.ts";

/** The problem types API v1 answers with (its OpenAPI document lists exactly these). */
const API_PROBLEMS = [
  "malformed-json",
  "invalid-parameter",
  "unauthorized",
  "invalid-token",
  "invalid-credentials",
  "not-found",
  "method-not-allowed",
  "email-taken",
  "generation-running",
  "idempotency-in-progress",
  "payload-too-large",
  "unsupported-media-type",
  "validation",
  "idempotency-key-reused",
  "rate-limited",
  "generation-limit",
  "internal",
] as const satisfies readonly ProblemSlug[];

/**
 * Every problem `type` API v1 answers with, by slug, with its status and title from the one
 * table (http/problems.ts). Clients branch on these, so they never change meaning.
 */
export const PROBLEM_TYPES = Object.fromEntries(
  API_PROBLEMS.map((slug) => [slug, PROBLEMS[slug]]),
) as { [S in (typeof API_PROBLEMS)[number]]: (typeof PROBLEMS)[S] };

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
