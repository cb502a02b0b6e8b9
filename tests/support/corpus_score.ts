/**
 * Scoring of offline blueprints against the v2 corpus answer keys (issue 11, "How it is
 * checked"): must-have coverage, entity grounding, unmotivated generic entities,
 * distinctness across domains and a grammar lint of feature and screen titles. Pure
 * functions: the caller generates the blueprints.
 */
import { z } from "zod";
import type { ArchitectureSpec, DesignSpec, ProductSpec } from "../../app/blueprint/schemas.ts";

/** A regex source that compiles case-insensitively. */
const pattern = z.string().min(1).max(300).refine((source) => {
  try {
    new RegExp(source, "i");
    return true;
  } catch {
    return false;
  }
}, "not a valid regular expression");

export const answerKeySchema = z.object({ label: z.string().min(1).max(80), pattern });
export type AnswerKey = z.infer<typeof answerKeySchema>;

export const SPLITS = ["tune", "holdout"] as const;
export type Split = (typeof SPLITS)[number];

/** Share of each domain's directives kept out of tuning. */
export const HOLDOUT_SHARE = 0.3;

const wordCount = (text: string) => text.trim().split(/\s+/).length;

export const corpusEntrySchema = z.object({
  directive: z.string().min(1).max(300).refine(
    (text) => wordCount(text) >= 6 && wordCount(text) <= 30,
    "a directive has 6 to 30 words",
  ),
  domain: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  split: z.enum(SPLITS),
  mustHaves: z.array(answerKeySchema).length(5),
  entities: z.array(answerKeySchema).min(2).max(3),
});
export type CorpusEntry = z.infer<typeof corpusEntrySchema>;

/** A generic entity name and the directive words (lemmas or synonyms) that motivate it. */
export const genericEntitySchema = z.object({
  name: z.string().regex(/^[A-Z][A-Za-z]*$/),
  motivatedBy: z.array(z.string().min(1)).min(1),
});
export type GenericEntity = z.infer<typeof genericEntitySchema>;

export const corpusSchema = z.object({
  description: z.string().min(1),
  genericEntities: z.array(genericEntitySchema).min(1),
  directives: z.array(corpusEntrySchema).min(1),
}).superRefine((corpus, ctx) => {
  const seen = new Set<string>();
  for (const [i, entry] of corpus.directives.entries()) {
    const key = normaliseDirective(entry.directive);
    if (seen.has(key)) {
      ctx.addIssue({ code: "custom", path: ["directives", i], message: "duplicate directive" });
    }
    seen.add(key);
  }
});
export type Corpus = z.infer<typeof corpusSchema>;

export const EDGE_OUTCOMES = ["non-english", "no-product"] as const;

export const edgeCorpusSchema = z.object({
  description: z.string().min(1),
  edges: z.array(z.object({
    directive: z.string().min(1).max(300),
    expected: z.enum(EDGE_OUTCOMES),
    /** BCP 47 tag of the directive's language; null for no-product inputs. */
    language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z]+)?$/).nullable(),
  })).min(1),
});
export type EdgeCorpus = z.infer<typeof edgeCorpusSchema>;

/** The three stages a blueprint is scored on. */
export interface Blueprint {
  product: ProductSpec;
  design: DesignSpec;
  architecture: ArchitectureSpec;
}

type Generate = <S extends "product" | "design" | "architecture">(
  stage: S,
  directive: string,
  inputs: Record<string, unknown>,
) => Blueprint[S];

/** Generates the scored stages once each, design and architecture from that product. */
export function blueprintOf(generate: Generate, directive: string): Blueprint {
  const product = generate("product", directive, {});
  return {
    product,
    design: generate("design", directive, { product }),
    architecture: generate("architecture", directive, { product }),
  };
}

