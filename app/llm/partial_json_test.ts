import assert from "node:assert/strict";
import { createPartialJsonParser } from "./partial_json.ts";
import { generateStage } from "./offline/mod.ts";

const sample = {
  name: 'Harvest "Box" \\ é 😀 \u2028',
  n: -12.5e2,
  ok: true,
  none: null,
  list: [1, [2, { deep: "x" }], [], {}],
  escaped: "tab\tnew\nline \u0041",
};

Deno.test("partial JSON: any split of the text gives the same object as JSON.parse", () => {
  const text = `Here you go:\n\`\`\`json\n${JSON.stringify(sample, null, 1)}\n\`\`\` done`;
  for (const size of [1, 2, 3, 5, 7, 13, 64, text.length]) {
    const parser = createPartialJsonParser();
    for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
    assert.equal(parser.done, true, `size ${size}`);
    assert.equal(parser.broken, false);
    assert.deepEqual(parser.snapshot(), sample, `size ${size}`);
  }
});

Deno.test("partial JSON: the snapshot so far includes the value being written unless asked not to", () => {
  const parser = createPartialJsonParser();
  parser.push('{"a": "Har');
  assert.deepEqual(parser.snapshot(), { a: "Har" });
  assert.deepEqual(parser.snapshot({ completeOnly: true }), {});
  parser.push('vest", "items": [{"id": "f1"}, {"id": 4');
  assert.deepEqual(parser.snapshot(), { a: "Harvest", items: [{ id: "f1" }, { id: 4 }] });
  assert.deepEqual(parser.snapshot({ completeOnly: true }), {
    a: "Harvest",
    items: [{ id: "f1" }, {}],
  });
  const before = parser.snapshot()!;
  parser.push("2}]}");
  assert.deepEqual(before.items, [{ id: "f1" }, { id: 4 }], "a snapshot is a copy");
  assert.deepEqual(parser.snapshot(), { a: "Harvest", items: [{ id: "f1" }, { id: 42 }] });
});

Deno.test("partial JSON: a stage output streamed in fragments equals the original", () => {
  const output = generateStage("architecture", "a tool library for neighbours");
  const text = JSON.stringify(output);
  const parser = createPartialJsonParser();
  for (let i = 0; i < text.length; i += 24) parser.push(text.slice(i, i + 24));
  assert.deepEqual(parser.snapshot(), output);
});

Deno.test("partial JSON: text that is not JSON past its start is marked broken, not thrown", () => {
  const parser = createPartialJsonParser();
  parser.push('{"a": [oops');
  assert.equal(parser.broken, true);
  assert.deepEqual(parser.snapshot({ completeOnly: true }), { a: [] });
});
