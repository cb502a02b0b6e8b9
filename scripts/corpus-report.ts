/**
 * Scores today's offline engine on the v2 corpus (tests/fixtures/corpus_v2.json): coverage,
 * grounding, generic entities, grammar hits and distinctness per split, the 15 worst
 * directives with what they miss, and generation timing.
 *
 * The worst list shows the tune split unless asked otherwise: tune the engine on it and
 * read the holdout only as figures.
 *
 *   deno run -A scripts/corpus-report.ts                 # the report, worst of the tune split
 *   deno run -A scripts/corpus-report.ts --split all     # worst of the whole corpus (or holdout)
 *   deno run -A scripts/corpus-report.ts --json     # figures as JSON
 *   deno run -A scripts/corpus-report.ts --write-splits # re-apply the split rule to the fixture
 */
import { parseArgs } from "node:util";
import { generateStage } from "../app/llm/offline/mod.ts";
import {
  assignSplits,
  blueprintOf,
  corpusSchema,
  crossDomainCoverage,
  distinctness,
  type EntryScore,
  scoreEntry,
  type Split,
  summarise,
  worst,
} from "../tests/support/corpus_score.ts";

const FIXTURE = new URL("../tests/fixtures/corpus_v2.json", import.meta.url);

const { values } = parseArgs({
  args: Deno.args,
  options: {
    split: { type: "string", default: "tune" },
    json: { type: "boolean", default: false },
    "write-splits": { type: "boolean", default: false },
    worst: { type: "string", default: "15" },
  },
});

const corpus = corpusSchema.parse(JSON.parse(await Deno.readTextFile(FIXTURE)));

if (values["write-splits"]) {
  const splits = assignSplits(corpus.directives);
  const changed = corpus.directives.filter((entry, i) => entry.split !== splits[i]).length;
  corpus.directives.forEach((entry, i) => (entry.split = splits[i]));
  await Deno.writeTextFile(FIXTURE, `${JSON.stringify(corpus, null, 2)}\n`);
  console.log(`splits re-applied: ${changed} changed`);
  Deno.exit(0);
}

const timings: number[] = [];
const blueprints = corpus.directives.map((entry) => {
  const started = performance.now();
  const blueprint = blueprintOf(generateStage, entry.directive);
  timings.push(performance.now() - started);
  return blueprint;
});
const scores: EntryScore[] = corpus.directives.map((entry, i) =>
  scoreEntry(entry, blueprints[i], corpus.genericEntities)
);
const crossCoverage = crossDomainCoverage(corpus.directives, blueprints);

const groups: [string, EntryScore[]][] = [
  ["tune", scores.filter((s) => s.split === "tune")],
  ["holdout", scores.filter((s) => s.split === "holdout")],
  ["all", scores],
];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const sortedTimes = [...timings].sort((a, b) => a - b);
const figures = groups.map(([name, group]) => {
  const summary = summarise(group);
  const distinct = distinctness(group);
  return { split: name, ...summary, distinctMax: distinct.max, distinctMean: distinct.mean };
});

if (!["tune", "holdout", "all"].includes(values.split)) {
  console.error("--split is tune, holdout or all");
  Deno.exit(2);
}
const pick = values.split === "all" ? undefined : values.split as Split;
const worstOf = worst(pick ? scores.filter((s) => s.split === pick) : scores, Number(values.worst));
const all = distinctness(scores);

if (values.json) {
  console.log(JSON.stringify(
    {
      figures,
      crossCoverage,
      timing: { p50: quantile(sortedTimes, 0.5), p95: quantile(sortedTimes, 0.95) },
      worst: worstOf,
      distinctOffenders: all.offenders.slice(0, 15),
    },
    null,
    2,
  ));
  Deno.exit(0);
}

const pct = (x: number) => x.toFixed(3);
console.log("split    directives coverage grounding generics(dirs) grammar distinct max/mean");
for (const f of figures) {
  console.log(
    `${f.split.padEnd(8)} ${String(f.directives).padStart(10)} ${pct(f.coverage).padStart(8)} ${
      pct(f.grounding).padStart(9)
    } ${`${f.genericEntities}(${f.directivesWithGenerics})`.padStart(14)} ${
      String(f.grammarHits).padStart(7)
    } ${pct(f.distinctMax)}/${pct(f.distinctMean)}`,
  );
}
console.log(
  "goals: coverage >= 0.85, grounding >= 0.95, generics 0, grammar 0, distinct max < 0.2",
);
console.log(
  `keys matched by other domains' blueprints: ${
    pct(crossCoverage)
  } (keyword-stuffing check; lower is better)`,
);

console.log(`\nworst ${worstOf.length}${pick ? ` (${pick})` : ""}:`);
for (const s of worstOf) {
  console.log(
    `- [${s.split}] ${s.directive}\n    coverage ${pct(s.coverage)}, grounding ${
      pct(s.grounding)
    }` +
      (s.missedMustHaves.length ? `\n    missed must-haves: ${s.missedMustHaves.join("; ")}` : "") +
      (s.missedEntities.length ? `\n    missed entities: ${s.missedEntities.join(", ")}` : "") +
      (s.genericEntities.length ? `\n    generic: ${s.genericEntities.join(", ")}` : "") +
      `\n    entities: ${s.entityNames.join(", ")}`,
  );
}

const grammar = scores.flatMap((s) => s.grammar);
if (grammar.length > 0) {
  console.log(`\ngrammar hits (${grammar.length}, first 15):`);
  for (const hit of grammar.slice(0, 15)) console.log(`- ${hit.rule}: "${hit.text}" ${hit.detail}`);
}
if (all.offenders.length > 0) {
  console.log(`\ncross-domain pairs sharing >= 20% of feature titles: ${all.offenders.length}`);
  for (const o of all.offenders.slice(0, 5)) {
    console.log(`- ${pct(o.share)} ${o.a} / ${o.b}: ${o.shared.join("; ")}`);
  }
}

const total = timings.reduce((a, b) => a + b, 0);
console.log(
  `\ntiming (product+design+architecture per directive): p50 ${
    quantile(sortedTimes, 0.5).toFixed(1)
  } ms, p95 ${quantile(sortedTimes, 0.95).toFixed(1)} ms, total ${(total / 1000).toFixed(2)} s`,
);
