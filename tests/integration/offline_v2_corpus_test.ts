/**
 * The offline engine on the v2 corpus (tests/fixtures/corpus_v2.json), on the whole corpus and
 * on the held-out split. Issue 11's goals are must-have coverage >= 0.85, entity grounding
 * >= 0.95, no generic entity the directive does not motivate, < 20 % feature titles shared
 * across domains, no grammar slip, same directive → same output. Generic entities, grammar and
 * determinism meet their goals and are asserted as such. Coverage, grounding and distinctness
 * do not yet (see docs/decisions/011-offline-engine-v2.md): they are asserted at the level the
 * engine reached (`FLOORS`, measured 2026-12-03), so a regression fails, and every run prints
 * the figure beside its goal. Raise a floor whenever the engine improves; the goals stay.
 * Edge inputs (tests/fixtures/corpus_edges.json) get the refusal they expect, and no corpus
 * directive is refused. Each directive is generated once; `deno run -A scripts/corpus-report.ts` prints the figures.
 */
import assert from "node:assert/strict";
import corpusJson from "../fixtures/corpus_v2.json" with { type: "json" };
import edgesJson from "../fixtures/corpus_edges.json" with { type: "json" };
import { directiveProblem } from "../../app/llm/offline/edges.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";
import {
  blueprintOf,
  corpusSchema,
  distinctness,
  edgeCorpusSchema,
  type EntryScore,
  scoreEntry,
  summarise,
  worst,
} from "../support/corpus_score.ts";

const COVERAGE_GOAL = 0.85;
const GROUNDING_GOAL = 0.95;
const DISTINCT_BOUND = 0.2;

/**
 * What the engine reached on 2026-12-03, session 20 (scripts/corpus-report.ts: whole corpus
 * coverage 0.879, grounding 0.898; holdout 0.829, 0.896; max share of titles across domains
 * 0.500 with 36 pairs at or over 0.2, holdout 0.231 with 3; session 21), less a rounding margin. Never lower
 * these to make a change pass.
 */
const FLOORS = {
  "whole corpus": { coverage: 0.875, grounding: 0.895, maxShare: 0.5, pairsOver: 36 },
  holdout: { coverage: 0.825, grounding: 0.89, maxShare: 0.24, pairsOver: 3 },
} as const;

function figure(name: string, measure: string, value: number, goal: string) {
  console.log(`corpus: ${name}: ${measure} = ${value.toFixed(3)} (issue 11 goal ${goal})`);
}

const corpus = corpusSchema.parse(corpusJson);
const blueprints = corpus.directives.map((entry) => blueprintOf(generateStage, entry.directive));
const scores = corpus.directives.map((entry, i) =>
  scoreEntry(entry, blueprints[i], corpus.genericEntities)
);
const splits: [string, EntryScore[]][] = [
  ["whole corpus", scores],
  ["holdout", scores.filter((s) => s.split === "holdout")],
];

function listing(lines: string[], more: number): string {
  return `\n  ${lines.join("\n  ")}${more > 0 ? `\n  … and ${more} more` : ""}`;
}

Deno.test("must-have coverage holds its measured floor on the corpus and the holdout (goal 0.85)", () => {
  for (const [name, group] of splits) {
    const { coverage } = summarise(group);
    figure(name, "coverage", coverage, `>= ${COVERAGE_GOAL}`);
    const floor = FLOORS[name as keyof typeof FLOORS].coverage;
    const missing = worst(group, 15).filter((s) => s.missedMustHaves.length > 0);
    assert.ok(
      coverage >= floor,
      `${name}: coverage ${coverage.toFixed(3)} fell below ${floor}; worst directives:` +
        listing(
          missing.map((s) =>
            `[${s.domain}] ${s.directive} — missed: ${s.missedMustHaves.join("; ")}`
          ),
          group.filter((s) => s.missedMustHaves.length > 0).length - missing.length,
        ),
    );
  }
});

