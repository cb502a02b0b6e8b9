/**
 * Brand names by several strategies (compound, blend, metaphor, suffix, invented), built
 * from words the directive evokes but never from the directive's own words.
 */
import type { BrandSpec } from "../../blueprint/schemas.ts";
import type { Random } from "./random.ts";
import { capitalise } from "./text.ts";

/** Evocative roots with the meaning a rationale can cite, keyed by domain words. */
const DOMAIN_ROOTS: [words: string[], roots: [root: string, meaning: string][]][] = [
  [["vegetable", "farm", "farmer", "produce", "grower", "organic", "allotment"], [
    ["furrow", "the line every harvest grows from"],
    ["harvest", "the reward of a season's work"],
    ["sprout", "something fresh and just beginning"],
    ["acre", "a piece of land someone tends"],
    ["bushel", "an honest, generous measure"],
    ["orchard", "abundance grown close to home"],
  ]],
  [["garden", "gardener", "plant", "flower", "florist", "seed"], [
    ["bloom", "growth you can see"],
    ["petal", "something small and beautiful"],
    ["trellis", "a structure that helps things grow"],
    ["meadow", "open, living ground"],
    ["seedling", "a careful beginning"],
  ]],
  [["dog", "pet", "puppy", "cat", "groomer", "animal", "vet", "walker"], [
    ["paw", "the friendliest handshake there is"],
    ["whisker", "fine attention to detail"],
    ["wag", "the happiness of a cared-for pet"],
    ["fetch", "bringing what you asked for, gladly"],
    ["collar", "belonging and care"],
    ["snout", "curiosity that sniffs out the right place"],
  ]],
  [["invoice", "bill", "payment", "pay", "freelancer", "accountant", "tax", "quote"], [
    ["tally", "a clear count of what is owed"],
    ["ledger", "the trusted record of every amount"],
    ["mint", "money, fresh and in order"],
    ["penny", "every amount counted"],
    ["settle", "the moment accounts are square"],
    ["receipt", "proof that it is done"],
  ]],
  [["budget", "saving", "save", "spend", "expense", "split", "couple", "household", "money"], [
    ["purse", "shared money kept safely"],
    ["jar", "saving a little at a time"],
    ["kitty", "a pot everyone puts into"],
    ["even", "everyone square, no awkwardness"],
    ["nest", "security built together"],
    ["compass", "direction for every decision"],
  ]],
  [["nursing", "nurse", "midwife"], [
    ["lantern", "the lamp carried on night rounds"],
    ["bedside", "care given up close"],
    ["pulse", "the first thing a nurse checks"],
    ["ward", "where the practice happens"],
    ["vigil", "steady, watchful care"],
  ]],
  [[
    "student",
    "study",
    "exam",
    "learn",
    "learner",
    "revision",
    "course",
    "flashcard",
    "university",
  ], [
    ["lumen", "light to see by"],
    ["quill", "the scholar's tool"],
    ["owl", "wisdom that works late"],
    ["margin", "where real notes are written"],
    ["recall", "knowing it when it counts"],
    ["scholar", "serious, rewarding study"],
  ]],
  [["tutor", "teacher", "homework", "kid", "child", "school", "classroom", "lesson"], [
    ["chalk", "the classroom's first tool"],
    ["satchel", "everything for the school day"],
    ["pencil", "work in progress, easy to improve"],
    ["ruler", "steady measures of progress"],
    ["gold star", "a small, proud reward"],
  ]],
  [[
    "patient",
    "symptom",
    "physiotherapist",
    "physio",
    "therapy",
    "recovery",
    "rehab",
    "pain",
    "health",
    "clinic",
  ], [
    ["tide", "things that ebb and improve"],
    ["balm", "relief and gentleness"],
    ["stride", "steady progress, step by step"],
    ["mend", "getting better together"],
    ["haven", "a safe place to share"],
    ["kinetic", "movement as medicine"],
  ]],
  [[
    "camping",
    "gear",
    "outdoor",
    "hike",
    "tent",
    "neighbour",
    "neighbor",
    "rent",
    "lend",
    "borrow",
  ], [
    ["basecamp", "where every trip starts"],
    ["trailhead", "the start of an adventure"],
    ["kit", "everything you need, shared"],
    ["porch", "where neighbours meet"],
    ["borrowed", "better for being shared"],
    ["ember", "the glow of a shared campfire"],
  ]],
  [["courier", "messenger", "delivery", "deliver", "sample", "lab", "dispatch", "parcel", "bike"], [
    ["relay", "a handover done right"],
    ["baton", "passed on without dropping"],
    ["spoke", "the wheel's quiet strength"],
    ["sprint", "speed when it matters"],
    ["vial", "small things handled with care"],
    ["arrow", "the shortest way there"],
  ]],
  [["recipe", "cook", "kitchen", "chef", "food", "meal", "baker", "bakery"], [
    ["skillet", "the pan every cook reaches for"],
    ["pantry", "the shared store of good things"],
    ["simmer", "patience that brings out flavour"],
    ["crumb", "the small detail that makes it"],
    ["ladle", "serving others generously"],
    ["saffron", "a small thing that transforms a dish"],
  ]],
  [["developer", "api", "phone", "number", "verify", "verification", "code", "sdk"], [
    ["signal", "a clear, trusted message"],
    ["handshake", "two systems agreeing"],
    ["checksum", "proof that it is right"],
    ["beacon", "a reliable signal in the noise"],
    ["relay", "passing messages on reliably"],
    ["vector", "direction and speed"],
  ]],
  [["podcast", "musician", "music", "song", "band", "episode", "album", "audio"], [
    ["encore", "the moment fans ask for more"],
    ["chorus", "the part everyone knows"],
    ["tempo", "a steady publishing rhythm"],
    ["amp", "making small voices louder"],
    ["vinyl", "craft people collect"],
    ["riff", "a signature idea"],
  ]],
  [["restaurant", "inventory", "shift", "staff", "stock", "kitchen"], [
    ["pass", "where the kitchen hands dishes over"],
    ["mise", "everything in its place"],
    ["rota", "who works when, settled"],
    ["larder", "stock kept in order"],
    ["brigade", "a kitchen team that runs itself"],
  ]],
  [["mug", "ceramic", "pottery", "potter", "clay", "handmade", "craft"], [
    ["kiln", "where craft becomes permanent"],
    ["glaze", "the finish that makes it yours"],
    ["wheel", "the potter's rhythm"],
    ["slip", "the clay that joins pieces"],
    ["fired", "made to last"],
  ]],
  [["construction", "equipment", "rental", "maintenance", "machine", "fleet", "repair"], [
    ["rivet", "small parts holding big things together"],
    ["plumb", "true and level"],
    ["girder", "strength you can build on"],
    ["wrench", "getting things fixed"],
    ["yard", "where the machines live"],
  ]],
];

