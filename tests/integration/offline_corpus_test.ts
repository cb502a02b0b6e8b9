/**
 * The offline engine over the directive corpus: every stage valid and normalised, every
 * reference resolved, every text free of grammar slips and rendering leftovers, palettes at
 * AA, file paths safe, output deterministic, and distinct directives visibly distinct.
 */
import assert from "node:assert/strict";
import corpus from "../fixtures/directives.json" with { type: "json" };
import { normaliseStage, safeFilePath } from "../../app/blueprint/normalise.ts";
import {
  AA_RATIO,
  contrastRatio,
  REQUIRED_TEXT_PAIRS,
  roleHex,
} from "../../app/blueprint/colour.ts";
import { type StageOutputs, stageSchemas } from "../../app/blueprint/schemas.ts";
import { STAGE_DEPENDENCIES, STAGE_NAMES } from "../../app/blueprint/stages.ts";
import { analyse } from "../../app/llm/offline/analyse.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";

interface Entry {
  directive: string;
  archetype?: string;
  hostile?: boolean;
}

const entries: Entry[] = corpus.directives;

/** Runs the stages in dependency order, each output normalised before it feeds the next. */
function run(directive: string): StageOutputs {
  const outputs: Partial<StageOutputs> = {};
  for (const stage of STAGE_NAMES) {
    for (const dep of STAGE_DEPENDENCIES[stage]) assert.ok(outputs[dep], `${stage} before ${dep}`);
    const raw = generateStage(stage, directive, outputs);
    (outputs as Record<string, unknown>)[stage] = normaliseStage(stage, raw as never, outputs);
  }
  return outputs as StageOutputs;
}

const blueprints = entries.map((entry) => ({ ...entry, outputs: run(entry.directive) }));

/** Every string inside a value. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null) return [];
  return Object.values(value).flatMap(strings);
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const shared = [...a].filter((item) => b.has(item)).length;
  return shared / (a.size + b.size - shared);
}

Deno.test("the corpus has at least 30 directives, a few of them hostile", () => {
  assert.ok(entries.filter((e) => !e.hostile).length >= 30);
  assert.ok(entries.filter((e) => e.hostile).length >= 2);
});

Deno.test("every stage of every blueprint is schema-valid and unchanged by normalisation", () => {
  for (const { directive } of entries) {
    const outputs: Partial<StageOutputs> = {};
    for (const stage of STAGE_NAMES) {
      const raw = generateStage(stage, directive, outputs);
      const parsed = stageSchemas[stage].safeParse(raw);
      assert.ok(parsed.success, `${directive} / ${stage}: ${parsed.error?.message}`);
      assert.deepEqual(
        normaliseStage(stage, raw as never, outputs),
        raw,
        `${directive} / ${stage}`,
      );
      (outputs as Record<string, unknown>)[stage] = raw;
    }
  }
});

Deno.test("directives land in their expected archetypes, covering at least 10", () => {
  const hit = new Set<string>();
  for (const { directive, archetype } of entries) {
    const actual = analyse(directive).archetype.id;
    hit.add(actual);
    if (archetype) assert.equal(actual, archetype, directive);
  }
  assert.ok(hit.size >= 10, `only ${hit.size} archetypes: ${[...hit].join(", ")}`);
});

Deno.test("every cross-reference resolves", () => {
  for (const { directive, outputs } of blueprints) {
    const { product, design, architecture } = outputs;
    const featureIds = new Set(product.features.map((f) => f.id));
    const screenIds = new Set(design.screens.map((s) => s.id));
    const entityNames = new Set(architecture.dataModel.entities.map((e) => e.name));
    const at = (what: string) => `${directive}: ${what}`;

    assert.equal(featureIds.size, product.features.length, at("feature ids unique"));
    assert.equal(screenIds.size, design.screens.length, at("screen ids unique"));
    assert.equal(entityNames.size, architecture.dataModel.entities.length, at("entities unique"));
    for (const screen of design.screens) {
      for (const id of screen.features) {
        assert.ok(featureIds.has(id), at(`screen ${screen.id} → ${id}`));
      }
    }
    for (const item of design.navigation.items) assert.ok(screenIds.has(item.screenId), at("nav"));
    for (const flow of design.flows) {
      for (const step of flow.steps) assert.ok(screenIds.has(step.screenId), at(`flow ${flow.id}`));
    }
    for (const feature of product.features.filter((f) => f.priority === "P0")) {
      assert.ok(
        design.screens.some((s) => s.features.includes(feature.id)),
        at(`${feature.id} screen`),
      );
      assert.ok(
        architecture.endpoints.some((e) => e.features.includes(feature.id)),
        at(`${feature.id} endpoint`),
      );
    }
    for (const endpoint of architecture.endpoints) {
      assert.ok(
        entityNames.has(endpoint.entity),
        at(`endpoint ${endpoint.id} → ${endpoint.entity}`),
      );
      for (const id of endpoint.features) assert.ok(featureIds.has(id), at(`endpoint → ${id}`));
    }
    for (const entity of architecture.dataModel.entities) {
      for (const field of entity.fields) {
        if (field.references) {
          assert.ok(entityNames.has(field.references), at(`${entity.name}.${field.name}`));
        }
      }
      for (const relation of entity.relations) {
        assert.ok(entityNames.has(relation.target), at(entity.name));
      }
    }
  }
});

Deno.test("no template placeholder survives into any text", () => {
  for (const { directive, outputs } of blueprints) {
    const { code: _code, ...specs } = outputs;
    for (const text of strings(specs)) {
      assert.doesNotMatch(
        text,
        /\{[A-Za-z]+\}|\$[PSOpso]\b|undefined|NaN/,
        `${directive}: ${text}`,
      );
    }
  }
});

/** Words with a vowel letter but a consonant sound ("a user", "a one-off"), and the reverse. */
const CONSONANT_SOUND =
  /^(?:uni(?!n[^aeiou]|mp)|us[aeu]|ut[ei]|ur[aeio]|eu|ewe|one(?![a-z])|once)/i;