function normaliseDirective(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

/** "EscalationPolicy" → "Escalation Policy", so word-bounded patterns match entity names. */
export function spaceWords(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2");
}

/** The texts must-haves are matched against, one by one. */
export function capabilityTexts(blueprint: Blueprint): string[] {
  const features = blueprint.product.features.filter((f) => f.priority !== "P2");
  return [
    ...features.flatMap((f) => [f.title, f.description]),
    ...blueprint.design.screens.flatMap((s) => [s.name, s.purpose]),
    ...entityNames(blueprint).flatMap((name) => [name, spaceWords(name)]),
  ];
}

function entityNames(blueprint: Blueprint): string[] {
  return blueprint.architecture.dataModel.entities.map((e) => e.name);
}

function matchesAny(key: AnswerKey, texts: readonly string[]): boolean {
  const regex = new RegExp(key.pattern, "i");
  return texts.some((text) => regex.test(text));
}

/** A crude lemma: lower case, common plural and verb endings removed. */
export function lemma(word: string): string {
  const w = word.toLowerCase();
  if (w.length <= 3) return w;
  if (w.endsWith("ies") && w.length > 4) return `${w.slice(0, -3)}y`;
  if (/(ches|shes|sses|xes|zes)$/.test(w)) return w.slice(0, -2);
  if (w.endsWith("ing") && w.length > 5) return w.slice(0, -3);
  if (w.endsWith("ed") && w.length > 4) return w.slice(0, -2);
  if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) return w.slice(0, -1);
  return w;
}

function lemmas(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).map(lemma);
}

/** Whether one of the generic entity's motivating words (by lemma) occurs in the directive. */
export function isMotivated(generic: GenericEntity, directive: string): boolean {
  const words = lemmas(directive);
  const text = ` ${words.join(" ")} `;
  return [generic.name, ...generic.motivatedBy].some((phrase) => {
    const wanted = lemmas(spaceWords(phrase)).map((w) => stem(w));
    if (wanted.length === 0) return false;
    if (wanted.length === 1) return words.some((w) => stem(w) === wanted[0]);
    return text.includes(` ${lemmas(spaceWords(phrase)).join(" ")} `);
  });
}

/** Folds the remaining inflection differences ("notify"/"notif", "share"/"shar"). */
function stem(word: string): string {
  return word.replace(/(e|y|i)$/, "");
}

/** The blueprint's entities that are generic names (or end in one) the directive does not motivate. */
export function unmotivatedGenerics(
  blueprint: Blueprint,
  directive: string,
  generics: readonly GenericEntity[],
): string[] {
  const hits: string[] = [];
  for (const name of entityNames(blueprint)) {
    const head = spaceWords(name).split(" ").at(-1)!.toLowerCase();
    const generic = generics.find((g) =>
      g.name.toLowerCase() === name.toLowerCase() || g.name.toLowerCase() === head
    );
    if (generic && !isMotivated(generic, directive)) hits.push(name);
  }
  return hits;
}

export interface EntryScore {
  directive: string;
  domain: string;
  split: Split;
  mustHaveCount: number;
  coverage: number;
  missedMustHaves: string[];
  entityCount: number;
  grounding: number;
  missedEntities: string[];
  genericEntities: string[];
  entityNames: string[];
  featureTitles: string[];
  grammar: LintHit[];
}

/** Scores one blueprint against its corpus entry. */
export function scoreEntry(
  entry: CorpusEntry,
  blueprint: Blueprint,
  generics: readonly GenericEntity[],
): EntryScore {
  const texts = capabilityTexts(blueprint);
  const names = entityNames(blueprint).flatMap((name) => [name, spaceWords(name)]);
  const missedMustHaves = entry.mustHaves.filter((key) => !matchesAny(key, texts));
  const missedEntities = entry.entities.filter((key) => !matchesAny(key, names));
  return {
    directive: entry.directive,
    domain: entry.domain,
    split: entry.split,
    mustHaveCount: entry.mustHaves.length,
    coverage: (entry.mustHaves.length - missedMustHaves.length) / entry.mustHaves.length,
    missedMustHaves: missedMustHaves.map((key) => key.label),
    entityCount: entry.entities.length,
    grounding: (entry.entities.length - missedEntities.length) / entry.entities.length,
    missedEntities: missedEntities.map((key) => key.label),
    genericEntities: unmotivatedGenerics(blueprint, entry.directive, generics),
    entityNames: entityNames(blueprint),
    featureTitles: blueprint.product.features.map((f) => f.title),
    grammar: lintBlueprint(blueprint),
  };
}

