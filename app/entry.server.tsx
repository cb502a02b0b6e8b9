import type {} from "./server/context.ts";
import type { AppLoadContext, EntryContext } from "@remix-run/server-runtime";
import { RemixServer } from "@remix-run/react";
import { renderToReadableStream } from "react-dom/server";
import { NonceContext } from "./components/nonce.ts";
import { CriticalCssContext } from "./components/critical-css.tsx";
import { ServerHtmlContext } from "./components/server-html.tsx";
import styles from "./styles/app.css";
import { ifNoneMatchMatches } from "./http/etag.server.ts";

let stylesheet: Promise<string> | undefined;

/**
 * The built stylesheet's text, read once from public/ (beside this bundle's build/ folder).
 * A missing file (a broken deploy) renders unstyled pages and is retried, rather than failing them.
 */
function stylesheetText(): Promise<string> {
  stylesheet ??= Deno.readTextFile(new URL(`../public${styles}`, import.meta.url)).catch(
    (error) => {
      console.error(`stylesheet ${styles} could not be read:`, error);
      stylesheet = undefined;
      return "";
    },
  );
  return stylesheet;
}

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
  const notModified = conditionalGet(request, {
    responseStatusCode,
    responseHeaders,
    remixContext,
  });
  if (notModified) return notModified;
  // request.signal is not passed to React: it floods "Closed already requested" on Deno.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ABORT_DELAY_MS);
  let status = responseStatusCode;
  const css = await stylesheetText();
  const render = () =>
    loadContext.timing.time(
      "render",
      () =>
        renderToReadableStream(
          <NonceContext.Provider value={nonce}>
            <CriticalCssContext.Provider value={css}>
              <ServerHtmlContext.Provider value={loadContext.serverHtml}>
                <RemixServer
                  context={remixContext}
                  url={request.url}
                  abortDelay={ABORT_DELAY_MS}
                  nonce={nonce}
                />
              </ServerHtmlContext.Provider>
            </CriticalCssContext.Provider>
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
  // The whole document, deferred stage views included, before the first byte: streamed
  // fallbacks are swapped by an inline script, so a browser without JavaScript (or a crawler)
  // would keep the skeletons and never see the hidden content.
  await body.allReady;
  body.allReady.finally(() => clearTimeout(timer));

  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  if (!responseHeaders.has("Cache-Control")) {
    responseHeaders.set("Cache-Control", "private, no-store");
  }
  return new Response(compressed(request, abortOnCancel(body, controller), responseHeaders), {
    status,
    headers: responseHeaders,
  });
}

/**
 * Passes the render through, aborting React when the client goes away, so a disconnect ends
 * the render quietly instead of flooding the log with "Closed already requested".
 */
function abortOnCancel(
  body: ReadableStream<Uint8Array>,
  controller: AbortController,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(stream) {
      const { done, value } = await reader.read();
      if (done) stream.close();
      else stream.enqueue(value);
    },
    cancel(reason) {
      controller.abort(reason);
      return reader.cancel(reason).catch(() => {});
    },
  });
}

/**
 * The document gzipped when the client accepts it (pages are mostly repetitive markup: a
 * blueprint page shrinks about sevenfold). Streaming still flushes as React writes.
 */
function compressed(
  request: Request,
  body: ReadableStream<Uint8Array>,
  headers: Headers,
): ReadableStream<Uint8Array> {
  headers.append("Vary", "Accept-Encoding");
  const gzip = (request.headers.get("Accept-Encoding") ?? "").split(",").some((part) => {
    const [name, ...params] = part.trim().split(";");
    return name.trim() === "gzip" && !params.some((param) => /^\s*q=0(\.0*)?\s*$/.test(param));
  });
  if (headers.has("Content-Encoding") || !gzip) return body;
  headers.set("Content-Encoding", "gzip");
  return (body as ReadableStream<BufferSource>).pipeThrough(new CompressionStream("gzip"));
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
