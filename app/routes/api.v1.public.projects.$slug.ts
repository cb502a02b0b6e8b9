import { jsonWithEtag } from "../http/etag.server.ts";
import { operations } from "../api/operations.ts";
import { problem } from "../api/problems.ts";
import { getPublicProject } from "../api/projects.server.ts";
import { apiRoute, endpoint } from "../api/route.server.ts";

import {
  cacheTagOf,
  projectScope,
  PUBLIC_CACHE_CONTROL,
} from "../projects/public/page-store.server.ts";

const publicProject = endpoint(
  operations.getPublicProject,
  async ({ request, services, params }) => {
    const project = await getPublicProject({ services, slug: params.slug });
    if (!project) throw problem("not-found", "No public project with this slug.");
    return await jsonWithEtag(request, project, {
      cacheControl: PUBLIC_CACHE_CONTROL,
      headers: { "Deno-Cache-Tag": cacheTagOf(projectScope(project.slug)) },
    });
  },
);

export const { loader, action } = apiRoute(publicProject);
