import assert from "node:assert/strict";
import { etagOf, ifNoneMatchMatches, jsonWithEtag } from "./etag.server.ts";

Deno.test("etagOf: strong, quoted, stable, content-dependent", async () => {
  const tag = await etagOf('{"a":1}');
  assert.match(tag, /^"[A-Za-z0-9_-]{22}"$/);
  assert.equal(await etagOf('{"a":1}'), tag);
  assert.notEqual(await etagOf('{"a":2}'), tag);
});

Deno.test("ifNoneMatchMatches: lists, weak tags and *", () => {
  const table: [string | null, boolean][] = [
    [null, false],
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['"x",W/"abc"', true],
    ["*", true],
    ['"abcd"', false],
    ["abc", false],
  ];
  for (const [header, expected] of table) {
    assert.equal(ifNoneMatchMatches(header, '"abc"'), expected, String(header));
  }
});

Deno.test("jsonWithEtag: 200 with validators, then 304 without a body", async () => {
  const data = { hello: "world" };
  const first = await jsonWithEtag(new Request("http://x/"), data, { cacheControl: "private" });
  assert.equal(first.status, 200);
  assert.deepEqual(await first.json(), data);
  const etag = first.headers.get("ETag")!;
  const second = await jsonWithEtag(
    new Request("http://x/", { headers: { "If-None-Match": etag } }),
    data,
    { cacheControl: "private" },
  );
  assert.equal(second.status, 304);
  assert.equal(second.body, null);
  assert.equal(second.headers.get("ETag"), etag);
  assert.equal(second.headers.get("Cache-Control"), "private");
});
