import { serializedWithEtag } from "../http/etag.server.ts";
import { openApiJson } from "../api/openapi.server.ts";
import { operations } from "../api/operations.ts";
import { apiRoute, endpoint } from "../api/route.server.ts";

const openApi = endpoint(
  operations.openApi,
  async ({ request }) =>
    serializedWithEtag(request, await openApiJson(), { cacheControl: "public, max-age=300" }),
);

export const { loader, action } = apiRoute(openApi);
