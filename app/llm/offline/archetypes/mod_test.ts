import assert from "node:assert/strict";
import { ARCHETYPE_IDS, ARCHETYPE_ORDER } from "./mod.ts";
import type { Archetype } from "./types.ts";

/** Each archetype variant as its catalogue items that apply to it. */
function variants(archetype: Archetype) {
  const named = new Set(
    [...archetype.features, ...archetype.screens, ...archetype.entities, ...archetype.flows]
      .flatMap((item) => item.only === undefined ? [] : [item.only].flat()),
  );
  const applies = (variant: string) => (item: { only?: string | readonly string[] }) =>
    item.only === undefined || [item.only].flat().includes(variant);
  return [...(named.size > 0 ? named : [""])].map((variant) => ({
    variant,
    features: archetype.features.filter(applies(variant)),
    screens: archetype.screens.filter(applies(variant)),
    entities: archetype.entities.filter(applies(variant)),
    flows: archetype.flows.filter(applies(variant)),
  }));
}

Deno.test("there are twelve archetypes, listed in tie-break order", () => {
  assert.equal(ARCHETYPE_ORDER.length, 12);
  assert.deepEqual(ARCHETYPE_ORDER.map((a) => a.id), [...ARCHETYPE_IDS]);
});

Deno.test("every archetype variant has a full catalogue whose references hold", () => {
  for (const archetype of ARCHETYPE_ORDER) {
    for (const { variant, features, screens, entities, flows } of variants(archetype)) {
      const at = (what: string) => `${archetype.id}/${variant}: ${what}`;
      assert.ok(features.length >= 8, at(`${features.length} features`));
      assert.ok(features.some((f) => f.priority === "P0"), at("no P0"));
      assert.ok(features.some((f) => f.priority !== "P0"), at("only P0"));
      const screenKeys = new Set(screens.map((s) => s.key));
      const entityNames = new Set(["User", ...entities.map((e) => e.name)]);
      assert.ok(entityNames.has("$O"), at("no entity for the main object"));
      assert.ok(screens.some((s) => s.route === "/"), at("no screen at /"));
      for (const feature of features) {
        assert.ok(screenKeys.has(feature.screen), at(`${feature.key} → screen ${feature.screen}`));
        assert.ok(entityNames.has(feature.entity), at(`${feature.key} → ${feature.entity}`));
        const entity = entities.find((e) => e.name === feature.entity);
        assert.notEqual(entity?.api, "none", at(`${feature.key} needs endpoints`));
      }
      for (const flow of flows) {
        for (const [screen] of flow.steps) assert.ok(screenKeys.has(screen), at(`${flow.key}`));
      }
      for (const entity of entities) {
        for (const field of entity.fields) {
          const target = /^[^:]+:[a-z]+!?u?(?:>(.+))?$/.exec(field)?.[1];
          assert.ok(/^[^:]+:[a-z]+!?u?(>.+)?$/.test(field), at(`bad field ${field}`));
          if (target) assert.ok(entityNames.has(target), at(`${entity.name}.${field}`));
        }
      }
    }
  }
});

Deno.test("templates only use known placeholders", () => {
  const known = new Set([
    "p",
    "ps",
    "P",
    "Ps",
    "s",
    "ss",
    "S",
    "Ss",
    "o",
    "os",
    "O",
    "Os",
    "ao",
    "Ao",
    "v",
    "V",
    "vs",
  ]);
  for (const archetype of ARCHETYPE_ORDER) {
    const text = JSON.stringify(archetype);
    for (const [, name] of text.matchAll(/\{([A-Za-z]+)\}/g)) {
      assert.ok(known.has(name), `${archetype.id} uses {${name}}`);
    }
  }
});
