import { jsonWithEtag } from "../http/etag.server.ts";
import { operations } from "../api/operations.ts";
import { problem } from "../api/problems.ts";
import { deleteProject, getOwnedProject, updateProject } from "../api/projects.server.ts";
import { apiRoute, endpoint, jsonResponse } from "../api/route.server.ts";

const notFound = () => problem("not-found", "No project with this id.");

const get = endpoint(operations.getProject, async ({ request, services, principal, params }) => {
  const project = await getOwnedProject({ services, userId: principal.userId, id: params.id });
  if (!project) throw notFound();
  return await jsonWithEtag(request, project, { cacheControl: "private, no-cache" });
});

const update = endpoint(operations.updateProject, async ({ services, principal, params, body }) => {
  const project = await updateProject({
    services,
    userId: principal.userId,
    id: params.id,
    ...body,
  });
  if (!project) throw notFound();
  return jsonResponse(project);
});

const remove = endpoint(operations.deleteProject, async ({ services, principal, params }) => {
  const deleted = await deleteProject({ services, userId: principal.userId, id: params.id });
  if (!deleted) throw notFound();
  return new Response(null, { status: 204 });
});

export const { loader, action } = apiRoute(get, update, remove);