/**
 * Keyword-stuffing check: the share of each entry's must-haves matched by the blueprint of
 * one directive (the first) of every other domain. Low for grounded blueprints; it rises
 * when blueprints carry the same catch-all vocabulary whatever the directive.
 */
export function crossDomainCoverage(
  entries: readonly CorpusEntry[],
  blueprints: readonly Blueprint[],
): number {
  const firsts = new Map<string, number>();
  entries.forEach((entry, i) => {
    if (!firsts.has(entry.domain)) firsts.set(entry.domain, i);
  });
  const texts = new Map([...firsts].map(([domain, i]) => [domain, capabilityTexts(blueprints[i])]));
  let keys = 0;
  let hits = 0;
  for (const entry of entries) {
    for (const [domain, other] of texts) {
      if (domain === entry.domain) continue;
      for (const key of entry.mustHaves) {
        keys++;
        if (matchesAny(key, other)) hits++;
      }
    }
  }
  return keys === 0 ? 0 : hits / keys;
}

export interface Distinctness {
  /** Largest share of feature titles two directives of different domains have in common. */
  max: number;
  mean: number;
  /** Cross-domain pairs at or above the bound, largest share first. */
  offenders: { a: string; b: string; share: number; shared: string[] }[];
}

function titleKey(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

/**
 * Cross-domain overlap of feature titles. A pair's share is the number of titles in common
 * over the smaller set's size: "shares 20 % of its feature titles" from either side's view.
 */
export function distinctness(
  items: readonly { directive: string; domain: string; featureTitles: readonly string[] }[],
  bound = 0.2,
): Distinctness {
  const sets = items.map((item) => new Set(item.featureTitles.map(titleKey)));
  let max = 0;
  let sum = 0;
  let pairs = 0;
  const offenders: Distinctness["offenders"] = [];
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      if (items[i].domain === items[j].domain) continue;
      const shared = [...sets[i]].filter((title) => sets[j].has(title));
      const smaller = Math.min(sets[i].size, sets[j].size);
      const share = smaller === 0 ? 0 : shared.length / smaller;
      max = Math.max(max, share);
      sum += share;
      pairs++;
      if (share >= bound) {
        offenders.push({ a: items[i].directive, b: items[j].directive, share, shared });
      }
    }
  }
  offenders.sort((x, y) => y.share - x.share);
  return { max, mean: pairs === 0 ? 0 : sum / pairs, offenders };
}

export interface Summary {
  directives: number;
  coverage: number;
  grounding: number;
  genericEntities: number;
  directivesWithGenerics: number;
  grammarHits: number;
}

/** Pooled figures over a set of entry scores: shares of all keys, totals of all hits. */
export function summarise(scores: readonly EntryScore[]): Summary {
  const sum = (f: (s: EntryScore) => number) => scores.reduce((n, s) => n + f(s), 0);
  const mustHaves = sum((s) => s.mustHaveCount);
  const entities = sum((s) => s.entityCount);
  return {
    directives: scores.length,
    coverage: mustHaves === 0 ? 0 : (mustHaves - sum((s) => s.missedMustHaves.length)) / mustHaves,
    grounding: entities === 0 ? 0 : (entities - sum((s) => s.missedEntities.length)) / entities,
    genericEntities: sum((s) => s.genericEntities.length),
    directivesWithGenerics: scores.filter((s) => s.genericEntities.length > 0).length,
    grammarHits: sum((s) => s.grammar.length),
  };
}

