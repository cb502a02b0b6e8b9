import assert from "node:assert/strict";
import fc from "fast-check";
import { applyPatch, diffPartial, patchSchema } from "./partial-patch.ts";
import { createPartialJsonParser } from "../llm/partial_json.ts";
import { generateStage } from "../llm/offline/mod.ts";

Deno.test("a streamed stage output replays exactly from its increments", () => {
  const text = JSON.stringify(generateStage("product", "a repair café booking tool"));
  const parser = createPartialJsonParser();
  let logged: unknown = undefined;
  let replayed: unknown = undefined;
  let opBytes = 0;
  let pushes = 0;
  let wholeBytes = 0;
  for (let i = 0; i < text.length; i += 7) {
    parser.push(text.slice(i, i + 7));
    const partial = parser.snapshot();
    const ops = diffPartial(logged, partial);
    opBytes += JSON.stringify(ops).length;
    wholeBytes += JSON.stringify(partial ?? null).length;
    replayed = applyPatch(replayed, patchSchema.parse(ops));
    assert.deepEqual(replayed, partial);
    pushes++;
    logged = partial;
  }
  assert.deepEqual(replayed, JSON.parse(text));
  // Increments, not whole partials: the text once plus a bounded path overhead per delta,
  // where logging each whole partial grows with the square of the output.
  assert.ok(opBytes < text.length + 64 * pushes, `${opBytes} bytes of ops for ${text.length}`);
  assert.ok(opBytes * 20 < wholeBytes, `${opBytes} vs ${wholeBytes}`);
});

Deno.test("diff then apply turns any JSON value into any other", () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
      const ops = diffPartial(a, b);
      assert.deepEqual(applyPatch(structuredClone(a), ops), b);
      assert.deepEqual(diffPartial(b, b), []);
    }),
    { numRuns: 300 },
  );
});

Deno.test("applyPatch refuses a path that does not fit and leaves its input alone", () => {
  const base = { a: ["x"] };
  assert.equal(patchSchema.safeParse([{ p: ["a", 0], a: 1 }]).success, false);
  assert.equal(patchSchema.safeParse([{ p: [-1], v: 1 }]).success, false);
  assert.throws(() => applyPatch(base, [{ p: ["a", 5, "b"], v: 1 }]));
  assert.throws(() => applyPatch("text", [{ p: ["k"], v: 1 }]));
  const next = applyPatch(base, [{ p: ["a", 0], a: "y" }]);
  assert.deepEqual(next, { a: ["xy"] });
  assert.deepEqual(base, { a: ["x"] });
});
