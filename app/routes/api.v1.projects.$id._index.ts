import { jsonWithEtag } from "../http/etag.server.ts";
import { operations } from "../api/operations.ts";
import { outcomeProblem } from "../api/outcomes.ts";
import { getOwnedProject, updateProject } from "../api/projects.server.ts";
import { deleteProject } from "../projects/use-cases.server.ts";
import { apiRoute, endpoint, jsonResponse } from "../api/route.server.ts";

const get = endpoint(operations.getProject, async ({ request, services, principal, params }) => {
  const project = await getOwnedProject({ services, userId: principal.userId, id: params.id });
  if ("kind" in project) throw outcomeProblem(project);
  return await jsonWithEtag(request, project, { cacheControl: "private, no-cache" });
});

const update = endpoint(operations.updateProject, async ({ services, principal, params, body }) => {
  const project = await updateProject({
    services,
    userId: principal.userId,
    id: params.id,
    ...body,
  });
  if ("kind" in project) throw outcomeProblem(project);
  return jsonResponse(project);
});

const remove = endpoint(operations.deleteProject, async ({ services, principal, params }) => {
  const deleted = await deleteProject(services, { userId: principal.userId, id: params.id });
  if (deleted.kind !== "deleted") throw outcomeProblem(deleted);
  return new Response(null, { status: 204 });
});

export const { loader, action } = apiRoute(get, update, remove);
