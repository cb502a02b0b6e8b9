import assert from "node:assert/strict";
import { startTestApp } from "../support/app.ts";

Deno.test("static: hashed assets are immutable, precompressed, and answer 304 to their ETag", async () => {
  const app = await startTestApp();
  try {
    const html = await (await app.fetch("/")).text();
    const asset =
      /src="(\/build\/entry\.client-[A-Z0-9]+\.js)"|href="(\/build\/entry\.client-[A-Z0-9]+\.js)"/
        .exec(html);
    const path = asset?.[1] ?? asset?.[2];
    assert.ok(path, "the page links its client entry");

    const plain = await app.fetch(path!);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.match(plain.headers.get("content-type") ?? "", /javascript/);
    const etag = plain.headers.get("etag");
    assert.ok(etag);
    const body = await plain.text();

    const br = await app.fetch(path!, { headers: { "Accept-Encoding": "gzip, br" } });
    assert.equal(br.headers.get("content-encoding"), "br");
    assert.equal(br.headers.get("vary"), "Accept-Encoding");
    const decoded = await new Response(
      br.body!.pipeThrough(new DecompressionStream("brotli" as CompressionFormat)),
    ).text().catch(() => null);
    if (decoded !== null) assert.equal(decoded, body);

    const gz = await app.fetch(path!, { headers: { "Accept-Encoding": "gzip" } });
    assert.equal(gz.headers.get("content-encoding"), "gzip");
    assert.equal(
      await new Response(gz.body!.pipeThrough(new DecompressionStream("gzip"))).text(),
      body,
    );

    const etags = [etag, br.headers.get("etag"), gz.headers.get("etag")];
    assert.equal(new Set(etags).size, 3, "identity, br and gzip bodies each have their own ETag");
    const brCached = await app.fetch(path!, {
      headers: { "Accept-Encoding": "gzip, br", "If-None-Match": etags[1]! },
    });
    assert.equal(brCached.status, 304);
    await brCached.body?.cancel();

    const cached = await app.fetch(path!, { headers: { "If-None-Match": etag! } });
    assert.equal(cached.status, 304);
    assert.equal(await cached.text(), "");

    const favicon = await app.fetch("/favicon.svg");
    assert.equal(favicon.status, 200);
    assert.equal(favicon.headers.get("cache-control"), "public, max-age=3600");
    await favicon.body?.cancel();

    for (
      const sneaky of [
        "/build/../../deno.json",
        "/%2e%2e/deno.json",
        "/build/%2e%2e/%2e%2e/server.ts",
      ]
    ) {
      const res = await app.fetch(sneaky);
      assert.notEqual(res.status, 200, sneaky);
      await res.body?.cancel();
    }
  } finally {
    await app.close();
  }
});
