import { jsonWithEtag } from "../api/etag.server.ts";
import { operations } from "../api/operations.ts";
import { problem } from "../api/problems.ts";
import { getPublicProject } from "../api/projects.server.ts";
import { apiRoute, endpoint } from "../api/route.server.ts";

/** DESIGN §8: shared caches keep it 5 minutes, then serve it stale while revalidating. */
const PUBLIC_CACHE = "public, s-maxage=300, stale-while-revalidate=3600";

const publicProject = endpoint(
  operations.getPublicProject,
  async ({ request, services, params }) => {
    const project = await getPublicProject({ services, slug: params.slug });
    if (!project) throw problem("not-found", "No public project with this slug.");
    return await jsonWithEtag(request, project, { cacheControl: PUBLIC_CACHE });
  },
);

export const { loader, action } = apiRoute(publicProject);
