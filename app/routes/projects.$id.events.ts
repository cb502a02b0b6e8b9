import type { LoaderFunctionArgs } from "@remix-run/server-runtime";
import { getUser } from "../http/auth.server.ts";
import { parseLastEventId, sseResponse } from "../http/sse.server.ts";
import { followProject } from "../projects/use-cases.server.ts";

/** The browser's live stream of a project's generation events (session cookie). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  if (!user) return new Response("Log in to follow this generation.", { status: 401 });
  const outcome = await followProject(context.services, {
    userId: user.id,
    id: params.id!,
    lastEventId: parseLastEventId(request),
    signal: request.signal,
  });
  if (outcome.kind === "not_found") return new Response("Not found", { status: 404 });
  // The generation ended and the client has every event: 204 stops EventSource reconnecting.
  if (outcome.kind === "ended") return new Response(null, { status: 204 });
  return sseResponse(outcome.stream);
}