/** Worst directives first: lowest coverage, then lowest grounding, then most generics. */
export function worst(scores: readonly EntryScore[], count: number): EntryScore[] {
  return [...scores].sort((a, b) =>
    a.coverage - b.coverage || a.grounding - b.grounding ||
    b.genericEntities.length - a.genericEntities.length || a.directive.localeCompare(b.directive)
  ).slice(0, count);
}

// ---------------------------------------------------------------------------------------
// Splits

/** FNV-1a over the normalised directive: the order of directives within a domain. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The deterministic split rule: the holdout takes round(30 % of the corpus) directives,
 * apportioned to domains by largest remainder of 30 % of their size (ties by domain name),
 * and within a domain the directives with the smallest FNV-1a hashes of their text.
 */
export function assignSplits(
  entries: readonly { directive: string; domain: string }[],
): Split[] {
  const byDomain = new Map<string, number[]>();
  entries.forEach((entry, i) => {
    byDomain.set(entry.domain, [...(byDomain.get(entry.domain) ?? []), i]);
  });
  const domains = [...byDomain.keys()].sort();
  const quota = new Map(domains.map((d) => [d, byDomain.get(d)!.length * HOLDOUT_SHARE]));
  const take = new Map(domains.map((d) => [d, Math.floor(quota.get(d)! + 1e-9)]));
  let left = Math.round(entries.length * HOLDOUT_SHARE) -
    [...take.values()].reduce((a, b) => a + b, 0);
  const byRemainder = [...domains].sort((a, b) =>
    (quota.get(b)! - take.get(b)!) - (quota.get(a)! - take.get(a)!) || a.localeCompare(b)
  );
  for (const domain of byRemainder) {
    if (left <= 0) break;
    take.set(domain, take.get(domain)! + 1);
    left--;
  }
  const splits: Split[] = entries.map(() => "tune");
  for (const domain of domains) {
    const ranked = [...byDomain.get(domain)!].sort((a, b) =>
      fnv1a(normaliseDirective(entries[a].directive)) -
        fnv1a(normaliseDirective(entries[b].directive)) || a - b
    );
    for (const i of ranked.slice(0, take.get(domain)!)) splits[i] = "holdout";
  }
  return splits;
}

// ---------------------------------------------------------------------------------------
// Grammar lint

export interface LintHit {
  rule: string;
  text: string;
  detail: string;
}

/** Particles and prepositions that cannot open an imperative or noun-phrase title. */
const LEADING_PARTICLES = new Set([
  "out",
  "up",
  "off",
  "in",
  "on",
  "into",
  "onto",
  "over",
  "for",
  "to",
  "with",
  "by",
  "of",
  "from",
  "at",
  "about",
  "around",
  "away",
  "back",
  "down",
  "than",
  "via",
  "per",
  "and",
  "or",
  "the",
]);

/** Verbs that take no direct object; a title "Work hikers" is a broken verb phrase. */
const INTRANSITIVE_VERBS = new Set([
  "work",
  "walk",
  "arrive",
  "happen",
  "exist",
  "belong",
  "depend",
  "sleep",
  "wait",
  "go",
  "come",
  "die",
]);

/**
 * Words after which an intransitive verb reads as a noun ("Work orders", "Sleep log") or a
 * complete phrase ("Walk dogs", "Go live", "Wait for approval").
 */
