import assert from "node:assert/strict";
import { z } from "zod";
import { STAGE_NAMES } from "./stages.ts";
import { stageSchemas } from "./schemas.ts";
import { generateStage } from "../llm/offline/mod.ts";

type JsonSchema = Record<string, unknown>;

/** Every object node of a JSON Schema, with its path, for rule checks. */
function objectNodes(schema: unknown, path = "$"): { path: string; node: JsonSchema }[] {
  if (typeof schema !== "object" || schema === null) return [];
  const node = schema as JsonSchema;
  const here = node.type === "object" ? [{ path, node }] : [];
  const children = Object.entries(node).flatMap(([key, value]) => {
    if (Array.isArray(value)) {
      return value.flatMap((item, i) => objectNodes(item, `${path}.${key}[${i}]`));
    }
    return objectNodes(value, `${path}.${key}`);
  });
  return [...here, ...children];
}

for (const stage of STAGE_NAMES) {
  Deno.test(`${stage} schema converts to strict JSON Schema (OpenAI structured outputs rules)`, () => {
    const json = z.toJSONSchema(stageSchemas[stage]);
    const objects = objectNodes(json);
    assert.ok(objects.length > 0);
    for (const { path, node } of objects) {
      const keys = Object.keys(node.properties as object);
      assert.equal(node.additionalProperties, false, `${path} allows extra keys`);
      assert.deepEqual(
        [...(node.required as string[])].sort(),
        [...keys].sort(),
        `${path} has optional keys`,
      );
    }
  });

  Deno.test(`${stage} schema bounds every list and string`, () => {
    const json = z.toJSONSchema(stageSchemas[stage]);
    const text = JSON.stringify(json);
    const arrays = text.match(/"type":"array"/g)?.length ?? 0;
    const bounded = text.match(/"maxItems":\d+/g)?.length ?? 0;
    assert.equal(bounded, arrays);
    const strings = (node: unknown): JsonSchema[] => {
      if (typeof node !== "object" || node === null) return [];
      const here = (node as JsonSchema).type === "string" ? [node as JsonSchema] : [];
      return [...here, ...Object.values(node).flatMap(strings)];
    };
    for (const node of strings(json)) {
      assert.ok("maxLength" in node || "enum" in node || "pattern" in node, JSON.stringify(node));
    }
  });
}

Deno.test("stage schemas accept a complete blueprint and reject broken values", () => {
  const outputs: Record<string, unknown> = {};
  for (const stage of STAGE_NAMES) {
    outputs[stage] = generateStage(stage, "a booking app for dog groomers", outputs);
    assert.ok(stageSchemas[stage].safeParse(outputs[stage]).success, stage);
  }
  const brand = structuredClone(outputs.brand) as { palette: { primary: string } };
  brand.palette.primary = "red";
  assert.equal(stageSchemas.brand.safeParse(brand).success, false);

  const product = structuredClone(outputs.product) as { features: { priority: string }[] };
  product.features[0].priority = "P5";
  assert.equal(stageSchemas.product.safeParse(product).success, false);

  const design = structuredClone(outputs.design) as { screens: unknown[] };
  design.screens = [];
  assert.equal(stageSchemas.design.safeParse(design).success, false);
});
