import type { LoaderFunctionArgs } from "@remix-run/server-runtime";
import { loadOgImage } from "../public/og-image.server.ts";
import { renderEtag } from "../generation/public-page.server.ts";
import { ifNoneMatchMatches } from "../api/etag.server.ts";

/** DESIGN §8: shared caches keep it 5 minutes, then serve it stale while revalidating. */
const PUBLIC_CACHE = "public, s-maxage=300, stale-while-revalidate=3600";

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
    "Cache-Control": PUBLIC_CACHE,
    ETag: await renderEtag({ og: image.stamp }),
  });
  if (ifNoneMatchMatches(request.headers.get("If-None-Match"), headers.get("ETag")!)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("Content-Type", "image/png");
  headers.set("Content-Length", String(image.png.byteLength));
  return new Response(image.png, { status: 200, headers });
}
