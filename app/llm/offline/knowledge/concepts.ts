/**
 * The domain concept catalogue (issue 11): every `concepts/*.json` file, validated once at
 * module load, and lookups by term or by the words of a noun phrase.
 */
import { singularise } from "../text.ts";
import { type Concept, conceptFileSchema } from "./schema.ts";
import accessibility from "./concepts/accessibility.json" with { type: "json" };
import agriculture from "./concepts/agriculture.json" with { type: "json" };
import automotive from "./concepts/automotive.json" with { type: "json" };
import beauty from "./concepts/beauty.json" with { type: "json" };
import beekeeping from "./concepts/beekeeping.json" with { type: "json" };
import childcare from "./concepts/childcare.json" with { type: "json" };
import citizenScience from "./concepts/citizen-science.json" with { type: "json" };
import civic from "./concepts/civic.json" with { type: "json" };
import clinicalTrials from "./concepts/clinical-trials.json" with { type: "json" };
import communityGroups from "./concepts/community-groups.json" with { type: "json" };
import construction from "./concepts/construction.json" with { type: "json" };
import customerSupport from "./concepts/customer-support.json" with { type: "json" };
import dating from "./concepts/dating.json" with { type: "json" };
import eCommerce from "./concepts/e-commerce.json" with { type: "json" };
import education from "./concepts/education.json" with { type: "json" };
import elderCare from "./concepts/elder-care.json" with { type: "json" };
import energy from "./concepts/energy.json" with { type: "json" };
import equipmentRental from "./concepts/equipment-rental.json" with { type: "json" };
import events from "./concepts/events.json" with { type: "json" };
import familyHistory from "./concepts/family-history.json" with { type: "json" };
import fintech from "./concepts/fintech.json" with { type: "json" };
import fitness from "./concepts/fitness.json" with { type: "json" };
import foodBusiness from "./concepts/food-business.json" with { type: "json" };
import gaming from "./concepts/gaming.json" with { type: "json" };
import gardening from "./concepts/gardening.json" with { type: "json" };
import healthcare from "./concepts/healthcare.json" with { type: "json" };
import homeServices from "./concepts/home-services.json" with { type: "json" };
import hospitals from "./concepts/hospitals.json" with { type: "json" };
import hr from "./concepts/hr.json" with { type: "json" };
import inspections from "./concepts/inspections.json" with { type: "json" };
import insurance from "./concepts/insurance.json" with { type: "json" };
import itServiceDesk from "./concepts/it-service-desk.json" with { type: "json" };
import laundry from "./concepts/laundry.json" with { type: "json" };
import legal from "./concepts/legal.json" with { type: "json" };
import libraries from "./concepts/libraries.json" with { type: "json" };
import logistics from "./concepts/logistics.json" with { type: "json" };
import manufacturing from "./concepts/manufacturing.json" with { type: "json" };
import marketing from "./concepts/marketing.json" with { type: "json" };
import marketplaces from "./concepts/marketplaces.json" with { type: "json" };
import media from "./concepts/media.json" with { type: "json" };
import mentalHealth from "./concepts/mental-health.json" with { type: "json" };
import music from "./concepts/music.json" with { type: "json" };
import nonprofits from "./concepts/nonprofits.json" with { type: "json" };
import nutrition from "./concepts/nutrition.json" with { type: "json" };
import outdoors from "./concepts/outdoors.json" with { type: "json" };
import pets from "./concepts/pets.json" with { type: "json" };
import pharmacy from "./concepts/pharmacy.json" with { type: "json" };
import photography from "./concepts/photography.json" with { type: "json" };
import projectManagement from "./concepts/project-management.json" with { type: "json" };
import propertyMaintenance from "./concepts/property-maintenance.json" with { type: "json" };
import publishing from "./concepts/publishing.json" with { type: "json" };
import realEstate from "./concepts/real-estate.json" with { type: "json" };
import research from "./concepts/research.json" with { type: "json" };
import restaurants from "./concepts/restaurants.json" with { type: "json" };
import retail from "./concepts/retail.json" with { type: "json" };
import sales from "./concepts/sales.json" with { type: "json" };
import schools from "./concepts/schools.json" with { type: "json" };
import softwareDev from "./concepts/software-dev.json" with { type: "json" };
import sports from "./concepts/sports.json" with { type: "json" };
import sre from "./concepts/sre.json" with { type: "json" };
import transport from "./concepts/transport.json" with { type: "json" };
import travel from "./concepts/travel.json" with { type: "json" };
import volunteering from "./concepts/volunteering.json" with { type: "json" };
import weather from "./concepts/weather.json" with { type: "json" };
import wellness from "./concepts/wellness.json" with { type: "json" };
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
        for (const concept of lookup(gram)) {
          if (seen.has(`${concept.domain} ${gram}`)) continue;
          seen.add(`${concept.domain} ${gram}`);
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

  return {
    forTerm: (termOrLemma) => {
      const term = normaliseTerm(termOrLemma);
      return term ? lookup(term) : [];
    },
    forPhrase,
    domainScores,
  };
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
