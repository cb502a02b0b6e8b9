import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { negotiate } from "../projects/public/page-store.server.ts";

/** Smaller JSON bodies go as they are: compression would not pay for its headers. */
const MIN_BYTES = 1024;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/**
 * A JSON answer compressed in the best encoding the client accepts (brotli, else gzip), with
 * `Vary: Accept-Encoding` and an ETag of its own per encoding (RFC 9110 §8.8.3).
 */
export async function compressJson(request: Request, response: Response): Promise<Response> {
  const type = response.headers.get("Content-Type") ?? "";
  if (
    !JSON_TYPE.test(type) || response.body === null || response.headers.has("Content-Encoding")
  ) return response;
  const encoding = negotiate(request.headers.get("Accept-Encoding"));
  const headers = new Headers(response.headers);
  const vary = headers.get("Vary");
  if (!vary) headers.set("Vary", "Accept-Encoding");
  else if (!/accept-encoding/i.test(vary)) headers.set("Vary", `${vary}, Accept-Encoding`);
  const identity = new Uint8Array(await response.arrayBuffer());
  if (encoding === "identity" || identity.byteLength < MIN_BYTES) {
    return new Response(identity, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  }
  const body = encoding === "br"
    ? brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
    : gzipSync(identity, { level: 6 });
  headers.set("Content-Encoding", encoding);
  headers.delete("Content-Length");
  const etag = headers.get("ETag");
  if (etag) headers.set("ETag", etag.replace(/"$/, `-${encoding === "br" ? "br" : "gz"}"`));
  return new Response(new Uint8Array(body), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
