import assert from "node:assert/strict";
import { compareOutputs, flattenFields, MAX_CELL_CHARS } from "./compare.ts";

Deno.test("compare: lists changed, added and removed fields by readable location", () => {
  const before = {
    tagline: "Fresh boxes weekly",
    palette: { primary: "#112233" },
    features: [{ id: "cart", title: "Cart", priority: "P0" }, { id: "chat", title: "Chat" }],
    traits: ["warm", "plain"],
  };
  const after = {
    tagline: "Fresh boxes, every week",
    palette: { primary: "#112233" },
    features: [{ id: "cart", title: "Cart", priority: "P1" }, { id: "maps", title: "Maps" }],
    traits: ["warm", "plain"],
  };
  const { changes, total } = compareOutputs(before, after);
  assert.deepEqual(changes, [
    { field: "tagline", before: "Fresh boxes weekly", after: "Fresh boxes, every week" },
    { field: "features › cart › priority", before: "P0", after: "P1" },
    { field: "features › maps › id", before: null, after: "maps" },
    { field: "features › maps › title", before: null, after: "Maps" },
    { field: "features › chat › id", before: "chat", after: null },
    { field: "features › chat › title", before: "Chat", after: null },
  ]);
  assert.equal(total, 6);
});

Deno.test("compare: identical outputs have no changes; limits and long text are bounded", () => {
  assert.deepEqual(compareOutputs({ a: [1, 2] }, { a: [1, 2] }), { changes: [], total: 0 });
  const many = (n: number) =>
    Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, n]));
  const result = compareOutputs(many(1), many(2), { limit: 10 });
  assert.equal(result.changes.length, 10);
  assert.equal(result.total, 50);
  const long = flattenFields({ text: "x".repeat(5000) }).get("text")!;
  assert.equal(long.length, MAX_CELL_CHARS);
  assert.ok(long.endsWith("…"));
});

Deno.test("compare: duplicate item labels stay distinct", () => {
  const fields = flattenFields({
    files: [{ path: "a.ts", content: "1" }, { path: "a.ts", content: "2" }],
  });
  assert.deepEqual([...fields.keys()], [
    "files › a.ts › path",
    "files › a.ts › content",
    "files › a.ts (2) › path",
    "files › a.ts (2) › content",
  ]);
});
