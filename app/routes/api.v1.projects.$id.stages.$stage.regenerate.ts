import { GenerationBusyError, GenerationLimitError } from "../generation/pipeline.server.ts";
import { operations } from "../api/operations.ts";
import { isErrorOf, problem } from "../api/problems.ts";
import { regenerateStage } from "../api/projects.server.ts";
import { apiRoute, endpoint, jsonResponse } from "../api/route.server.ts";

const regenerate = endpoint(operations.regenerateStage, async ({ services, principal, params }) => {
  try {
    const started = await regenerateStage({ services, userId: principal.userId, ...params });
    if (!started) throw problem("not-found", "No project with this id.");
    return jsonResponse(started, { status: 202, headers: { Location: started.events } });
  } catch (error) {
    if (isErrorOf(error, GenerationBusyError)) throw problem("generation-running", error.message);
    if (isErrorOf(error, GenerationLimitError)) {
      throw problem("generation-limit", error.message, { headers: { "Retry-After": "30" } });
    }
    throw error;
  }
});

export const { loader, action } = apiRoute(regenerate);
