import type { LoaderFunctionArgs } from "@remix-run/server-runtime";
import { getUser } from "../http/auth.server.ts";
import { parseLastEventId, sseResponse } from "../http/sse.server.ts";

/** The browser's live stream of a project's generation events (session cookie). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  if (!user) return new Response("Log in to follow this generation.", { status: 401 });
  const project = await context.services.repos.projects.getForUser({
    id: params.id!,
    userId: user.id,
  });
  if (!project) return new Response("Not found", { status: 404 });
  const lastEventId = parseLastEventId(request);
  // The generation ended and the client has every event: 204 stops EventSource reconnecting.
  if (await context.services.pipeline.streamDone({ projectId: project.id, lastEventId })) {
    return new Response(null, { status: 204 });
  }
  const stream = await context.services.pipeline.eventStream({
    projectId: project.id,
    lastEventId,
    signal: request.signal,
  });
  return sseResponse(stream);
}