const AFTER_INTRANSITIVE = new Set([
  // noun compounds
  "order",
  "orders",
  "log",
  "logs",
  "schedule",
  "schedules",
  "shift",
  "shifts",
  "hours",
  "item",
  "items",
  "plan",
  "plans",
  "site",
  "sites",
  "history",
  "request",
  "requests",
  "queue",
  "queues",
  "week",
  "time",
  "times",
  "type",
  "types",
  "package",
  "packages",
  "area",
  "areas",
  "space",
  "spaces",
  "flow",
  "flows",
  "load",
  "session",
  "sessions",
  "permit",
  "permits",
  "report",
  "reports",
  "photos",
  "notes",
  "summary",
  "list",
  "lists",
  "estimate",
  "estimates",
  "tracking",
  "diary",
  "trends",
  "patterns",
  "data",
  "chart",
  "charts",
  "goals",
  "route",
  "routes",
  // complete phrases
  "dog",
  "dogs",
  "pet",
  "pets",
  "live",
  "back",
  "through",
  "for",
  "with",
  "in",
  "on",
  "to",
  "and",
  "or",
  "the",
  "your",
  "their",
]);

/** Mass nouns and gerunds that take no plural: "captionings" is a slip. */
const MASS_NOUNS = [
  "captioning",
  "scheduling",
  "tracking",
  "monitoring",
  "planning",
  "staffing",
  "shipping",
  "parking",
  "feedback",
  "information",
  "equipment",
  "software",
  "advice",
  "homework",
  "luggage",
  "furniture",
  "knowledge",
  "childcare",
  "maintenance",
  "clothing",
  "research",
  "training",
  "bookkeeping",
  "beekeeping",
];
const MASS_PLURALS = new Set(MASS_NOUNS.map((word) => `${word}s`));

/** Words spelt with a vowel letter but said with a consonant sound, and the reverse. */
const CONSONANT_SOUND_PREFIXES = [
  "uni",
  "use",
  "usa",
  "usu",
  "uti",
  "ure",
  "uro",
  "eu",
  "one",
  "once",
  "ubiq",
];
const VOWEL_SOUND_PREFIXES = ["hour", "honest", "honou", "honor", "heir"];
/** Letters whose spoken name starts with a vowel sound, for acronyms ("an SMS", "a QR code"). */
const VOWEL_SOUND_LETTERS = new Set("AEFHILMNORSX".split(""));

/** Whether a word is said with a leading vowel sound (for the choice of "a" or "an"). */
export function startsWithVowelSound(word: string): boolean {
  const clean = word.replace(/^[^A-Za-z0-9]+/, "");
  if (clean === "") return false;
  if (/^[0-9]/.test(clean)) return /^(8|11(?![0-9])|18(?![0-9]))/.test(clean);
  const letters = clean.match(/^[A-Za-z]+/)![0];
  if (letters.length >= 2 && letters === letters.toUpperCase()) {
    return VOWEL_SOUND_LETTERS.has(letters[0]);
  }
  const lower = letters.toLowerCase();
  if (VOWEL_SOUND_PREFIXES.some((p) => lower.startsWith(p))) return true;
  if (CONSONANT_SOUND_PREFIXES.some((p) => lower.startsWith(p))) return false;
  return /^[aeiou]/.test(lower);
}

/** Grammar slips in one title; an empty list when it reads right. */
export function lintTitle(text: string): LintHit[] {
  const hits: LintHit[] = [];
  const words = text.split(/\s+/).filter(Boolean);
  const bare = words.map((w) => w.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, ""));
  const lower = bare.map((w) => w.toLowerCase());

  for (let i = 1; i < lower.length; i++) {
    if (lower[i] !== "" && lower[i] === lower[i - 1] && /[a-z]/.test(lower[i])) {
      hits.push({ rule: "doubled-word", text, detail: `"${bare[i - 1]} ${bare[i]}"` });
    }
  }
  for (let i = 0; i + 1 < lower.length; i++) {
    const article = lower[i];
    if (article !== "a" && article !== "an") continue;
    if (bare[i + 1] === "") continue;
    const vowel = startsWithVowelSound(bare[i + 1]);
    if (article === "a" && vowel) {
      hits.push({ rule: "article", text, detail: `"a ${bare[i + 1]}" wants "an"` });
    }
    if (article === "an" && !vowel) {
      hits.push({ rule: "article", text, detail: `"an ${bare[i + 1]}" wants "a"` });
    }
  }
  if (lower.length > 1 && LEADING_PARTICLES.has(lower[0])) {
    hits.push({ rule: "leading-particle", text, detail: `opens with "${bare[0]}"` });
  }
  if (lower.length > 1 && INTRANSITIVE_VERBS.has(lower[0]) && !AFTER_INTRANSITIVE.has(lower[1])) {
    hits.push({
      rule: "intransitive-object",
      text,
      detail: `"${bare[0]}" takes no object ("${bare[0]} ${bare[1]}")`,
    });
  }
  hits.push(...bare.flatMap((word) => lintWord(word, text)));
  return hits;
}

