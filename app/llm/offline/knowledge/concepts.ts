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

/** Lookups over one set of concepts; the module's own functions use the whole catalogue. */
export interface ConceptIndex {
  /** The concepts that claim a term or lemma ("incident", "icu bed"); plurals are tolerated. */
  forTerm(termOrLemma: string): readonly Concept[];
  /** See `conceptsForPhrase`. */
  forPhrase(
    words: readonly string[],
    options?: { context?: readonly string[] },
  ): readonly Concept[];
  /** See `domainScores`. */
  domainScores(context: readonly string[]): ReadonlyMap<string, number>;
}

/** Builds the term index of a set of concepts. */
export function createConceptIndex(concepts: readonly Concept[]): ConceptIndex {
  const byTerm = new Map<string, Concept[]>();
  for (const concept of concepts) {
    for (const term of new Set(concept.terms.map(normaliseTerm))) {
      byTerm.set(term, [...(byTerm.get(term) ?? []), concept]);
    }
  }
  // The longest term, in words, bounds every scan.
  const maxWords = Math.max(1, ...[...byTerm.keys()].map((term) => term.split(" ").length));
  const lookup = (term: string): readonly Concept[] =>
    byTerm.get(term) ?? byTerm.get(singularise(term)) ?? [];
  const tokenise = (words: readonly string[]) =>
    words.flatMap((word) => normaliseTerm(word).split(" ")).filter(Boolean);

  function domainScores(context: readonly string[]): ReadonlyMap<string, number> {
    const tokens = tokenise(context);
    const seen = new Set<string>();
    const scores = new Map<string, number>();
    for (let size = 1; size <= maxWords; size++) {
      for (let start = 0; start + size <= tokens.length; start++) {
        const gram = tokens.slice(start, start + size).join(" ");
        // "lift" and "lifts" are one word of the directive, counted once.
        const key = singularise(gram);
        for (const concept of lookup(gram)) {
          if (seen.has(`${concept.domain} ${key}`)) continue;
          seen.add(`${concept.domain} ${key}`);
          scores.set(concept.domain, (scores.get(concept.domain) ?? 0) + 1);
        }
      }
    }
    return scores;
  }

  function forPhrase(
    words: readonly string[],
    options: { context?: readonly string[] } = {},
  ): readonly Concept[] {
    const scores = options.context ? domainScores([...options.context, ...words]) : undefined;
    const tokens = tokenise(words);
    const covered = new Array<boolean>(tokens.length).fill(false);
    const found: Concept[] = [];
    for (let size = Math.min(maxWords, tokens.length); size >= 1; size--) {
      for (let start = 0; start + size <= tokens.length; start++) {
        if (covered.slice(start, start + size).some(Boolean)) continue;
        const gram = tokens.slice(start, start + size).join(" ");
        const matches = lookup(gram);
        if (matches.length === 0) continue;
        covered.fill(true, start, start + size);
        for (const concept of disambiguate(matches, scores, gram, options.context)) {
          // A weak term needs its domain named once more ("lift" beside "gym" or "reps").
          const weak = concept.weakTerms.some((term) =>
            normaliseTerm(term) === gram ||
            singularise(normaliseTerm(term)) === singularise(gram)
          );
          if (weak && (scores?.get(concept.domain) ?? 0) < 2) continue;
          if (!found.includes(concept)) found.push(concept);
        }
      }
    }
    return found;
  }

  return {
    forTerm: (termOrLemma) => {
      const term = normaliseTerm(termOrLemma);
      return term ? lookup(term) : [];
    },
    forPhrase,
    domainScores,
  };
}

/**
 * Of several concepts claiming one term, those of the best-supported domain; on a tie, the one
 * whose first (primary) term it is ("recipe" alone is a home cook's recipe, not a costing
 * sheet), else all of them.
 */
