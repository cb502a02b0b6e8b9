/**
 * The one place API v1 maps the project use cases' refusals (projects/use-cases.server.ts)
 * to problems; the pages map the same outcomes in projects/view.server.ts, to the same
 * statuses.
 */
import type { GenerationRefusal, NotFound } from "../projects/use-cases.server.ts";
import { problem } from "./problems.ts";
import type { HttpError } from "../http/errors.ts";

/** Seconds a client is asked to wait before starting a generation again over the limit. */
export const GENERATION_LIMIT_RETRY_AFTER_S = 30;

/** A refused use case as the problem API v1 answers with. */
export function outcomeProblem(outcome: NotFound | GenerationRefusal): HttpError {
  switch (outcome.kind) {
    case "not_found":
      return problem("not-found", "No project with this id.");
    case "busy":
      return problem("generation-running", outcome.message);
    case "limit":
      return problem("generation-limit", outcome.message, {
        headers: { "Retry-After": String(GENERATION_LIMIT_RETRY_AFTER_S) },
      });
  }
}
