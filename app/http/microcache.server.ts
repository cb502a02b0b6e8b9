import type { Repositories } from "../db/repositories.server.ts";
import { projectStamp } from "../generation/public-page.server.ts";

/** Public pages kept per process; each is ~150 KB of HTML. */
const MAX_ENTRIES = 100;
const SESSION_COOKIE = "__session=";

interface Entry {
  stamp: string;
  status: number;
  headers: [string, string][];
  /** The page split at its nonce, encoded once: a response is these with a fresh nonce between. */
  parts: Uint8Array[];
}

/** A rendered public page ready to be served again, or the facts needed to store one. */
export type MicrocacheLookup =
  | { kind: "hit"; response: Response }
  | { kind: "miss"; key: string; stamp: string }
  | { kind: "skip" };

/**
 * Rendered HTML of public pages (`/p/:slug`) for signed-out visitors, so a popular page is
 * rendered once per change rather than once per request. Each hit is validated against the
 * project row (one indexed read), so an owner's change shows at once; the CSP nonce is
 * replaced per response, so no two responses share one.
 */
export function createMicrocache(deps: { repos: Pick<Repositories, "projects"> }) {
  const entries = new Map<string, Entry>();

  function slugOf(request: Request): string | null {
    if (request.method !== "GET" && request.method !== "HEAD") return null;
    if ((request.headers.get("Cookie") ?? "").includes(SESSION_COOKIE)) return null;
    if (request.headers.has("Authorization")) return null;
    const match = /^\/p\/([a-z0-9][a-z0-9-]{0,79})$/.exec(new URL(request.url).pathname);
    return match?.[1] ?? null;
  }

  return {
    /** Serves a cached page when it is still current for this project. */
    async lookup(request: Request, options: { nonce: string }): Promise<MicrocacheLookup> {
      const slug = slugOf(request);
      if (!slug) return { kind: "skip" };
      const project = await deps.repos.projects.getPublicBySlug(slug);
      if (!project) return { kind: "skip" };
      const url = new URL(request.url);
      const key = url.pathname + url.search;
      const stamp = projectStamp(project);
      const entry = entries.get(key);
      if (!entry || entry.stamp !== stamp) return { kind: "miss", key, stamp };
      // Most recently used last, so eviction drops the coldest page.
      entries.delete(key);
      entries.set(key, entry);
      const headers = new Headers(entry.headers);
      const etag = headers.get("ETag");
      if (
        etag &&
        (request.headers.get("If-None-Match") ?? "").split(",").some((t) => t.trim() === etag)
      ) {
        return { kind: "hit", response: new Response(null, { status: 304, headers }) };
      }
      const body = request.method === "HEAD"
        ? null
        : encode(joinParts(entry.parts, options.nonce), request, headers);
      return { kind: "hit", response: new Response(body, { status: entry.status, headers }) };
    },

    /** Keeps a freshly rendered public page; returns a response with the same content. */
    async store(
      response: Response,
      input: { key: string; stamp: string; nonce: string; request: Request },
    ): Promise<Response> {
      const cacheControl = response.headers.get("Cache-Control") ?? "";
      if (response.status !== 200 || !cacheControl.includes("public") || !response.body) {
        return response;
      }
      const headers = new Headers(response.headers);
      const encoded = headers.get("Content-Encoding");
      if (encoded && encoded !== "gzip") return response;
      const stream = encoded === "gzip"
        ? response.body.pipeThrough(new DecompressionStream("gzip"))
        : response.body;
      const html = await new Response(stream).text();
      headers.delete("Content-Encoding");
      headers.delete("Content-Length");
      entries.set(input.key, {
        stamp: input.stamp,
        status: response.status,
        headers: [...headers],
        parts: html.split(input.nonce).map((part) => encoder.encode(part)),
      });
      while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      return new Response(encode(html, input.request, headers), { status: 200, headers });
    },
  };
}

/** The microcache of one process. */
export type Microcache = ReturnType<typeof createMicrocache>;

const encoder = new TextEncoder();

function joinParts(parts: Uint8Array[], nonce: string): Uint8Array {
  const between = encoder.encode(nonce);
  const size = parts.reduce((n, p) => n + p.byteLength, 0) +
    between.byteLength * (parts.length - 1);
  const out = new Uint8Array(size);
  let offset = 0;
  parts.forEach((part, i) => {
    if (i > 0) {
      out.set(between, offset);
      offset += between.byteLength;
    }
    out.set(part, offset);
    offset += part.byteLength;
  });
  return out;
}

function encode(html: string | Uint8Array, request: Request, headers: Headers): BodyInit {
  const gzip = (request.headers.get("Accept-Encoding") ?? "").split(",")
    .some((part) => part.trim().split(";")[0] === "gzip" && !/q=0(\.0*)?\s*$/.test(part));
  if (!gzip) return html as BodyInit;
  headers.set("Content-Encoding", "gzip");
  return new Blob([html as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
}
