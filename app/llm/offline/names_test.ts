import assert from "node:assert/strict";
import { chooseName, nameCandidates, nameRoots } from "./names.ts";
import { seeded } from "./random.ts";

const ROOTS: [string, string][] = [
  ["harvest", "the reward of a season's work"],
  ["furrow", "the line every harvest grows from"],
  ["sprout", "something fresh"],
  ["acre", "land someone tends"],
  ["orchard", "abundance"],
];

Deno.test("name candidates cover several strategies and never use the directive's words", () => {
  for (let seed = 0; seed < 50; seed++) {
    const candidates = nameCandidates(ROOTS, {
      banned: ["farmers", "sell", "vegetable", "boxes", "harvest"],
      random: seeded(seed, "names"),
      domain: "farm boxes",
    });
    const strategies = new Set(candidates.map((c) => c.strategy));
    for (const strategy of ["metaphor", "compound", "suffix"]) {
      assert.ok(strategies.has(strategy as never), `seed ${seed} lacks ${strategy}`);
    }
    assert.ok(candidates.length >= 4);
    for (const candidate of candidates) {
      assert.ok(!candidate.name.toLowerCase().includes("harvest"), candidate.name);
      assert.match(candidate.name, /^[A-Z][A-Za-z]+$/);
      assert.ok(candidate.rationale.length > 20);
    }
    assert.equal(new Set(candidates.map((c) => c.name.toLowerCase())).size, candidates.length);
  }
});

Deno.test("blends are sayable portmanteaus of two roots", () => {
  let blends = 0;
  for (let seed = 0; seed < 50; seed++) {
    const candidates = nameCandidates(ROOTS, {
      banned: [],
      random: seeded(seed, "n"),
      domain: "x",
    });
    for (const blend of candidates.filter((c) => c.strategy === "blend")) {
      blends++;
      assert.ok(blend.name.length >= 5 && blend.name.length <= 9, blend.name);
      assert.doesNotMatch(blend.name.toLowerCase(), /[^aeiouy]{3}/);
    }
  }
  assert.ok(blends >= 25, `only ${blends} blends in 50 seeds`);
});

Deno.test("domain roots come before archetype roots; choice is deterministic", () => {
  const roots = nameRoots(new Set(["dog"]), {
    fallback: [["chime", "a reminder"]],
    random: seeded(1, "r"),
  });
  assert.equal(roots.at(-1)?.[0], "chime");
  assert.ok(["paw", "whisker", "wag", "fetch", "collar", "snout"].includes(roots[0][0]));
  const candidates = nameCandidates(roots, { banned: [], random: seeded(1, "n"), domain: "x" });
  assert.deepEqual(chooseName(candidates, seeded(1, "c")), chooseName(candidates, seeded(1, "c")));
});