const VOWEL_SOUND = /^(?:hour|honest|honou?r|heir)/i;

/** Whether "an" (not "a") goes before a word: by sound, acronyms by their first letter's name. */
function takesAn(word: string): boolean {
  if (/^[A-Z][A-Z0-9]+s?$/.test(word)) return /^[AEFHILMNORSX]/.test(word);
  if (VOWEL_SOUND.test(word)) return true;
  return /^[aeiou]/i.test(word) && !CONSONANT_SOUND.test(word);
}

/** Grammar and rendering defects a reader would notice in one piece of prose. */
function proseDefects(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/\b([A-Za-z]+)\s+\1\b/gi)) {
    found.push(`doubled word "${match[0]}"`);
  }
  for (const match of text.matchAll(/(?<![\w'-])(an?)\s+([A-Za-z][\w'-]*)/gi)) {
    const [phrase, word, next] = match;
    const an = word.toLowerCase() === "an";
    if (an !== takesAn(next)) found.push(`wrong article "${phrase}"`);
  }
  if (/ {2}/.test(text)) found.push("double space");
  if (/\(\s*\)/.test(text)) found.push("empty parentheses");
  const leaked = text.match(/\b(?:undefined|null|NaN)\b|\[object/);
  if (leaked) found.push(`leaked "${leaked[0]}"`);
  const lower = text.match(/(?<!\b(?:e\.g|i\.e|etc|vs))\.\s+[a-z]\w*/);
  if (lower) found.push(`lowercase sentence start "${lower[0]}"`);
  return found;
}