/** Nouns whose singular and plural are the same; "specy" or "aircrafts" is a slip. */
const INVARIANT_NOUNS = ["species", "series", "means", "news", "aircraft", "sheep", "deer"];
const BROKEN_INVARIANTS = new Map<string, string>([
  ...INVARIANT_NOUNS.filter((noun) => noun.endsWith("s")).flatMap((noun) =>
    [noun.replace(/ies$/, "y"), noun.replace(/s$/, ""), noun.replace(/ies$/, "ie")]
      .filter((form) => form !== noun && form !== "mean" && form !== "new")
      .map((form) => [form, noun] as [string, string])
  ),
  ...INVARIANT_NOUNS.filter((noun) => !noun.endsWith("s")).map((noun) =>
    [`${noun}s`, noun] as [string, string]
  ),
]);

/** Slips in the form of one word: plurals, -ing forms, invariant nouns. */
function lintWord(word: string, text: string): LintHit[] {
  const hits: LintHit[] = [];
  const w = word.toLowerCase();
  if (MASS_PLURALS.has(w)) {
    hits.push({ rule: "mass-plural", text, detail: `"${word}" has no plural` });
  }
  if (/^[a-z]+[^aeiou\W\d]ys$/.test(w) && w.length > 4) {
    hits.push({ rule: "plural-y", text, detail: `"${word}" wants -ies` });
  }
  if (/^[a-z]+(x|ch|sh|ss|zz)s$/.test(w) && !/(ach|och|uch)s$/.test(w)) {
    hits.push({ rule: "plural-es", text, detail: `"${word}" wants -es` });
  }
  if (/^[a-z]+[^aeiu]eing$/.test(w) && !EING_WORDS.has(w)) {
    hits.push({ rule: "ing-form", text, detail: `"${word}" drops its final e` });
  }
  const invariant = BROKEN_INVARIANTS.get(w);
  if (invariant) {
    hits.push({
      rule: "invariant-noun",
      text,
      detail: `"${word}" is "${invariant}" in both numbers`,
    });
  }
  return hits;
}

/** Word-form slips in an entity name ("Specy", "Categorys"). */
export function lintName(name: string): LintHit[] {
  return spaceWords(name).split(" ").flatMap((word) => lintWord(word, name));
}

/** Words that keep the e before -ing. */
const EING_WORDS = new Set([
  "being",
  "seeing",
  "fleeing",
  "freeing",
  "agreeing",
  "guaranteeing",
  "canoeing",
  "queueing",
  "shoeing",
  "tiptoeing",
  "hoeing",
  "dyeing",
  "singeing",
  "eyeing",
  "ageing",
  "routeing",
  "bingeing",
  "whingeing",
]);

/** Grammar slips in every feature title and screen name, and word slips in entity names. */
export function lintBlueprint(blueprint: Blueprint): LintHit[] {
  return [
    ...[
      ...blueprint.product.features.map((f) => f.title),
      ...blueprint.design.screens.map((s) => s.name),
    ].flatMap(lintTitle),
    ...entityNames(blueprint).flatMap(lintName),
  ];
}
