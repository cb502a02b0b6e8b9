/**
 * The precomputed WordNet lexicon (knowledge/lexicon.json, built by scripts/build-lexicon.ts):
 * the semantic kind of a noun, whether a word is an English verb, and whether a word is
 * English at all. Validated with zod and indexed once, on first use.
 */
import { z } from "zod";
import { type Kind, KINDS } from "./knowledge/schema.ts";
import { readKnowledge } from "./knowledge/files.ts";
import { singularise } from "./text.ts";

const lexiconSchema = z.object({
  source: z.string(),
  nouns: z.record(z.enum(KINDS), z.string()),
  verbs: z.string(),
  others: z.string(),
});

interface Index {
  kinds: Map<string, Kind>;
  verbs: Set<string>;
  others: Set<string>;
}

let index: Index | undefined;

function load(): Index {
  if (index) return index;
  const parsed = lexiconSchema.parse(readKnowledge("lexicon.json"));
  const kinds = new Map<string, Kind>();
  for (const kind of KINDS) {
    for (const lemma of (parsed.nouns[kind] ?? "").split("|")) if (lemma) kinds.set(lemma, kind);
  }
  index = {
    kinds,
    verbs: new Set(parsed.verbs.split("|")),
    others: new Set(parsed.others.split("|")),
  };
  return index;
}

/** The kind of a noun or two-word noun phrase (singular or plural), if WordNet knows it. */
export function nounKind(phrase: string): Kind | undefined {
  const { kinds } = load();
  const key = phrase.toLowerCase().trim();
  return kinds.get(key) ?? kinds.get(singularise(key));
}

/** Whether WordNet has the word as a noun. */
export function isNoun(word: string): boolean {
  return nounKind(word) !== undefined;
}

/** Whether WordNet has the word (an infinitive) as a verb. */
export function isVerb(word: string): boolean {
  return load().verbs.has(word.toLowerCase());
}

/** Inflections WordNet lemmas do not show: the few a directive may use. */
const IRREGULAR: Record<string, string> = {
  children: "child",
  people: "person",
  men: "man",
  women: "woman",
  feet: "foot",
  teeth: "tooth",
  mice: "mouse",
  geese: "goose",
  data: "datum",
  media: "medium",
};

/** Base forms a word may be an inflection of ("rehearsals", "paging", "booked"). */
function bases(word: string): string[] {
  const w = word.toLowerCase();
  const out = [w];
  if (IRREGULAR[w]) out.push(IRREGULAR[w]);
  if (w.endsWith("ies")) out.push(`${w.slice(0, -3)}y`);
  if (w.endsWith("es")) out.push(w.slice(0, -2));
  if (w.endsWith("s")) out.push(w.slice(0, -1));
  for (const suffix of ["ing", "ed"]) {
    if (w.endsWith(suffix) && w.length > suffix.length + 2) {
      const stem = w.slice(0, -suffix.length);
      out.push(stem, `${stem}e`, stem.slice(0, -1));
      if (stem.endsWith("i")) out.push(`${stem.slice(0, -1)}y`);
    }
  }
  if (w.endsWith("'s")) out.push(w.slice(0, -2));
  return out;
}

/** Function words WordNet leaves out. */
const FUNCTION_WORDS = new Set(
  `a an the and or but nor so for of to in on at by with from into onto over under about
  as than then that this these those there their theirs them they we us our ours you your
  yours he him his she her hers it its i me my mine who whom whose which what when where why
  how is are was were be been being am do does did done has have had will would can could
  shall should may might must not no yes each every all any some both either neither few
  many much more most other another such own same via per vs etc let lets get gets across
  without within while whilst until if because though also just only even up down out off
  again once here`.split(/\s+/),
);

/** Whether a lower-case word is English: a function word or any WordNet lemma or inflection. */
export function isEnglishWord(word: string): boolean {
  const w = word.toLowerCase().replace(/’/g, "'");
  if (FUNCTION_WORDS.has(w)) return true;
  const { kinds, verbs, others } = load();
  return bases(w).some((base) => kinds.has(base) || verbs.has(base) || others.has(base));
}

/** The noun kind of a word, trying its base forms (plural, gerund). */
export function wordKind(word: string): Kind | undefined {
  const { kinds } = load();
  for (const base of bases(word)) {
    const kind = kinds.get(base);
    if (kind) return kind;
  }
  return undefined;
}
