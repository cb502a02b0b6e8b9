import { operations } from "../api/operations.ts";
import { problem } from "../api/problems.ts";
import { apiRoute, endpoint } from "../api/route.server.ts";
import { sseResponse } from "../http/sse.server.ts";

const events = endpoint(
  operations.projectEvents,
  async ({ request, services, principal, params, query, headers }) => {
    const project = await services.repos.projects.getForUser({
      id: params.id,
      userId: principal.userId,
    });
    if (!project) throw problem("not-found", "No project with this id.");
    const lastEventId = headers["Last-Event-ID"] ?? query.lastEventId;
    const after = lastEventId === undefined ? undefined : Number(lastEventId);
    if (await services.pipeline.streamDone({ projectId: project.id, lastEventId: after })) {
      return new Response(null, { status: 204 });
    }
    const stream = await services.pipeline.eventStream({
      projectId: project.id,
      lastEventId: after,
      signal: request.signal,
    });
    return sseResponse(stream);
  },
);

export const { loader, action } = apiRoute(events);
