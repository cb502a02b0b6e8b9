import type { AppLoadContext, EntryContext } from "@remix-run/server-runtime";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToReadableStream } from "react-dom/server";
import { NonceContext } from "./components/nonce.ts";
import { ifNoneMatchMatches } from "./api/etag.server.ts";

/** How long a streamed render may take before pending deferred data is abandoned. */
const ABORT_DELAY_MS = 5_000;

/** Streams the document; bots get it fully rendered before the first byte. */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
): Promise<Response> {
  const nonce = loadContext.nonce;
  const notModified = conditionalGet(request, { responseStatusCode, responseHeaders, remixContext });
  if (notModified) return notModified;
  // request.signal is not passed to React: it floods "Closed already requested" on Deno.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ABORT_DELAY_MS);
  let status = responseStatusCode;
  const render = () =>
    loadContext.timing.time(
      "render",
      () =>
        renderToReadableStream(
          <NonceContext.Provider value={nonce}>
            <RemixServer
              context={remixContext}
              url={request.url}
              abortDelay={ABORT_DELAY_MS}
              nonce={nonce}
            />
          </NonceContext.Provider>,
          {
            nonce,
            signal: controller.signal,
            onError(error: unknown) {
              status = 500;
              if (!controller.signal.aborted) console.error(error);
            },
          },
        ),
    );
  const body = await render();
  if (isbot(request.headers.get("user-agent") ?? "")) await body.allReady;
  body.allReady.finally(() => clearTimeout(timer));

  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  if (!responseHeaders.has("Cache-Control")) {
    responseHeaders.set("Cache-Control", "private, no-store");
  }
  return new Response(body, { status, headers: responseHeaders });
}

/**
 * A page whose loader sets an ETag (the hash of its render data) gets a document ETag that also
 * names the build, and a 304 without rendering when the client's copy is current.
 */
function conditionalGet(
  request: Request,
  options: { responseStatusCode: number; responseHeaders: Headers; remixContext: EntryContext },
): Response | null {
  const { responseStatusCode, responseHeaders, remixContext } = options;
  const etag = responseHeaders.get("ETag");
  if (!etag || responseStatusCode !== 200) return null;
  const opaque = etag.replace(/^W\//, "").replaceAll('"', "");
  const tagged = `"${opaque}.${remixContext.manifest.version}"`;
  responseHeaders.set("ETag", tagged);
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  if (!ifNoneMatchMatches(request.headers.get("If-None-Match"), tagged)) return null;
  return new Response(null, { status: 304, headers: responseHeaders });
}
