/**
 * The domain concept catalogue (issue 11): every `concepts/*.json` file, validated once at
 * module load, and lookups by term or by the words of a noun phrase.
 */
import { singularise } from "../text.ts";
import { type Concept, conceptFileSchema } from "./schema.ts";
import { readKnowledgeDir } from "./files.ts";

/** The raw catalogue files by name (every `concepts/*.json`, read at module load). */
export const CONCEPT_FILES: Readonly<Record<string, unknown>> = readKnowledgeDir("concepts");

/** Validates catalogue files by name; throws naming the first invalid file. */
export function parseConceptFiles(files: Readonly<Record<string, unknown>>): Concept[] {
  return Object.entries(files).flatMap(([name, data]) => {
    const parsed = conceptFileSchema.safeParse(data);
    if (!parsed.success) {
      throw new Error(`concepts/${name}.json is invalid: ${parsed.error.message}`);
    }
    return parsed.data.concepts;
  });
}

/** Every concept of the catalogue, in file order. */
export const CONCEPTS: readonly Concept[] = Object.freeze(parseConceptFiles(CONCEPT_FILES));

/** Lower case, hyphens and runs of spaces as one space: "On-Call  rota" → "on call rota". */
export function normaliseTerm(term: string): string {
  return term.toLowerCase().replace(/[-_]+/g, " ").replace(/\s+/g, " ").trim();
}

const BY_TERM: ReadonlyMap<string, readonly Concept[]> = (() => {
  const index = new Map<string, Concept[]>();
  for (const concept of CONCEPTS) {
    for (const term of new Set(concept.terms.map(normaliseTerm))) {
      const list = index.get(term) ?? [];
      list.push(concept);
      index.set(term, list);
    }
  }
  return index;
})();

/** The longest term in the catalogue, in words: bounds the phrase scan. */
const MAX_TERM_WORDS = Math.max(...[...BY_TERM.keys()].map((term) => term.split(" ").length));

function lookup(term: string): readonly Concept[] {
  const exact = BY_TERM.get(term);
  if (exact) return exact;
  return BY_TERM.get(singularise(term)) ?? [];
}

/** The concepts that claim a term or lemma ("incident", "icu bed"); plurals are tolerated. */
export function conceptsForTerm(termOrLemma: string): readonly Concept[] {
  const term = normaliseTerm(termOrLemma);
  return term ? lookup(term) : [];
}

/** Each domain's terms, for weighing which domain a directive's words belong to. */
const DOMAIN_TERMS: ReadonlyMap<string, readonly string[]> = (() => {
  const byDomain = new Map<string, Set<string>>();
  for (const concept of CONCEPTS) {
    const terms = byDomain.get(concept.domain) ?? new Set<string>();
    for (const term of concept.terms) terms.add(normaliseTerm(term));
    byDomain.set(concept.domain, terms);
  }
  return new Map([...byDomain].map(([domain, terms]) => [domain, [...terms]]));
})();

/**
 * How strongly a directive's words point at each domain: the number of the domain's terms
 * they contain (singular or plural). Domains with no term present are left out.
 */
export function domainScores(context: readonly string[]): ReadonlyMap<string, number> {
  const tokens = context.flatMap((word) => normaliseTerm(word).split(" ")).filter(Boolean);
  const text = ` ${tokens.join(" ")} ${tokens.map((token) => singularise(token)).join(" ")} `;
  const scores = new Map<string, number>();
  for (const [domain, terms] of DOMAIN_TERMS) {
    const score = terms.filter((term) => text.includes(` ${term} `)).length;
    if (score > 0) scores.set(domain, score);
  }
  return scores;
}

/** Of several concepts claiming one term, those of the best-supported domain (all on a tie). */
function disambiguate(
  matches: readonly Concept[],
  scores: ReadonlyMap<string, number> | undefined,
): readonly Concept[] {
  if (!scores || new Set(matches.map((concept) => concept.domain)).size < 2) return matches;
  const best = Math.max(...matches.map((concept) => scores.get(concept.domain) ?? 0));
  return best === 0 ? matches : matches.filter((concept) => scores.get(concept.domain) === best);
}

/**
 * The concepts named in a noun phrase's words, longest terms first: ["hive", "inspection"]
 * finds the hive inspection before (and instead of) the hive; words a longer term covered
 * are not matched again on their own. With `context` (the directive's words), a term that
 * concepts of several domains claim ("ticket", "match") resolves to the domain the context
 * supports best.
 */
export function conceptsForPhrase(
  words: readonly string[],
  options: { context?: readonly string[] } = {},
): readonly Concept[] {
  const scores = options.context ? domainScores([...options.context, ...words]) : undefined;
  const tokens = words.flatMap((word) => normaliseTerm(word).split(" ")).filter(Boolean);
  const covered = new Array<boolean>(tokens.length).fill(false);
  const found: Concept[] = [];
  for (let size = Math.min(MAX_TERM_WORDS, tokens.length); size >= 1; size--) {
    for (let start = 0; start + size <= tokens.length; start++) {
      if (covered.slice(start, start + size).some(Boolean)) continue;
      const matches = lookup(tokens.slice(start, start + size).join(" "));
      if (matches.length === 0) continue;
      covered.fill(true, start, start + size);
      for (const concept of disambiguate(matches, scores)) {
        if (!found.includes(concept)) found.push(concept);
      }
    }
  }
  return found;
}
