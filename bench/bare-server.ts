/**
 * The baseline of the HTTP rows: a bare Deno.serve answering each benchmarked path with the
 * exact bytes and content type the app answered, so app figures read as ratios to it.
 * Usage: deno run -A bench/bare-server.ts <port> <fixtures.json>
 */

/** One recorded answer. */
export interface BareFixture {
  path: string;
  contentType: string;
  /** A file holding the body's bytes. */
  file: string;
}

const [port, file] = Deno.args;
const fixtures: BareFixture[] = JSON.parse(await Deno.readTextFile(file));
const answers = new Map(
  await Promise.all(fixtures.map(async (f) =>
    [f.path, {
      type: f.contentType,
      body: await Deno.readFile(f.file),
    }] as const
  )),
);

Deno.serve({ hostname: "127.0.0.1", port: Number(port), onListen: () => {} }, (request) => {
  const url = new URL(request.url);
  const answer = answers.get(url.pathname + url.search);
  if (!answer) return new Response("not found", { status: 404 });
  return new Response(answer.body, { headers: { "Content-Type": answer.type } });
});
