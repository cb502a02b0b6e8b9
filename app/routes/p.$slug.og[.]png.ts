import type { LoaderFunctionArgs } from "@remix-run/server-runtime";
import { loadOgImage } from "../projects/public/og-image.server.ts";
import { renderEtag } from "../projects/public/render.server.ts";
import { ifNoneMatchMatches } from "../http/etag.server.ts";

import {
  cacheTagOf,
  projectScope,
  PUBLIC_CACHE_CONTROL,
} from "../projects/public/page-store.server.ts";

/** `GET /p/:slug/og.png`: the share card of a public project, rendered on the server. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const image = await context.timing.time(
    "og",
    () => loadOgImage({ services: context.services, slug: params.slug ?? "" }),
  );
  if (!image) {
    return new Response("Not found", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  const headers = new Headers({
    "Cache-Control": PUBLIC_CACHE_CONTROL,
    "Deno-Cache-Tag": cacheTagOf(projectScope(params.slug ?? "")),
    ETag: await renderEtag({ og: image.stamp }),
  });
  if (ifNoneMatchMatches(request.headers.get("If-None-Match"), headers.get("ETag")!)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("Content-Type", "image/png");
  headers.set("Content-Length", String(image.png.byteLength));
  return new Response(image.png, { status: 200, headers });
}
