import assert from "node:assert/strict";
import { z } from "zod";
import { fieldErrors, problem, PROBLEM_TYPES } from "./problems.ts";

Deno.test("fieldErrors: dotted paths, unknown keys by name, hostile key names", () => {
  const schema = z.strictObject({ a: z.object({ b: z.number() }), c: z.string().min(2) });
  const result = schema.safeParse(
    JSON.parse('{"a": {"b": "x"}, "c": "", "constructor": 1, "__proto__": {"x": 1}}'),
  );
  assert.equal(result.success, false);
  const fields = fieldErrors(result.error!);
  assert.deepEqual(Object.keys(fields).sort(), ["__proto__", "a.b", "c", "constructor"]);
  assert.deepEqual(fields.constructor, ["Unknown field."]);
  assert.equal(Object.getPrototypeOf(fields), Object.prototype);
});

Deno.test("fieldErrors: a root-level error is keyed by the empty path", () => {
  const result = z.object({}).safeParse([1]);
  assert.deepEqual(Object.keys(fieldErrors(result.error!)), [""]);
});

Deno.test("problem: status and type come from the catalogue", () => {
  for (const [type, { status }] of Object.entries(PROBLEM_TYPES)) {
    const error = problem(type as keyof typeof PROBLEM_TYPES, "detail");
    assert.equal(error.status, status);
    assert.equal(error.type, type);
  }
});
