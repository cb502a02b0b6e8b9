/** A strong ETag of a response body: the first 128 bits of its SHA-256, base64url. */
export async function etagOf(body: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  const head = new Uint8Array(digest).slice(0, 16);
  return `"${head.toBase64({ alphabet: "base64url", omitPadding: true })}"`;
}

/** Whether `If-None-Match` matches an ETag (weak comparison, RFC 9110 §13.1.2). */
export function ifNoneMatchMatches(header: string | null, etag: string): boolean {
  if (header === null) return false;
  if (header.trim() === "*") return true;
  // A compressed body's tag is the identity tag plus its encoding (app/http/compress.server.ts).
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "").replace(/-(br|gz)"$/, '"');
  return header.split(",").some((tag) => opaque(tag) === opaque(etag));
}

/**
 * A JSON response for a GET with an ETag; 304 without a body when the client's copy is
 * current. The validators (ETag, Cache-Control) are sent on both.
 */
export async function jsonWithEtag(
  request: Request,
  data: unknown,
  options: { cacheControl: string; headers?: HeadersInit },
): Promise<Response> {
  const body = JSON.stringify(data);
  return serializedWithEtag(request, { body, etag: await etagOf(body) }, options);
}

/** Like `jsonWithEtag`, for a JSON body serialized (and tagged) ahead of time. */
export function serializedWithEtag(
  request: Request,
  json: { body: string; etag: string },
  options: { cacheControl: string; headers?: HeadersInit },
): Response {
  const { body, etag } = json;
  const headers = new Headers(options.headers);
  headers.set("ETag", etag);
  headers.set("Cache-Control", options.cacheControl);
  if (ifNoneMatchMatches(request.headers.get("If-None-Match"), etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(body, { status: 200, headers });
}
