import { createApi } from "./api.ts";
import type { Pool } from "./db.ts";
import { databaseProblem, HttpError, problem } from "./http.ts";
import { idSchema } from "./schemas.ts";
import type { Model } from "./types.ts";

const WEB = new URL("../web/", import.meta.url);
const ASSETS: Record<string, [file: string, type: string]> = {
  "/app.js": ["app.js", "text/javascript; charset=utf-8"],
  "/styles/tokens.css": ["styles/tokens.css", "text/css; charset=utf-8"],
  "/styles/base.css": ["styles/base.css", "text/css; charset=utf-8"],
};

async function file(path: string, type: string): Promise<Response> {
  return new Response(await Deno.readFile(new URL(path, WEB)), {
    headers: { "content-type": type, "x-content-type-options": "nosniff" },
  });
}

/** The request handler: the JSON API, the pages and their assets. */
export function createApp(pool: Pool, model: Model): (request: Request) => Promise<Response> {
  const { handlers } = createApi(pool, model);
  const entities = new Map(model.entities.map((entity) => [entity.name, entity]));
  // Literal segments win over parameters: /api/orders/mine before /api/orders/:id.
  const routes = model.routes
    .map((route) => ({ route, pattern: new URLPattern({ pathname: route.path }) }))
    .sort((a, b) => a.route.path.split(":").length - b.route.path.split(":").length);
  const pages = model.screens.map((screen) => ({
    screen,
    pattern: new URLPattern({ pathname: screen.route }),
  }));

  return async (request) => {
    const url = new URL(request.url);
    try {
      let allowed = false;
      for (const { route, pattern } of routes) {
        const match = pattern.exec({ pathname: url.pathname });
        if (!match) continue;
        allowed = true;
        if (route.method !== request.method) continue;
        const params = Object.fromEntries(
          Object.entries(match.pathname.groups).map(([key, value]) => [key, value ?? ""]),
        );
        for (const value of Object.values(params)) {
          if (!idSchema.safeParse(value).success) {
            throw new HttpError(400, "The id in the path must be a UUID");
          }
        }
        const entity = entities.get(route.entity);
        if (!entity) throw new HttpError(404, "Not found");
        return await handlers[route.kind]({ request, url, params, route, entity });
      }
      if (allowed) throw new HttpError(405, "Method not allowed");
      if (request.method === "GET") {
        const asset = ASSETS[url.pathname];
        if (asset) return await file(...asset);
        const page = pages.find(({ pattern }) => pattern.test({ pathname: url.pathname }));
        if (page) return await file(`pages/${page.screen.file}`, "text/html; charset=utf-8");
      }
      throw new HttpError(404, "Not found");
    } catch (error) {
      if (error instanceof HttpError) return problem(error);
      const mapped = databaseProblem(error);
      if (mapped) return problem(mapped);
      console.error(error);
      return problem(new HttpError(500, "Internal error"));
    }
  };
}
