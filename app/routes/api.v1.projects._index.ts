import { isDomainError } from "../http/errors.ts";
import { createProject } from "../projects/projects.server.ts";
import { jsonWithEtag } from "../http/etag.server.ts";
import { withIdempotency } from "../api/idempotency.server.ts";
import { operations } from "../api/operations.ts";
import { problem } from "../api/problems.ts";
import { listProjects, toProjectResource } from "../api/projects.server.ts";
import { apiRoute, endpoint, jsonResponse } from "../api/route.server.ts";

const list = endpoint(operations.listProjects, async ({ request, services, principal, query }) => {
  try {
    const page = await listProjects({ services, userId: principal.userId, ...query });
    return await jsonWithEtag(request, page, { cacheControl: "private, no-cache" });
  } catch (error) {
    if (!isDomainError(error, "InvalidCursorError")) throw error;
    throw problem("invalid-parameter", "The cursor is not one this API issued.", {
      fields: { cursor: ["Invalid cursor; start again without one."] },
    });
  }
});

const create = endpoint(
  operations.createProject,
  ({ services, principal, headers, body }) =>
    withIdempotency(
      {
        kv: services.kv,
        userId: principal.userId,
        key: headers["Idempotency-Key"],
        request: { operation: "createProject", body },
      },
      async () => {
        const result = await createProject({ userId: principal.userId, ...body }, services);
        if (result.kind === "invalid") {
          if (result.code === "project_limit") {
            throw problem("rate-limited", result.message, {
              headers: { "Retry-After": String(result.retryAfterSeconds ?? 60) },
            });
          }
          if (result.code === "generation_limit") {
            throw problem("generation-limit", result.message, { headers: { "Retry-After": "30" } });
          }
          throw problem("validation", result.message, { fields: { directive: [result.message] } });
        }
        const resource = toProjectResource(result.project, {});
        return jsonResponse(resource, {
          status: 201,
          headers: { Location: `/api/v1/projects/${resource.id}` },
        });
      },
    ),
);

export const { loader, action } = apiRoute(list, create);