/** Second halves of compounds, with what they add. */
const TAILS: [tail: string, meaning: string][] = [
  ["lane", "a familiar route you take every week"],
  ["yard", "a working place"],
  ["post", "a place to check in"],
  ["works", "craft and reliability"],
  ["field", "open ground to grow in"],
  ["loop", "a habit that keeps coming back"],
  ["mark", "a sign of quality"],
  ["port", "a point of arrival"],
  ["well", "a dependable source"],
  ["house", "a home for it all"],
  ["craft", "care in the making"],
  ["line", "a clear path from start to finish"],
];

const SUFFIXES = ["ly", "io", "wise", "ify", "ster"];
const CONSONANTS = ["b", "d", "f", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"];
const VOWELS = ["a", "e", "i", "o", "u"];
const ENDINGS = ["a", "o", "en", "ia", "is", "ar"];

type Candidate = BrandSpec["nameCandidates"][number];

/** Roots for a directive: the domain's own, then the archetype's (each list shuffled). */
export function nameRoots(
  lemmas: ReadonlySet<string>,
  options: { fallback: readonly [string, string][]; random: Random },
): [root: string, meaning: string][] {
  const fromDomain = DOMAIN_ROOTS.filter(([words]) => words.some((word) => lemmas.has(word)))
    .flatMap(([, roots]) => roots);
  const seen = new Set<string>();
  return [...options.random.shuffle(fromDomain), ...options.random.shuffle(options.fallback)]
    .filter(([root]) => {
      if (seen.has(root) || root.includes(" ")) return false;
      seen.add(root);
      return true;
    });
}

/** Three-consonant runs English readers say without effort ("str" in "astral"). */
const COMMON_CLUSTERS = new Set([
  "str",
  "sch",
  "scr",
  "spr",
  "spl",
  "thr",
  "shr",
  "chr",
  "nst",
  "nch",
  "ntr",
  "ndr",
  "mpl",
  "mpr",
  "ngl",
  "rst",
  "rch",
  "tch",
  "lch",
]);
/** Vowel pairs that read as one sound ("ea" in "meadow", "ay" in "relay"). */
const VOWEL_PAIRS = new Set([
  "ai",
  "au",
  "ay",
  "ea",
  "ee",
  "ei",
  "ey",
  "ia",
  "ie",
  "io",
  "oa",
  "oi",
  "oo",
  "ou",
  "oy",
  "ue",
]);
/** Consonants a name may end on ("-st" in "Lanest"); "-pt", "-mb", "-rch" read badly. */
const ENDINGS_OK = new Set([
  "",
  ..."bcdfgklmnprstwxz",
  ..."ck ct ft ld lf lk ll lp lt mp nd ng nk nt rd rk rl rm rn rp rs rt sh sk sp ss st th ch"
    .split(" "),
  ..."ff tt ts ds ns ls ms".split(" "),
]);

/**
 * Whether a made-up word reads naturally: a sensible length and share of vowels, only
 * common consonant clusters and vowel pairs, and an ending English words have.
 */
export function pronounceable(name: string): boolean {
  // "qu" is one consonant sound ("squ" in "Squard").
  const word = name.toLowerCase().replaceAll("qu", "q");
  if (!/^[a-z]{4,8}$/.test(word) || name.length < 5) return false;
  // "y" is a vowel except at the start ("relay", "Tally"; but "yard").
  const shape = [...word].map((letter, index) =>
    /[aeiou]/.test(letter) || (letter === "y" && index > 0) ? "v" : "c"
  ).join("");
  const vowels = name.replace(/[^aeiouy]/gi, "").length / name.length;
  if (vowels < 0.25 || vowels > 0.6) return false;
  for (const run of shape.matchAll(/c{3,}|v{2,}/g)) {
    const letters = word.slice(run.index, run.index + run[0].length);
    const known = run[0][0] === "c" ? COMMON_CLUSTERS : VOWEL_PAIRS;
    if (!known.has(letters)) return false;
  }
  if (/q(?![aeiou])/.test(word)) return false;
  // A silent "e" after two consonants ("Vigilse", "Coince") ends a name awkwardly.
  if (/[^aeiouy]{2}e$/.test(word)) return false;
  return ENDINGS_OK.has(word.match(/[^aeiouy]*$/)?.[0] ?? "");
}

/** Fragments a made-up name must not contain ("Brigass" from "brigade" + "pass"). */
const UNFORTUNATE = /ass$|arse|anus|butt|fart|piss|shit|turd/;

/**
 * The best portmanteau of two roots: the start of one and the end of the other, joined on a
 * letter they share, keeping at least three letters of each so both stay recognisable.
 */
function blend(a: string, b: string): string | undefined {
  let best: { word: string; score: number } | undefined;
  for (let i = 3; i < a.length; i++) {
    for (let j = 1; j <= b.length - 3; j++) {
      // A second half opening on a vowel pair ("glaz" + "eel") hides where one word ends.
      if (a[i] !== b[j] || /^[aeiou]{2}/.test(b.slice(j))) continue;
      const word = a.slice(0, i) + b.slice(j);
      if (!pronounceable(word) || UNFORTUNATE.test(word) || word.startsWith(b) || word === a) {
        continue;
      }
      // Joining on a vowel reads more smoothly than on a consonant.
      const score = -Math.abs(word.length - 7) + (/[aeiou]/.test(a[i]) ? 1 : 0);
      if (!best || score > best.score) best = { word, score };
    }
  }
  return best?.word;
}

function withSuffix(root: string, suffix: string): { name: string; suffix: string } {
  // "furrow" + "wise" or "stall" + "ly" would double a letter at the joint; try the others.
  for (const option of [suffix, ...SUFFIXES]) {
    const name = /[aeiouy]$/.test(root) && /^[aeiouy]/.test(option)
      ? root.slice(0, -1) + option
      : root + option;
    if (root.at(-1) !== option[0] && !/(.)\1\1/.test(name)) return { name, suffix: option };
  }
  return { name: `${root}io`, suffix: "io" };
}

/** A suffix that suits the root's ending ("Sproutly", "Tallywise"). */
function suffixFor(root: string, random: Random): string {
  if (/y$/.test(root)) return "wise";
  if (/[aeiou]$/.test(root)) return random.pick(["ly", "wise"]);
  return random.pick(SUFFIXES);
}

function invented(random: Random): string {
  const syllable = () => random.pick(CONSONANTS) + random.pick(VOWELS);
  return syllable() + syllable() + random.pick(CONSONANTS) + random.pick(ENDINGS);
}

/**
 * Name candidates, one or more per strategy, none containing a directive word.
 * `domain` names the field in rationales ("local farmers' vegetable boxes").
 */
export function nameCandidates(
  roots: readonly [string, string][],
  options: { banned: readonly string[]; random: Random; domain: string },
): Candidate[] {
  const { random, domain } = options;
  const banned = options.banned.filter((word) => word.length >= 3);
  const allowed = (name: string) => {
    const lower = name.toLowerCase();
    return !banned.some((word) => lower.includes(word));
  };
  const usable = roots.filter(([root]) => allowed(root));
  const root = (index: number) => usable[Math.min(index, usable.length - 1)];
  const candidates: Candidate[] = [];
  const add = (candidate: Candidate) => {
    if (!allowed(candidate.name)) return;
    if (candidates.some((known) => known.name.toLowerCase() === candidate.name.toLowerCase())) {
      return;
    }
    candidates.push(candidate);
  };

  if (usable.length > 0) {
    const [word, meaning] = root(0);
    add({
      name: capitalise(word),
      strategy: "metaphor",
      rationale: `${
        capitalise(word)
      }: ${meaning}. One short, ownable word that hints at ${domain} without describing it.`,
    });
    const compound = (index: number, usedTail?: string) => {
      const [base, baseMeaning] = root(index);
      const [tail, tailMeaning] = random.pick(
        TAILS.filter(([t]) => !base.endsWith(t) && t !== usedTail),
      );
      add({
        name: capitalise(base) + capitalise(tail),
        strategy: "compound",
        rationale: `"${
          capitalise(base)
        }" (${baseMeaning}) plus "${tail}" (${tailMeaning}): explains itself, yet distinctive enough to own.`,
      });
      return tail;
    };
    const firstTail = compound(1);
    const [stem, stemMeaning] = root(2);
    const { name: suffixed, suffix } = withSuffix(stem, suffixFor(stem, random));
    add({
      name: capitalise(suffixed),
      strategy: "suffix",
      rationale:
        `"${stem}" (${stemMeaning}) with a "-${suffix}" ending, so it reads as a product rather than a dictionary word.`,
    });
    const pairs = usable.slice(0, 5).flatMap((a) =>
      usable.slice(0, 5).filter((b) => b !== a).map((b) => [a, b] as const)
    );
    const blended = pairs.map(([a, b]) => ({ a, b, word: blend(a[0], b[0]) }))
      .find(({ word }) => word && allowed(word));
    if (blended?.word) {
      const { a, b, word } = blended;
      add({
        name: capitalise(word),
        strategy: "blend",
        rationale: `A blend of "${a[0]}" (${a[1]}) and "${b[0]}" (${
          b[1]
        }): unusual enough to search for and trademark.`,
      });
    } else {
      // No pair of roots blends into a sayable word: another compound takes its place.
      compound(4, firstTail);
    }
    const [image, imageMeaning] = root(3);
    add({
      name: capitalise(image),
      strategy: "metaphor",
      rationale: `${capitalise(image)}: ${imageMeaning}. A calm, concrete image for ${domain}.`,
    });
  }
  for (let attempt = 0; attempt < 12 && candidates.length < 6; attempt++) {
    add({
      name: capitalise(invented(random)),
      strategy: "invented",
      rationale:
        "An invented word with open vowels: no prior meaning to fight, easy to say in most languages, and the brand can fill it.",
    });
  }
  return candidates;
}

/** The candidate to lead with: short, sayable names first; the seed breaks ties. */
export function chooseName(candidates: readonly Candidate[], random: Random): Candidate {
  const preference: Record<Candidate["strategy"], number> = {
    compound: 3,
    metaphor: 2.2,
    blend: 2,
    suffix: 2.2,
    invented: 1,
    descriptive: 0,
  };
  const score = (candidate: Candidate) => {
    const length = candidate.name.length;
    const lengthScore = length >= 5 && length <= 10 ? 2 : length <= 12 ? 1 : 0;
    return preference[candidate.strategy] + lengthScore + random.next() * 1.5;
  };
  return candidates.map((candidate) => ({ candidate, score: score(candidate) }))
    .sort((a, b) => b.score - a.score)[0].candidate;
}
