import { operations } from "../api/operations.ts";
import { problem } from "../api/problems.ts";
import { apiRoute, endpoint } from "../api/route.server.ts";
import { sseResponse } from "../http/sse.server.ts";
import { followProject } from "../projects/use-cases.server.ts";

const events = endpoint(
  operations.projectEvents,
  async ({ request, services, principal, params, query, headers }) => {
    const lastEventId = headers["Last-Event-ID"] ?? query.lastEventId;
    const outcome = await followProject(services, {
      userId: principal.userId,
      id: params.id,
      lastEventId: lastEventId === undefined ? undefined : Number(lastEventId),
      signal: request.signal,
    });
    if (outcome.kind === "not_found") throw problem("not-found", "No project with this id.");
    if (outcome.kind === "ended") return new Response(null, { status: 204 });
    return sseResponse(outcome.stream);
  },
);

export const { loader, action } = apiRoute(events);
