import assert from "node:assert/strict";
import { cutText, extractJsonObject, type RepairCounts, repairValue } from "./repair.ts";
import { stageJsonSchema } from "./structured_output.server.ts";
import { stageSchemas } from "../blueprint/schemas.ts";
import { generateStage } from "./offline/mod.ts";

const schema = {
  type: "object",
  properties: {
    title: { type: "string", minLength: 1, maxLength: 20 },
    slug: { type: "string", maxLength: 8 },
    priority: { type: "string", enum: ["P0", "P1"] },
    size: { type: "integer", minimum: 1, maximum: 9 },
    ok: { type: "boolean" },
    ref: { anyOf: [{ type: "string" }, { type: "null" }] },
    tags: { type: "array", items: { type: "string" }, minItems: 0, maxItems: 2 },
    items: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        properties: {
          id: { type: "string", maxLength: 6 },
          name: { type: "string", minLength: 1 },
        },
        required: ["id", "name"],
      },
    },
  },
  required: ["title", "priority", "size", "ref", "tags", "items"],
};

Deno.test("repairValue fixes each habit and counts it", () => {
  const counts: RepairCounts = {};
  const out = repairValue(
    {
      title: "A title that is far too long for it",
      slug: "abcdefghijkl",
      priority: "p1",
      size: "12",
      ok: "true",
      extra: 1,
      tags: ["a", "b", "c"],
      items: [{ id: "x", name: "one" }, { id: "x", name: "two" }, { id: "y" }],
    },
    schema,
    counts,
  );
  assert.deepEqual(out, {
    title: "A title that is far…",
    slug: "abcdefgh",
    priority: "P1",
    size: 9,
    ok: true,
    ref: null,
    tags: ["a", "b"],
    items: [{ id: "x", name: "one" }, { id: "x-2", name: "two" }],
  });
  assert.deepEqual(counts, {
    truncated_string: 2,
    enum_case: 1,
    coerced_number: 1,
    clamped_number: 1,
    coerced_boolean: 1,
    dropped_key: 1,
    truncated_list: 1,
    dropped_item: 1,
    unique_id: 1,
    filled_default: 1,
  });
});

Deno.test("repairValue keeps an invalid item when dropping it would break the list's minimum", () => {
  const counts: RepairCounts = {};
  const out = repairValue({ items: [{ id: "z" }] }, schema, counts) as any;
  assert.deepEqual(out.items, [{ id: "z" }]);
  assert.equal(counts.dropped_item, undefined);
});

Deno.test("repairValue removes NUL and lone surrogates (issue 13.9)", () => {
  const counts: RepairCounts = {};
  const out = repairValue({ title: "a\u0000b \ud800c" }, schema, counts) as any;
  assert.equal(out.title, "ab \ufffdc");
  assert.equal(counts.cleaned_text, 1);
  assert.doesNotThrow(() => new TextEncoder().encode(JSON.stringify(out)));
});

Deno.test("extractJsonObject finds the object in prose, fences, strings and cut-off replies", () => {
  const object = { a: 1, b: "x}" };
  const text = JSON.stringify(object);
  const cases: [string, string][] = [
    [`Here is the JSON you asked for:\n\`\`\`json\n${text}\n\`\`\`\nThanks`, "extracted_json"],
    [`Sure: ${text} Hope it helps {not json}`, "extracted_json"],
    [JSON.stringify(text), "decoded_json_string"],
  ];
  for (const [reply, kind] of cases) {
    const counts: RepairCounts = {};
    assert.deepEqual(extractJsonObject(reply, counts), object, reply);
    assert.equal(counts[kind as keyof RepairCounts], 1, reply);
  }
  const counts: RepairCounts = {};
  assert.deepEqual(
    extractJsonObject('{"a": 1, "list": [{"x": 1}, {"x": 2, "y": "cut mid-', counts),
    {
      a: 1,
      list: [{ x: 1 }, { x: 2 }],
    },
  );
  assert.equal(counts.salvaged_truncated, 1);
  assert.equal(extractJsonObject("I cannot help with that."), undefined);
});

Deno.test("cutText cuts prose at a word with an ellipsis, code at a line, identifiers exactly", () => {
  assert.equal(cutText("one two three four", 12), "one two…");
  assert.equal(cutText("line one\nline two\nline three", 20), "line one\nline two");
  assert.equal(cutText("abcdefghij", 4), "abcd");
  assert.equal(cutText("ab😀cd", 3), "ab", "no half surrogate pair");
  for (const [text, max] of [["a b c d e f g", 5], ["x ".repeat(100), 120]] as const) {
    assert.ok(cutText(text, max).length <= max);
  }
});

Deno.test("a valid stage output needs no repair", () => {
  for (const stage of ["product", "brand", "design", "architecture", "code"] as const) {
    const counts: RepairCounts = {};
    const output = generateStage(stage, "a tool library for neighbours");
    const out = repairValue(output, stageJsonSchema(stageSchemas[stage]), counts);
    assert.deepEqual(counts, {}, stage);
    assert.deepEqual(out, output);
  }
});
