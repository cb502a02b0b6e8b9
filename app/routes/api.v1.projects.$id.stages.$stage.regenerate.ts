import { isDomainError } from "../http/errors.ts";
import { operations } from "../api/operations.ts";
import { problem } from "../api/problems.ts";
import { regenerateStage } from "../api/projects.server.ts";
import { apiRoute, endpoint, jsonResponse } from "../api/route.server.ts";

const regenerate = endpoint(operations.regenerateStage, async ({ services, principal, params }) => {
  try {
    const started = await regenerateStage({ services, userId: principal.userId, ...params });
    if (!started) throw problem("not-found", "No project with this id.");
    return jsonResponse(started, { status: 202, headers: { Location: started.events } });
  } catch (error) {
    if (isDomainError(error, "GenerationBusyError")) {
      throw problem("generation-running", (error as Error).message);
    }
    if (isDomainError(error, "GenerationLimitError")) {
      throw problem("generation-limit", (error as Error).message, {
        headers: { "Retry-After": "30" },
      });
    }
    throw error;
  }
});

export const { loader, action } = apiRoute(regenerate);