function disambiguate(
  matches: readonly Concept[],
  scores: ReadonlyMap<string, number> | undefined,
  term: string,
  context?: readonly string[],
): readonly Concept[] {
  if (new Set(matches.map((concept) => concept.domain)).size < 2) return matches;
  const best = scores ? Math.max(...matches.map((concept) => scores.get(concept.domain) ?? 0)) : 0;
  const tied = best === 0
    ? matches
    : matches.filter((concept) => scores!.get(concept.domain) === best);
  if (tied.length < 2) return tied;
  // "an incident reporting app for construction workers": the concept whose prose the
  // directive's other words echo (workers, sites) over the one that merely claims the term.
  if (context) {
    const words = new Set(
      context.flatMap((word) => normaliseTerm(word).split(" ")).map(singularise),
    );
    const echo = (concept: Concept) => vocabularyEchoes(concept, words);
    const most = Math.max(...tied.map(echo));
    const echoed = tied.filter((concept) => echo(concept) === most);
    if (most > 0 && echoed.length === 1) return echoed;
  }
  const primary = tied.filter((concept) => normaliseTerm(concept.terms[0]) === term);
  return primary.length === 1 ? primary : tied;
}

const CATALOGUE = createConceptIndex(CONCEPTS);

/** The concepts that claim a term or lemma ("incident", "icu bed"); plurals are tolerated. */
export function conceptsForTerm(termOrLemma: string): readonly Concept[] {
  return CATALOGUE.forTerm(termOrLemma);
}

/**
 * How strongly a directive's words point at each domain: how many of its distinct words and
 * phrases (singular or plural) are terms of the domain. Domains with none are left out.
 */
export function domainScores(context: readonly string[]): ReadonlyMap<string, number> {
  return CATALOGUE.domainScores(context);
}

/**
 * The concepts named in a noun phrase's words, longest terms first: ["hive", "inspection"]
 * finds the hive inspection before (and instead of) the hive; words a longer term covered
 * are not matched again on their own. The shipped catalogue gives each term one concept; if
 * several domains ever claim a term, `context` (the directive's words) picks the domain it
 * supports best, and without context all claimants are returned.
 */
export function conceptsForPhrase(
  words: readonly string[],
  options: { context?: readonly string[] } = {},
): readonly Concept[] {
  return CATALOGUE.forPhrase(words, options);
}

const vocabularies = new WeakMap<Concept, ReadonlySet<string>>();

/** Words too common in the catalogue's prose to say anything about a domain. */
const PROSE_WORDS = new Set(
  `with from that this their they them what when where which each every into over about
  after before until than then your have been will can more most only also just like make
  sure keep show list time date name note notes status`.split(/\s+/),
);

/**
 * The words a concept's entry uses (capabilities, stories, related entities, risks) beyond its
 * own terms, singular and lower case: what a directive about the concept tends to say too.
 */
export function conceptVocabulary(concept: Concept): ReadonlySet<string> {
  const known = vocabularies.get(concept);
  if (known) return known;
  const own = new Set(concept.terms.flatMap((term) => normaliseTerm(term).split(" ")));
  const text = [
    ...concept.capabilities.flatMap((c) => [
      c.title,
      c.description,
      ...c.stories.flatMap((s) => [s.want, s.soThat, ...s.criteria]),
    ]),
    ...concept.related.flatMap((entity) => [
      entity.name.replace(/([a-z])([A-Z])/g, "$1 $2"),
      entity.description,
    ]),
    ...concept.risks.flat(),
    ...concept.metrics.flat(),
  ].join(" ").toLowerCase();
  const words = new Set(
    (text.match(/[a-z]{4,}/g) ?? []).map((word) => singularise(word))
      .filter((word) => !own.has(word) && !PROSE_WORDS.has(word)),
  );
  vocabularies.set(concept, words);
  return words;
}

/** How many of `words` (singular, lower case) a concept's entry speaks of beyond its terms. */
export function vocabularyEchoes(concept: Concept, words: ReadonlySet<string>): number {
  let count = 0;
  for (const word of words) if (conceptVocabulary(concept).has(word)) count++;
  return count;
}
