import { jsonWithEtag } from "../http/etag.server.ts";
import { operations } from "../api/operations.ts";
import { problem } from "../api/problems.ts";
import { listGenerations } from "../api/projects.server.ts";
import { apiRoute, endpoint } from "../api/route.server.ts";

const history = endpoint(
  operations.listGenerations,
  async ({ request, services, principal, params, query }) => {
    const page = await listGenerations({
      services,
      userId: principal.userId,
      id: params.id,
      stage: query.stage,
      cursor: query.cursor,
      limit: query.limit,
      withOutput: query.include === "output",
    });
    if (!page) throw problem("not-found", "No project with this id.");
    return await jsonWithEtag(request, page, { cacheControl: "private, no-cache" });
  },
);

export const { loader, action } = apiRoute(history);
