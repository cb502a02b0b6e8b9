import { brotliCompressSync, constants, gzipSync } from "node:zlib";

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

/** Content codings a stored or compressed response comes in, in order of preference. */
export const ENCODINGS = ["br", "gzip", "identity"] as const;

/** One content coding of ENCODINGS. */
export type Encoding = (typeof ENCODINGS)[number];

/** Answers of `negotiate` by header value: browsers send a handful of distinct values. */
const negotiated = new Map<string, Encoding>();
const NEGOTIATED_MAX = 64;

/** The best stored encoding the client accepts (RFC 9110 §12.5.3, q=0 refuses). */
export function negotiate(header: string | null): Encoding {
  const key = header ?? "";
  const known = negotiated.get(key);
  if (known) return known;
  const encoding = negotiateUncached(key);
  if (negotiated.size >= NEGOTIATED_MAX) negotiated.clear();
  if (key.length <= 256) negotiated.set(key, encoding);
  return encoding;
}

function negotiateUncached(header: string): Encoding {
  const accepted = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    accepted.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (encoding: string) => accepted.get(encoding) ?? accepted.get("*") ?? 0;
  for (const encoding of ["br", "gzip"] as const) {
    if (weightOf(encoding) > 0) return encoding;
  }
  return "identity";
}
