import { extname, join, normalize } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".webmanifest": "application/manifest+json",
};

/** Text types worth serving precompressed. */
const COMPRESSIBLE = new Set([".js", ".mjs", ".css", ".json", ".map", ".svg", ".txt"]);

/** Cache-Control for hashed build assets: they never change under one URL. */
export const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * Serves a file from `publicDir` as a stream with ETag/304 and precompressed
 * `.br`/`.gz` siblings; null when the request is not for a public file.
 */
export async function serveStatic(
  request: Request,
  options: { publicDir: string; /** The request's URL, when already parsed. */ url?: URL },
): Promise<Response | null> {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  const url = options.url ?? new URL(request.url);
  // Every public file has an extension: pages and API paths end here, before any decoding.
  if (!url.pathname.includes(".") && !url.pathname.includes("%")) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes("\0") || pathname.endsWith("/")) return null;
  const relative = normalize(pathname).replace(/^(\.\.(\/|$))+/, "");
  if (relative.split("/").includes("..")) return null;
  const ext = extname(relative);
  if (!CONTENT_TYPES[ext]) return null;
  const filePath = join(options.publicDir, relative);

  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(filePath);
  } catch {
    return null;
  }
  if (!info.isFile) return null;

  const headers = new Headers({
    "Content-Type": CONTENT_TYPES[ext],
    "Cache-Control": relative.startsWith("/build/") ? IMMUTABLE : "public, max-age=3600",
  });
  if (COMPRESSIBLE.has(ext)) headers.set("Vary", "Accept-Encoding");

  let servedPath = filePath;
  let size = info.size;
  let encoding = "";
  if (COMPRESSIBLE.has(ext)) {
    const accepted = request.headers.get("Accept-Encoding") ?? "";
    for (const [name, suffix] of [["br", ".br"], ["gzip", ".gz"]] as const) {
      if (!acceptsEncoding(accepted, name)) continue;
      const sibling = await statFile(filePath + suffix);
      if (sibling) {
        servedPath = filePath + suffix;
        size = sibling.size;
        encoding = name;
        headers.set("Content-Encoding", name);
        break;
      }
    }
  }
  // Each encoding is its own representation (RFC 9110 §8.8.3), so each has its own strong ETag.
  const etag = `"${info.size.toString(16)}-${(info.mtime?.getTime() ?? 0).toString(16)}${
    encoding ? `-${encoding}` : ""
  }"`;
  headers.set("ETag", etag);
  if (ifNoneMatch(request.headers.get("If-None-Match"), etag)) {
    headers.delete("Content-Encoding");
    return new Response(null, { status: 304, headers });
  }
  headers.set("Content-Length", String(size));
  if (request.method === "HEAD") return new Response(null, { status: 200, headers });
  const file = await Deno.open(servedPath, { read: true });
  return new Response(file.readable, { status: 200, headers });
}

async function statFile(path: string): Promise<Deno.FileInfo | null> {
  try {
    const info = await Deno.stat(path);
    return info.isFile ? info : null;
  } catch {
    return null;
  }
}

function ifNoneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, "");
    return tag === "*" || tag === etag;
  });
}

function acceptsEncoding(header: string, encoding: string): boolean {
  return header.split(",").some((part) => {
    const [name, ...params] = part.trim().split(";");
    if (name.trim() !== encoding) return false;
    const q = params.find((p) => p.trim().startsWith("q="));
    return !q || Number(q.trim().slice(2)) > 0;
  });
}
