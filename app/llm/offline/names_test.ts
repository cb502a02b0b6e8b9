import assert from "node:assert/strict";
import { chooseName, nameCandidates, nameRoots, pronounceable } from "./names.ts";
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

Deno.test("pronounceable accepts smooth blends and rejects pile-ups and awkward endings", () => {
  const cases: [name: string, expected: boolean][] = [
    ["Treloom", true],
    ["Lumecall", true],
    ["Meadling", true],
    ["Bushard", true],
    ["Signalay", true],
    ["Rulencil", true],
    ["Squard", true],
    ["Pursest", true],
    ["Harveshel", false],
    ["Ledgeipt", false],
    ["Vigilse", false],
    ["Coince", false],
    ["Simmerumb", false],
    ["Ateliln", false],
    ["Frequdio", false],
    ["Borrorch", false],
    ["Sockctor", false],
    ["Aeiron", false],
    ["Strnd", false],
  ];
  for (const [name, expected] of cases) assert.equal(pronounceable(name), expected, name);
});

Deno.test("blends are pronounceable portmanteaus of two roots", () => {
  let blends = 0;
  for (let seed = 0; seed < 50; seed++) {
    const candidates = nameCandidates(ROOTS, {
      banned: [],
      random: seeded(seed, "n"),
      domain: "x",
    });
    for (const blend of candidates.filter((c) => c.strategy === "blend")) {
      blends++;
      assert.ok(pronounceable(blend.name), blend.name);
    }
  }
  assert.ok(blends >= 25, `only ${blends} blends in 50 seeds`);
});

Deno.test("when no two roots blend into a sayable word, a second compound takes the slot", () => {
  const short: [string, string][] = [
    ["paw", "a friendly handshake"],
    ["wag", "a happy pet"],
    ["jar", "saving a little"],
    ["kit", "everything you need"],
    ["amp", "a louder voice"],
  ];
  for (let seed = 0; seed < 20; seed++) {
    const candidates = nameCandidates(short, {
      banned: [],
      random: seeded(seed, "n"),
      domain: "x",
    });
    assert.ok(!candidates.some((c) => c.strategy === "blend"));
    assert.equal(candidates.filter((c) => c.strategy === "compound").length, 2, `seed ${seed}`);
  }
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
