import { createProject } from "../projects/projects.server.ts";
import { jsonWithEtag } from "../http/etag.server.ts";
import { withIdempotency } from "../api/idempotency.server.ts";
import { operations } from "../api/operations.ts";
import { problem } from "../api/problems.ts";
import { outcomeProblem } from "../api/outcomes.ts";
import { listProjects, toProjectResource } from "../api/projects.server.ts";
import { apiRoute, endpoint, jsonResponse } from "../api/route.server.ts";

const list = endpoint(operations.listProjects, async ({ request, services, principal, query }) => {
  const page = await listProjects({ services, userId: principal.userId, ...query });
  if ("kind" in page) {
    throw problem("invalid-parameter", "The cursor is not one this API issued.", {
      fields: { cursor: ["Invalid cursor; start again without one."] },
    });
  }
  return await jsonWithEtag(request, page, { cacheControl: "private, no-cache" });
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
        switch (result.kind) {
          case "throttled":
            throw problem("rate-limited", result.message, {
              headers: { "Retry-After": String(result.retryAfterSeconds) },
            });
          case "limit":
            throw outcomeProblem(result);
          case "invalid":
            throw problem("validation", result.message, {
              fields: { directive: [result.message] },
            });
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
