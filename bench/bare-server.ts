/**
 * The baseline of the HTTP rows: a bare Deno.serve answering each benchmarked path with the
 * exact bytes and content type the app answered, so app figures read as ratios to it. Bodies
 * are compressed once at start and sent in the best encoding the client accepts (brotli, then
 * gzip), as a static server with precompressed files would.
 * Usage: deno run -A bench/bare-server.ts <port> <fixtures.json>
 */

/** One recorded answer. */
export interface BareFixture {
  path: string;
  contentType: string;
  /** A file holding the body's bytes. */
  file: string;
}

import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const [port, file] = Deno.args;
const fixtures: BareFixture[] = JSON.parse(await Deno.readTextFile(file));
const answers = new Map(
  await Promise.all(
    fixtures.map(async (f) =>
      [f.path, encoded(f.contentType, await Deno.readFile(f.file))] as const
    ),
  ),
);

Deno.serve({ hostname: "127.0.0.1", port: Number(port), onListen: () => {} }, (request) => {
  const url = new URL(request.url);
  const answer = answers.get(url.pathname + url.search);
  if (!answer) return new Response("not found", { status: 404 });
  const accepted = request.headers.get("Accept-Encoding") ?? "";
  const encoding = /\bbr\b/.test(accepted) ? "br" : /\bgzip\b/.test(accepted) ? "gzip" : null;
  const headers = new Headers({ "Content-Type": answer.type, Vary: "Accept-Encoding" });
  if (encoding) headers.set("Content-Encoding", encoding);
  return new Response(encoding ? answer[encoding] : answer.identity, { headers });
});

function encoded(type: string, identity: Uint8Array<ArrayBuffer>) {
  return {
    type,
    identity,
    gzip: new Uint8Array(gzipSync(identity, { level: 9 })),
    br: new Uint8Array(brotliCompressSync(identity, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 10 },
    })),
  };
}
