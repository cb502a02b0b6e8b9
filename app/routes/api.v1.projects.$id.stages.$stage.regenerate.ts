import { operations } from "../api/operations.ts";
import { outcomeProblem } from "../api/outcomes.ts";
import { regenerateStage } from "../api/projects.server.ts";
import { apiRoute, endpoint, jsonResponse } from "../api/route.server.ts";

const regenerate = endpoint(operations.regenerateStage, async ({ services, principal, params }) => {
  const started = await regenerateStage({ services, userId: principal.userId, ...params });
  if ("kind" in started) throw outcomeProblem(started);
  return jsonResponse(started, { status: 202, headers: { Location: started.events } });
});

export const { loader, action } = apiRoute(regenerate);
