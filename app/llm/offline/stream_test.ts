import assert from "node:assert/strict";
import { partials } from "./stream.ts";

Deno.test("partials grow one list item at a time and end at the full output", () => {
  const output = {
    title: "T",
    items: [{ id: 1 }, { id: 2 }, { id: 3 }],
    nested: { tags: ["a", "b"], rows: [{ n: 1 }, { n: 2 }] },
    tail: "end",
  };
  const steps = [...partials(output)];
  assert.deepEqual(steps.at(-1), output);
  assert.deepEqual(steps.map((step) => (step.items as unknown[] | undefined)?.length ?? 0), [
    0,
    1,
    2,
    3,
    3,
    3,
    3,
    3,
  ]);
  assert.deepEqual(steps[0], { title: "T" }, "scalars before a list arrive together");
  for (let i = 1; i < steps.length; i++) {
    assert.ok(
      JSON.stringify(steps[i]).length > JSON.stringify(steps[i - 1]).length,
      "always grows",
    );
  }
});

Deno.test("each partial is an independent snapshot", () => {
  const steps = [...partials({ items: [{ id: 1 }, { id: 2 }] })];
  assert.deepEqual(
    steps[0],
    { items: [{ id: 1 }] },
    "later items do not leak into earlier snapshots",
  );
  assert.notEqual(steps[0].items, steps[1].items);
});