/** The prose inside a generated file: markdown text, HTML text and comments, not code. */
function fileProse(file: { language: string; content: string }): string[] {
  if (file.language === "markdown") {
    return file.content.replace(/```[\s\S]*?```/g, "").replace(/`[^`]*`/g, "code")
      .split("\n").flatMap((line) => line.split("|")).map((part) =>
        part.replace(/^[#>*\s-]+/, "").trim()
      )
      .filter(Boolean);
  }
  const comments = [...file.content.matchAll(/(?:\/\/|--|^\s*#|\/\*|<!--)\s?(.*?)(?:\*\/|-->|$)/gm)]
    .map((match) => match[1].trim());
  const text = file.language === "html"
    ? [...file.content.matchAll(/>([^<]+)</g)].map((match) =>
      match[1].replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").trim()
    )
    : [];
  return [...comments, ...text].filter(Boolean);
}

Deno.test("the defect scan catches each kind of defect and passes clean prose", () => {
  const cases: [text: string, defective: boolean][] = [
    ["Independent independent dog groomers", true],
    ["the the", true],
    ["A booking page a independent dog groomer can set up", true],
    ["An booking page", true],
    ["A user, a unique link, an hour, an SMS, a one-off fee, an FAQ and a URL", false],
    ["Two  spaces", true],
    ["Sections () left empty", true],
    ["Price: undefined", true],
    ["Owner: null", true],
    ["Shown as [object Object]", true],
    ["Total NaN", true],
    ["It works. then it fails", true],
    ["Bring snacks, e.g. fruit. Then leave.", false],
  ];
  for (const [text, defective] of cases) {
    assert.equal(proseDefects(text).length > 0, defective, text);
  }
});

Deno.test("no blueprint text has doubled words, wrong articles or rendering leftovers", () => {
  const defects: string[] = [];
  for (const { directive, outputs } of blueprints) {
    const { code, ...specs } = outputs;
    // File contents are code: only their prose (comments, markdown, page text) is read.
    const files = code.files.map(({ content: _content, ...file }) => file);
    const texts = [
      ...strings(specs),
      ...strings({ ...code, files }),
      ...code.files.flatMap(fileProse),
    ];
    for (const text of texts) {
      for (const defect of proseDefects(text)) defects.push(`${directive}: ${defect} in "${text}"`);
    }
  }
  assert.deepEqual(defects, []);
});

Deno.test("every palette's text pairs pass WCAG AA, and the table says so truthfully", () => {
  for (const { directive, outputs: { brand } } of blueprints) {
    const pairs = new Set(brand.contrast.map((row) => `${row.foreground}/${row.background}`));
    for (const pair of REQUIRED_TEXT_PAIRS) {
      assert.ok(
        pairs.has(`${pair.foreground}/${pair.background}`),
        `${directive}: ${pair.foreground}`,
      );
    }
    for (const row of brand.contrast) {
      const ratio = contrastRatio(
        roleHex(brand.palette, row.foreground),
        roleHex(brand.palette, row.background),
      );
      assert.ok(ratio >= AA_RATIO, `${directive}: ${row.foreground} on ${row.background} ${ratio}`);
      assert.ok(row.passesAA && row.ratio <= ratio && ratio - row.ratio < 0.01);
    }
  }
});

Deno.test("generated files have safe, unique, non-empty paths and real content", () => {
  for (const { directive, outputs: { code } } of blueprints) {
    const paths = code.files.map((file) => file.path);
    assert.equal(new Set(paths).size, paths.length, directive);
    for (const file of code.files) {
      assert.ok(file.path.length > 0 && safeFilePath(file.path) === file.path, file.path);
      assert.doesNotMatch(file.path, /(^|\/)\.\.?(\/|$)|^\/|\\/);
      assert.ok(file.content.trim().length > 0, `${directive}: ${file.path} is empty`);
    }
    assert.ok(paths.includes(code.entrypoint));
    const required = [
      "README.md",
      "db/migrations/001_schema.sql",
      "src/main.ts",
      "web/styles/tokens.css",
    ];
    for (const path of required) assert.ok(paths.includes(path), `${directive}: ${path}`);
    for (const required of ["tests/api_smoke.ts"]) {
      assert.ok(paths.includes(required), `${directive}: ${required}`);
    }
  }
});

Deno.test("hostile directives come out only as plain text", () => {
  for (const { directive, outputs } of blueprints.filter((b) => b.hostile)) {
    const { code, ...specs } = outputs;
    for (const text of strings(specs)) {
      assert.doesNotMatch(
        text,
        /[<>`]|onerror|javascript:|system prompt|rm -rf|passwd/i,
        directive,
      );
    }
    for (const file of code.files) {
      // The one script every page loads is the starter's own client (web/app.js).
      assert.doesNotMatch(
        file.content.replaceAll('<script type="module" src="/app.js"></script>', ""),
        /<script|onerror|<!--|DROP TABLE|passwd|rm -rf/i,
        file.path,
      );
    }
  }
});

Deno.test("distinct directives get distinct names and feature sets", () => {
  const names = blueprints.map((b) => b.outputs.brand.chosenName.toLowerCase());
  const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
  assert.deepEqual(duplicates, [], "chosen names are all distinct");

  for (const { directive, outputs: { brand } } of blueprints) {
    const words = directive.toLowerCase().split(/[^a-z]+/).filter((word) => word.length >= 4);
    for (const candidate of brand.nameCandidates) {
      for (const word of words) {
        assert.ok(!candidate.name.toLowerCase().includes(word), candidate.name);
      }
    }
  }

  // Feature titles are built from each directive's own actors and objects, so products of
  // different archetypes should share (almost) nothing: measured 0.0 on this corpus. Within an
  // archetype, catalogue features like "Working hours and availability" recur by design
  // (measured up to 0.8), but no two directives may come out identical.
  const normal = blueprints.filter((b) => !b.hostile).map((b) => ({
    directive: b.directive,
    archetype: analyse(b.directive).archetype.id,
    titles: new Set(b.outputs.product.features.map((f) => f.title.toLowerCase())),
  }));
  for (let i = 0; i < normal.length; i++) {
    for (let j = i + 1; j < normal.length; j++) {
      const [a, b] = [normal[i], normal[j]];
      const overlap = jaccard(a.titles, b.titles);
      const bound = a.archetype === b.archetype ? 0.85 : 0.1;
      assert.ok(overlap <= bound, `${a.directive} / ${b.directive}: ${overlap.toFixed(2)}`);
    }
  }
});

Deno.test("same corpus, same blueprints", () => {
  for (const { directive, outputs } of blueprints.slice(0, 12)) {
    assert.deepEqual(run(directive), outputs, directive);
  }
});