Deno.test("entity grounding holds its measured floor on the corpus and the holdout (goal 0.95)", () => {
  for (const [name, group] of splits) {
    const { grounding } = summarise(group);
    figure(name, "grounding", grounding, `>= ${GROUNDING_GOAL}`);
    const floor = FLOORS[name as keyof typeof FLOORS].grounding;
    const ungrounded = group.filter((s) => s.missedEntities.length > 0)
      .sort((a, b) => a.grounding - b.grounding);
    assert.ok(
      grounding >= floor,
      `${name}: grounding ${grounding.toFixed(3)} fell below ${floor}; worst directives:` +
        listing(
          ungrounded.slice(0, 15).map((s) =>
            `[${s.domain}] ${s.directive} — missing ${s.missedEntities.join(", ")}; has ${
              s.entityNames.join(", ")
            }`
          ),
          ungrounded.length - 15,
        ),
    );
  }
});

Deno.test("no blueprint has a generic entity its directive does not ask for", () => {
  for (const [name, group] of splits) {
    const offenders = group.filter((s) => s.genericEntities.length > 0);
    assert.equal(
      offenders.length,
      0,
      `${name}: ${
        summarise(group).genericEntities
      } unmotivated generic entities in ${offenders.length} blueprints:` +
        listing(
          offenders.slice(0, 15).map((s) => `${s.directive} — ${s.genericEntities.join(", ")}`),
          offenders.length - 15,
        ),
    );
  }
});

Deno.test("feature titles shared across domains hold their measured floor (goal: every pair < 20 %)", () => {
  for (const [name, group] of splits) {
    const result = distinctness(group, DISTINCT_BOUND);
    figure(name, "max share of feature titles across domains", result.max, `< ${DISTINCT_BOUND}`);
    figure(name, "pairs at or over 20 %", result.offenders.length, "0");
    const floor = FLOORS[name as keyof typeof FLOORS];
    assert.ok(
      result.max <= floor.maxShare && result.offenders.length <= floor.pairsOver,
      `${name}: max share ${
        result.max.toFixed(3)
      } (floor ${floor.maxShare}), ${result.offenders.length} pairs over (floor ${floor.pairsOver}); mean ${
        result.mean.toFixed(3)
      }), ${result.offenders.length} pairs at or over ${DISTINCT_BOUND}:` +
        listing(
          result.offenders.slice(0, 10).map((o) =>
            `${o.share.toFixed(2)} "${o.a}" / "${o.b}": ${o.shared.join("; ")}`
          ),
          result.offenders.length - 10,
        ),
    );
  }
});

Deno.test("no feature title, screen name or entity name has a grammar slip", () => {
  const hits = scores.flatMap((s) => s.grammar.map((hit) => ({ ...hit, directive: s.directive })));
  assert.equal(
    hits.length,
    0,
    `${hits.length} grammar hits:` +
      listing(
        hits.slice(0, 20).map((h) => `${h.rule}: "${h.text}" ${h.detail} (${h.directive})`),
        hits.length - 20,
      ),
  );
});

Deno.test("the same directive gives the same blueprint (first directive of every domain)", () => {
  const seen = new Set<string>();
  corpus.directives.forEach((entry, i) => {
    if (seen.has(entry.domain)) return;
    seen.add(entry.domain);
    assert.deepEqual(blueprintOf(generateStage, entry.directive), blueprints[i], entry.directive);
  });
});

Deno.test("edge inputs get their honest refusal; no corpus directive is refused", () => {
  const edges = edgeCorpusSchema.parse(edgesJson).edges;
  const wrong = edges
    .map((edge) => ({ ...edge, actual: directiveProblem(edge.directive)?.kind ?? "blueprint" }))
    .filter((edge) => edge.actual !== edge.expected);
  assert.deepEqual(
    wrong.map((edge) => `${edge.directive}: expected ${edge.expected}, got ${edge.actual}`),
    [],
  );
  const refused = corpus.directives
    .map((entry) => ({ directive: entry.directive, problem: directiveProblem(entry.directive) }))
    .filter((entry) => entry.problem !== null);
  assert.deepEqual(refused.map((entry) => `${entry.directive}: ${entry.problem?.kind}`), []);
});
