/**
 * The precomputed WordNet lexicon (knowledge/lexicon.json, built by scripts/build-lexicon.ts):
 * the semantic kind of a noun, whether a word is an English verb, and whether a word is
 * English at all. Validated with zod on first use; the sorted word lists are binary-searched
 * as they are, so loading costs one JSON parse and three string splits.
 */
import { z } from "zod";
import { type Kind, KINDS } from "./knowledge/schema.ts";
import { readKnowledge } from "./knowledge/files.ts";
import { singularise } from "./text.ts";

const lexiconSchema = z.object({
  source: z.string(),
  kinds: z.literal(KINDS.join("|")),
  nouns: z.string(),
  verbs: z.string(),
  others: z.string(),
});

interface Index {
  /** `lemma` + a letter for its kind, sorted by lemma. */
  nouns: string[];
  verbs: string[];
  others: string[];
}

let index: Index | undefined;

function load(): Index {
  if (index) return index;
  const parsed = lexiconSchema.parse(readKnowledge("lexicon.json"));
  index = {
    nouns: parsed.nouns.split("|"),
    verbs: parsed.verbs.split("|"),
    others: parsed.others.split("|"),
  };
  return index;
}

/** Position of `key` in a sorted list (entries cut by `cut` characters), or -1. */
function search(list: readonly string[], key: string, cut = 0): number {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const entry = cut ? list[middle].slice(0, -cut) : list[middle];
    if (entry === key) return middle;
    if (entry < key) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

function kindAt(key: string): Kind | undefined {
  const { nouns } = load();
  const at = search(nouns, key, 1);
  return at < 0 ? undefined : KINDS[nouns[at].charCodeAt(nouns[at].length - 1) - 97];
}

/** The kind of a noun or two-word noun phrase (singular or plural), if WordNet knows it. */
export function nounKind(phrase: string): Kind | undefined {
  const key = phrase.toLowerCase().trim();
  return kindAt(key) ?? kindAt(singularise(key));
}

/** Whether WordNet has the word as a noun. */
export function isNoun(word: string): boolean {
  return nounKind(word) !== undefined;
}

/** Whether WordNet has the word (an infinitive) as a verb. */
export function isVerb(word: string): boolean {
  return search(load().verbs, word.toLowerCase()) >= 0;
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
  const { verbs, others } = load();
  return bases(w).some((base) =>
    kindAt(base) !== undefined || search(verbs, base) >= 0 || search(others, base) >= 0
  );
}

/** The noun kind of a word, trying its base forms (plural, gerund). */
export function wordKind(word: string): Kind | undefined {
  for (const base of bases(word)) {
    const kind = kindAt(base);
    if (kind) return kind;
  }
  return undefined;
}

/** Whether WordNet has the word as an adjective or adverb. */
export function isModifierWord(word: string): boolean {
  return search(load().others, word.toLowerCase()) >= 0;
}
