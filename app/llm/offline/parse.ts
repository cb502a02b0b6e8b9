/**
 * Directive parsing: compromise tags the words; our lexicons correct it where a product
 * directive differs from prose ("booking app", "developers verify ..."). The directive is
 * data: only letters, digits and plain punctuation survive, so markup never reaches output.
 */
import nlp from "compromise";
import {
  ACRONYMS,
  ACTORS,
  DOMAIN_NOUNS,
  FIXED_PHRASES,
  FRAME_VERBS,
  GERUND_OBJECTS,
  IGNORED_ADJECTIVES,
  IGNORED_NOUNS,
  KNOWN_VERBS,
  NOT_ACTORS,
  ORGANISATIONS,
  PRODUCT_WORDS,
  THING_PRODUCT_WORDS,
  TOOL_AGENTS,
} from "./lexicon.ts";
import { type Noun, noun, pluralise, singularise } from "./text.ts";
import { conceptsForTerm } from "./knowledge/concepts.ts";
import { isModifierWord, isNoun, isVerb, nounKind } from "./wordnet.ts";

/** A noun phrase of the directive: "local farmers" → head "farmer", adjective "local". */
export interface Phrase {
  /** Full phrase, adjectives included ("local farmer"). */
  noun: Noun;
  /** Without adjectives ("farmer"); entity names come from this. */
  core: Noun;
  head: string;
  modifiers: string[];
  adjectives: string[];
  /** Only seen as a modifier of the product word ("a kanban planner"): a weaker object. */
  weak: boolean;
  /** Named in a purpose clause ("so owners wait in the car"): context, not the product's thing. */
  aside?: boolean;
}

/** An action of the directive: "farmers sell vegetable boxes". */
export interface Action {
  verb: string;
  subject: Phrase | null;
  object: Phrase | null;
}

/** What the offline engine reads from a directive. */
export interface ParsedDirective {
  /** The directive as data: markup and unusual characters removed, at most 400 characters. */
  text: string;
  actors: Phrase[];
  /** People named only as owners ("grandma's cards"): records, not the product's users. */
  owners: Phrase[];
  objects: Phrase[];
  actions: Action[];
  /** Words naming the kind of product ("marketplace", "api"). */
  productWords: string[];
  /** Every lemma, for archetype scoring. */
  lemmas: string[];
  /** Lower-case words of the directive; brand names must not contain them. */
  words: string[];
}

/** Verbs whose gerund, leading a phrase, acts on the rest of it ("booking meeting rooms"). */
const ACTING_GERUNDS = new Set([
  "book",
  "reserve",
  "rent",
  "hire",
  "schedule",
  "swap",
  "sell",
  "buy",
  "share",
  "track",
  "manage",
  "organise",
  "organize",
  "plan",
  "find",
  "monitor",
  "report",
  "log",
  "record",
  "audit",
  "review",
  "collect",
  "compare",
  "coordinate",
]);

/** Words between a verb and its object that do not end the verb's phrase. */
const LEAD_INS = new Set([
  "a",
  "an",
  "the",
  "their",
  "your",
  "our",
  "my",
  "his",
  "her",
  "its",
  "each",
  "every",
]);

/** Quantities that lead up to a thing ("hundreds of schools"). */
const QUANTITY_WORDS = new Set(
  `hundreds thousands dozens millions lots loads plenty scores tens`.split(/\s+/),
);

/** Pronouns a purpose infinitive may follow ("reminds me to water"). */
const OBJECT_PRONOUNS = new Set(["me", "us", "you", "them", "him", "her", "everyone"]);

/** Verbs that, opening a directive before "a"/"an", only say "make me this product". */
const MAKING_VERBS = new Set(["build", "create", "design", "develop", "make", "code", "launch"]);

/** Question words that open what a verb acts on ("track who has read it"). */
const WH_WORDS = new Set(["who", "what", "which", "where", "when", "how", "whether"]);

/** Prepositions the tagger sometimes reads as nouns ("website against WCAG"): never things. */
const PREPOSITIONS = new Set(
  `against toward towards between among amongst within without despite during versus via per near
  across along upon onto into unlike beneath beside besides beyond throughout underneath`
    .split(/\s+/),
);

/** Pronouns that stand for a thing a verb acts on ("claim them", "get it back"). */
const THING_PRONOUNS = new Set(["them", "it", "him", "her", "us", "me"]);

/** Words after which the people named do something ("help a pantry report", "let a club plan"). */
const HELPING_WORDS = new Set(["help", "helps", "let", "lets"]);

/** Prepositions the tagger knows, before which an "-s" word is a plural ("for reports"). */
const COMMON_PREPOSITIONS = new Set(["of", "for", "with", "from", "in", "on", "at", "by"]);

/** A verb's base from its third-person form: "books" → "book", "matches" → "match". */
function thirdPersonBase(word: string): string {
  return word.replace(/(?:(?<=[sxz]|[cs]h)es|s)$/, "");
}

/** Whether the word before `start`, past any determiners, is "help" or "let". */
function helpedFrom(tokens: readonly Token[], start: number): boolean {
  let lead = start - 1;
  while (lead >= 0 && DETERMINERS.has(tokens[lead].word)) lead--;
  return HELPING_WORDS.has(tokens[lead]?.word ?? "");
}

/** Verbs that only say the product lets someone act ("a tool that lets teams…"). */
const ENABLING_VERBS = new Set(["let", "help", "allow", "enable", "make", "give", "get"]);

/** Words opening a purpose or reason clause, whose things are context. */
const ASIDE_WORDS = new Set(["so", "because", "unless"]);

/** Product words that sell what they name ("a knitting pattern shop"). */
const SELLING_WORDS = new Set(["shop", "store", "marketplace", "market", "boutique"]);

/** Particles of a phrasal verb ("rent out", "sign up"): part of the verb, not its object. */
const PARTICLES = new Set(["out", "up", "off", "away", "back", "down", "over"]);

interface Token {
  word: string;
  lemma: string;
  kind: "break" | "adjective" | "noun" | "verb" | "gerund";
  /** Punctuation after the word ends a phrase. */
  stop: boolean;
  /** The punctuation is a comma: it may separate the items of a list. */
  comma?: boolean;
  /** A name capitalised inside the sentence ("a Slack bot"): a platform, not a thing. */
  proper?: boolean;
  /** A possessive person ("grandma's", "members'"): a phrase of its own before the thing. */
  owner?: boolean;
  /** The particle of a phrasal verb ("out" in "rent out"). */
  particle?: boolean;
  /** An owner that is a thing, not a person ("car's"). */
  thing?: boolean;
}

const BREAK_TAGS = [
  "Determiner",
  "Preposition",
  "Conjunction",
  "Pronoun",
  "QuestionWord",
  "Possessive",
  "Adverb",
  "Modal",
  "Copula",
  "Auxiliary",
  "Value",
];

/** A word as written in prose: acronyms in capitals ("HR team", "SMS reminder"). */
function shown(word: string): string {
  if (MIXED_CASE[word]) return MIXED_CASE[word];
  if (ACRONYMS.has(word)) return word.toUpperCase();
  return PROPER_WORDS.has(word) ? word[0].toUpperCase() + word.slice(1) : word;
}

/** Acronyms written in mixed case. */
const MIXED_CASE: Record<string, string> = { saas: "SaaS", ios: "iOS", b2b: "B2B" };

/** Words English always capitalises: days and months ("Sunday arrangements"). */
const PROPER_WORDS = new Set(
  `monday tuesday wednesday thursday friday saturday sunday january february march april may
  june july august september october november december`.split(/\s+/),
);

/** Strips markup and anything but letters, digits and plain punctuation. */
export function sanitiseDirective(directive: string): string {
  // Calls written as code ("alert(1)", "process.exit()") are not words of a product idea.
  return directive.replace(/<[^>]*>?/g, " ").replace(/&[#a-z0-9]+;/gi, " ")
    .replace(/[\p{L}_$][\p{L}\p{N}_$.]*\([^)]*\)/gu, " ")
    .replace(/[^\p{L}\p{N}\s.,;:!?'’&/-]/gu, " ").replace(/\s+/g, " ").trim().slice(0, 400);
}

/** A verb WordNet or our list knows, also with a "pre"/"re" prefix ("preorder"): its base. */
function verbWord(word: string): string | undefined {
  if (KNOWN_VERBS.has(word) || isVerb(word)) return word;
  const base = /^(?:pre|re)([a-z]{3,})$/.exec(word)?.[1];
  return base && (KNOWN_VERBS.has(base) || isVerb(base)) ? word : undefined;
}

/** The infinitive behind a gerund ("delivering" → "deliver"), if it is a known verb. */
function gerundStem(word: string): string | undefined {
  if (!word.endsWith("ing") || word.length < 6) return undefined;
  const stem = word.slice(0, -3);
  const candidates = [stem, `${stem}e`, stem.slice(0, -1)];
  return candidates.find((candidate) => KNOWN_VERBS.has(candidate));
}

/** Whether a singular noun names a person or organisation. */
export function isActor(lemma: string): boolean {
  if (ACTORS.has(lemma)) return true;
  // "a high-school", "a fire-station": a compound is what its last word is.
  if (/^[a-z]+-[a-z]+$/.test(lemma) && FIXED_PHRASE_WORDS.has(lemma)) {
    return isActor(lemma.split("-").at(-1)!);
  }
  if (NOT_ACTORS.has(lemma) || PRODUCT_WORDS.has(lemma)) return false;
  // WordNet's most frequent sense decides when it knows the word ("hiker", "referee").
  const kind = nounKind(lemma);
  if (kind) return kind === "person";
  if (lemma.length < 6) return false;
  // Agent nouns ("astronomer", "illustrator", "florist", "librarian") name people.
  return /(?:[^e]er|or|ist|ian)$/.test(lemma) && !lemma.endsWith("list") && !isVerb(lemma);
}

/** Words that lead up to a noun: with one before it, "the crew" is a subject. */
const DETERMINERS = new Set(["the", "a", "an", "each", "every", "their", "our", "my", "your"]);

function classifyTerm(
  term: CompromiseTerm,
  previous: Token | undefined,
  beforePrevious: Token | undefined,
  determinerBefore?: string,
): Token {
  const word = (term.normal ?? "").toLowerCase().replace(/[^a-z'-]/g, "");
  const tags = new Set(term.tags);
  const stop = /[.,;:!?]/.test(term.post ?? "");
  const raw = term.text ?? word;
  const shouted = /^[A-Z]{3,}$/.test(raw) && !ACRONYMS.has(word);
  // Paths, commands and code ("etc/passwd", "-rf") are not words of a product idea.
  const code = /[^\p{L}\p{N}'’-]/u.test(raw.replace(/[.,;:!?]+$/, ""));
  if (code) return { word, lemma: word, kind: "break", stop: true };
  // "the public": the people at large, a noun however the tagger reads it.
  if (word === "public" && previous?.word === "the") {
    return { word, lemma: word, kind: "noun", stop };
  }
  // "get them back", "bring it back": after a pronoun, "back" is a particle.
  if (word === "back" && THING_PRONOUNS.has(previous?.word ?? "")) {
    return { word, lemma: word, kind: "break", stop };
  }
  // "hundreds of schools", "dozens of volunteers": a quantity leads up to the thing.
  if (QUANTITY_WORDS.has(word)) return { word, lemma: word, kind: "break", stop };
  const tooShort = word.length < 3 && !ACRONYMS.has(word);
  // No English word a directive needs is longer than this; longer runs are noise.
  const tooLong = word.length > 24;
  if (!/^[a-z]/.test(word) || tooShort || tooLong || shouted) {
    return { word, lemma: word, kind: "break", stop };
  }
  const lemma = (term.root && /^[a-z' -]+$/.test(term.root) ? term.root : undefined) ??
    (tags.has("Plural") ? singularise(word) : word);
  // "their children's clothes", "members' produce": the owner leads up to the thing, it is not
  // part of it; an owner who is a person is one of the directive's people.
  const plainPossessive = tags.has("Possessive") && !tags.has("Pronoun") &&
    /^['’]/.test(term.post ?? "");
  if (/'s$/.test(word) || plainPossessive) {
    const owner = singularise(word.replace(/'s$/, ""));
    const bare = word.replace(/['’]s$/, "");
    if (isActor(owner)) return { word: bare, lemma: owner, kind: "noun", stop, owner: true };
    // "my car's fuel economy": a thing that owns the next one is a thing of the directive too.
    const thingKind = nounKind(owner);
    if (thingKind && ["equipment", "place", "living", "product"].includes(thingKind)) {
      return { word: bare, lemma: owner, kind: "noun", stop, owner: true, thing: true };
    }
    return { word, lemma, kind: "break", stop };
  }
  const stem = gerundStem(word);
  if (stem || GERUND_OBJECTS[word] || (tags.has("Gerund") && word.endsWith("ing"))) {
    return { word, lemma: stem ?? lemma, kind: "gerund", stop };
  }
  const sBase = thirdPersonBase(word);
  // "a tool that books rooms": after a relative pronoun, a known verb's "-s" form is the verb.
  if (
    ["that", "which", "who"].includes(previous?.word ?? "") && sBase !== word &&
    (KNOWN_VERBS.has(sBase) || (isVerb(sBase) && tags.has("Verb") && !ENABLING_VERBS.has(sBase)))
  ) {
    return { word, lemma: sBase, kind: "verb", stop };
  }
  const singular = isActor(lemma) ? lemma : singularise(word);
  if (isActor(singular) || ACTORS.has(word)) {
    return { word, lemma: isActor(singular) ? singular : word, kind: "noun", stop };
  }
  // "prints" after "art" is a thing; "print your prompt" and "rm" only frame or command.
  const frame = FRAME_VERBS.has(word) || FRAME_VERBS.has(lemma);
  if (frame && !tags.has("Plural")) return { word, lemma, kind: "break", stop };
  // "vintage bikes", "art prints": after a thing or a quality, "-s" is a plural, not a verb.
  // "the crew knows where", "the city tracks repairs": after "the" and one thing, a present
  // tense the tagger sees is the thing's action.
  // "the public reports swarms": the public is a body of people acting.
  const subjectVerb = previous?.kind === "noun" && previous.word === previous.lemma &&
    !previous.stop &&
    (DETERMINERS.has(beforePrevious?.word ?? "") ||
      (beforePrevious?.kind === "adjective" && DETERMINERS.has(determinerBefore ?? ""))) &&
    ((tags.has("PresentTense") && isVerb(lemma)) ||
      (previous.word === "public" && sBase !== word && KNOWN_VERBS.has(sBase)));
  const pluralAfterThing = word.endsWith("s") && !word.endsWith("ss") && !subjectVerb &&
    (previous?.kind === "adjective" || (previous?.kind === "noun" && !isActor(previous.lemma)) ||
      // "and cleaning cycles": a gerund opening a phrase names the plural after it.
      (previous?.kind === "gerund" && ["and", "or", "the", "of", "with", "for"].includes(
        beforePrevious?.word ?? "",
      )));
  if (pluralAfterThing && tags.has("Verb")) {
    return { word, lemma: singularise(word), kind: "noun", stop };
  }
  if (KNOWN_VERBS.has(word) && tags.has("Verb")) return { word, lemma: word, kind: "verb", stop };
  // "photographers to deliver galleries": after "to", a known verb is an infinitive.
  if (previous?.word === "to" && KNOWN_VERBS.has(word) && !tags.has("Plural")) {
    return { word, lemma: word, kind: "verb", stop };
  }
  // "a tool for our support team to triage bug reports": after a thing and "to", a verb
  // WordNet knows is the purpose, unless the word names a place or body ("trips to school").
  const purposeVerb = previous?.word === "to" &&
    (beforePrevious?.kind === "noun" || OBJECT_PRONOUNS.has(beforePrevious?.word ?? "")) &&
    !tags.has("Plural") && isVerb(word) &&
    !["place", "organisation", "group", "person"].includes(nounKind(word) ?? "");
  if (purposeVerb) return { word, lemma: word, kind: "verb", stop };
  // "matching temps to shifts": after "to", an "-s" form is no infinitive but a plural.
  if (previous?.word === "to" && /[^s]s$/.test(word) && isNoun(singularise(word))) {
    return { word, lemma: singularise(word), kind: "noun", stop };
  }
  if (subjectVerb) return { word, lemma: isVerb(lemma) ? lemma : sBase, kind: "verb", stop };
  // "parents swap clothes": right after plural people, a bare known verb is their action.
  const afterPeople = previous?.kind === "noun" && !previous.stop && isActor(previous.lemma) &&
    previous.word !== previous.lemma;
  if (afterPeople && KNOWN_VERBS.has(word) && !tags.has("Plural")) {
    return { word, lemma: word, kind: "verb", stop };
  }
  if (BREAK_TAGS.some((tag) => tags.has(tag)) || PREPOSITIONS.has(word)) {
    return { word, lemma, kind: "break", stop };
  }
  // "clinical trial recruitment": a word WordNet knows only as a noun is no adjective.
  const onlyNounWord = isNoun(word) && !isModifierWord(word) && !isVerb(word);
  // "a setlist builder": a word no lexicon knows, shaped like no adjective, is a thing's name.
  const unknownWord = !word.includes("-") && !isNoun(word) && !isVerb(word) &&
    !isModifierWord(word) &&
    !/(?:al|ous|ive|ful|less|able|ible|ic|ish|ed|ing|ly|ary|ant|ent|est|er|y)$/.test(word);
  if (tags.has("Adjective") && !tags.has("Noun") && !onlyNounWord && !unknownWord) {
    return { word, lemma, kind: "adjective", stop };
  }
  // "into coordinates", "for reports": right after a preposition, an "-s" word is a plural.
  const afterPreposition = PREPOSITIONS.has(previous?.word ?? "") ||
    COMMON_PREPOSITIONS.has(previous?.word ?? "");
  if (afterPreposition && /[^s]s$/.test(word) && isNoun(singularise(word))) {
    return { word, lemma: singularise(word), kind: "noun", stop };
  }
  // "varroa mite counts": what WordNet knows only as a noun is no verb, whatever the tagger says.
  const onlyNoun = !isVerb(lemma) && !isVerb(word) && isNoun(word);
  if (tags.has("Verb") && !PRODUCT_WORDS.has(word) && !onlyNoun) {
    return { word, lemma, kind: "verb", stop };
  }
  // "the office assigns captioners": a third-person verb WordNet has no noun for.
  const afterThing = previous?.kind === "noun" && !previous.stop;
  if (
    afterThing && sBase !== word && !word.endsWith("ss") && isVerb(sBase) && !isNoun(sBase) &&
    !isNoun(word)
  ) {
    return { word, lemma: sBase, kind: "verb", stop };
  }
  return { word, lemma: tags.has("Plural") ? lemma : word, kind: "noun", stop };
}

/**
 * "on-call rota", "walk-in queue", "long-distance hikers": compromise splits hyphenated words;
 * they are one word, describing the noun after them or else a noun themselves.
 */
function joinHyphenated(terms: CompromiseTerm[]): CompromiseTerm[] {
  const out: CompromiseTerm[] = [];
  for (let i = 0; i < terms.length; i++) {
    let term = terms[i];
    // "same-day", "real-time", "per-minute" are constraints on time, not part of a thing.
    const timed = /^(?:minute|hour|day|week|month|year|time|term)$/.test(
      terms[i + 1]?.normal ?? "",
    );
    if (timed) {
      out.push(term);
      continue;
    }
    while (term.post === "-" && terms[i + 1] && /^[a-z]/i.test(terms[i + 1].normal ?? "")) {
      const next = terms[++i];
      term = {
        text: `${term.text ?? ""}-${next.text ?? ""}`,
        normal: `${term.normal ?? ""}-${next.normal ?? ""}`,
        tags: next.tags,
        post: next.post,
      };
    }
    if (term !== terms[i] || (term.normal ?? "").includes("-")) {
      const after = terms[i + 1];
      const describes = !/[.,;:!?]/.test(term.post ?? "") &&
        (after?.tags.includes("Noun") || after?.tags.includes("Gerund"));
      term = { ...term, tags: describes ? ["Adjective"] : ["Noun", "Singular"] };
    }
    out.push(term);
  }
  return out;
}

export function tokenise(text: string): Token[] {
  const doc = nlp(text);
  doc.compute("root");
  const terms = (doc.json() as { terms: CompromiseTerm[] }[]).flatMap((sentence, index) =>
    index === 0 ? sentence.terms : [{ normal: "", tags: [], post: "." }, ...sentence.terms]
  );
  const tokens: Token[] = [];
  // "Plan Meals For My Family": a directive in title case says nothing by its capitals.
  const capitals = terms.filter((term) => /^[A-Z]/.test(term.text ?? "")).length;
  const titleCase = capitals > 2 && capitals >= terms.length / 2;
  for (const term of joinHyphenated(terms)) {
    const token = classifyTerm(term, tokens.at(-1), tokens.at(-2), tokens.at(-3)?.word);
    const proper = tokens.length > 0 && !tokens.at(-1)!.stop && term.tags.includes("ProperNoun") &&
      /^[A-Z][a-z]+(?:[A-Z][a-z]+)*$/.test(term.text ?? "") && !titleCase;
    tokens.push({
      ...token,
      ...(/^\s*,\s*$/.test(term.post ?? "") ? { comma: true } : {}),
      ...(proper ? { proper: true } : {}),
    });
  }
  // "retired schoolteachers offer": a participle right before a noun describes it.
  return tokens.map((token, index) => {
    const next = tokens[index + 1];
    const participle = /[^e]ed$/.test(token.word) ||
      (/en$/.test(token.word) && isModifierWord(token.word));
    const describes = token.kind === "verb" && !token.stop && participle && next?.kind === "noun";
    if (describes) return { ...token, lemma: token.word, kind: "adjective" as const };
    const previous = tokens[index - 1];
    // "help a food pantry report how money was spent": after a thing and before "how",
    // "what" or "which", a bare verb-word is the thing's action.
    if (
      (token.kind === "noun" || token.kind === "verb") && !token.stop &&
      previous?.kind === "noun" && !previous.stop &&
      ["how", "what", "which", "whether"].includes(next?.word ?? "") &&
      token.word === token.lemma && (KNOWN_VERBS.has(token.word) || isVerb(token.word))
    ) {
      return { ...token, kind: "verb" as const, lemma: token.word };
    }
    // "let a cycling club plan group rides": after "let"/"help" and the people it names, a
    // verb-word before a thing is what they do.
    if (token.kind === "noun" && !token.stop && index > 0 && previous?.kind === "noun") {
      let start = index - 1;
      while (start > 0 && ["noun", "adjective", "gerund"].includes(tokens[start - 1].kind)) start--;
      const helped = helpedFrom(tokens, start) && !tokens.slice(start, index).some((t) => t.stop);
      if (
        helped && token.word === token.lemma && KNOWN_VERBS.has(token.word) &&
        (next?.kind === "noun" || next?.kind === "adjective" || DETERMINERS.has(next?.word ?? ""))
      ) {
        return { ...token, kind: "verb" as const };
      }
    }
    // "a repair cafe", "the plan": right after an article, a word is no verb.
    if (
      token.kind === "verb" && ["a", "an", "the"].includes(previous?.word ?? "") &&
      isNoun(token.word)
    ) {
      return { ...token, kind: "noun" as const, lemma: token.word };
    }
    // "security matches them": right before an object pronoun, an "-s" form is the verb.
    const sBase = thirdPersonBase(token.word);
    if (
      token.kind === "noun" && !token.stop && sBase !== token.word &&
      THING_PRONOUNS.has(next?.word ?? "") &&
      (KNOWN_VERBS.has(sBase) || isVerb(sBase))
    ) {
      return { ...token, kind: "verb" as const, lemma: sBase };
    }
    // "receive and complete jobs": between a verb and "and" and a thing, a verb-word is the
    // second verb.
    if (
      (token.kind === "adjective" || token.kind === "noun") && previous?.word === "and" &&
      tokens[index - 2]?.kind === "verb" && !tokens[index - 2].stop && !token.stop &&
      isVerb(token.word) && (next?.kind === "noun" || next?.kind === "verb")
    ) {
      return { ...token, kind: "verb" as const, lemma: token.word };
    }
    // "complete transport jobs": a verb-word between a verb (or a word describing) and a
    // plural thing describes the thing.
    if (
      token.kind === "verb" && (previous?.kind === "verb" || previous?.kind === "adjective") &&
      !previous.stop && !token.stop &&
      next?.kind === "noun" && next.word !== next.lemma && isNoun(token.word) &&
      token.word === token.lemma && !PARTICLES.has(token.word)
    ) {
      return { ...token, kind: "noun" as const };
    }
    // "nurses swap shifts": right after a verb, an "-s" word is its object, not a second verb.
    if (
      token.kind === "verb" && previous?.kind === "verb" && !previous.stop &&
      /[^s]s$/.test(token.word) && isNoun(singularise(token.word))
    ) {
      return { ...token, kind: "noun" as const, lemma: singularise(token.word) };
    }
    // "build a CRM for florists": a making verb opening the directive only frames it.
    if (
      index === 0 && token.kind === "verb" && MAKING_VERBS.has(token.word) &&
      ["a", "an", "the", "my", "our"].includes(next?.word ?? "")
    ) {
      return { ...token, kind: "break" as const };
    }
    // "parents at a primary school swap uniforms": after people and a place they are at, a
    // known verb is what the people do.
    if (
      token.kind === "noun" && token.word === token.lemma && KNOWN_VERBS.has(token.word) &&
      previous?.kind === "noun" && !previous.stop && peopleBeforePlace(tokens, index)
    ) {
      return { ...token, kind: "verb" as const, lemma: token.word };
    }
    // "log hours and supplies at each house": after "and" and a thing, an "-s" word before a
    // preposition or the end is a second thing, not a verb.
    if (
      token.kind === "verb" && ["and", "or"].includes(previous?.word ?? "") &&
      tokens[index - 2]?.kind === "noun" && /[^s]s$/.test(token.word) &&
      isNoun(singularise(token.word)) && (token.stop || !next || next.kind === "break")
    ) {
      return { ...token, kind: "noun" as const, lemma: singularise(token.word) };
    }
    // "rent out unused tractors": the particle belongs to the verb before it.
    const phrasal = previous?.kind === "verb" ||
      (previous?.kind === "gerund" && ACTING_GERUNDS.has(previous.lemma));
    if (phrasal && !previous.stop && PARTICLES.has(token.word)) {
      return { ...token, kind: "break" as const, lemma: token.word, particle: true };
    }
    // "kids photograph ladybugs", "parents preorder lunches": right after plural people, a
    // verb WordNet knows, before a plural thing or the clause's end, is what they do.
    const peopleAct = token.kind === "noun" && previous?.kind === "noun" && !previous.stop &&
      !previous.owner &&
      (isActor(previous.lemma) ||
        ["organisation", "place"].includes(nounKind(previous.lemma) ?? "")) &&
      previous.word !== previous.lemma &&
      token.word === token.lemma && !/s$/.test(token.word) && verbWord(token.word) &&
      (!next || token.stop || next.kind === "break" || next.kind === "adjective" ||
        (next.kind === "verb" && tokens[index + 2]?.kind === "noun") ||
        (next.kind === "noun" && next.word !== next.lemma)) &&
      nounKind(`${previous.lemma} ${token.word}`) === undefined &&
      nounKind(`${previous.word} ${token.word}`) === undefined;
    if (peopleAct) return { ...token, kind: "verb" as const, lemma: verbWord(token.word)! };
    const clauseStart = !previous || previous.stop || previous.kind === "break";
    // "a rooftop community garden during…": a base-form verb ending a phrase that "a"/"the"
    // opened, after a thing, is that phrase's head noun.
    if (
      token.kind === "verb" && token.word === token.lemma && previous?.kind === "noun" &&
      !previous.stop && !isActor(previous.lemma) && isNoun(token.word) &&
      (token.stop || !next || next.kind === "break")
    ) {
      let start = index - 1;
      while (start > 0 && ["noun", "adjective"].includes(tokens[start - 1].kind)) start--;
      if (start > 0 && LEAD_INS.has(tokens[start - 1].word)) {
        return { ...token, kind: "noun" as const };
      }
    }
    // "interview scheduling", "visit planning": a thing-word before the activity that ends the
    // phrase is what the activity acts on, not an imperative.
    const afterNext = tokens[index + 2];
    if (
      token.kind === "verb" && clauseStart && !token.stop && next?.kind === "gerund" &&
      ACTING_GERUNDS.has(next.lemma) &&
      (next.stop || !afterNext || !["noun", "gerund", "adjective"].includes(afterNext.kind)) &&
      isNoun(token.word)
    ) {
      return { ...token, kind: "noun" as const };
    }
    // "work orders": a word WordNet knows as one noun with the next is not a verb.
    if (
      token.kind === "verb" && clauseStart && !token.stop && next?.kind === "noun" &&
      nounKind(`${token.word} ${singularise(next.word)}`) !== undefined
    ) {
      return { ...token, kind: "noun" as const };
    }
    // "contract review queue", "a help request": opening the directive, a clause or a noun
    // phrase, a word our verb list
    // lacks that WordNet knows as a thing names that thing before the noun after it.
    const thingWord = nounKind(token.word);
    if (
      token.kind === "verb" && (!previous || previous.stop || LEAD_INS.has(previous.word)) &&
      !token.stop && next?.kind === "noun" &&
      !isActor(next.lemma) && !KNOWN_VERBS.has(token.word) && isNoun(token.word) &&
      thingWord !== undefined &&
      !["abstract", "person", "group", "organisation"].includes(thingWord)
    ) {
      return { ...token, kind: "noun" as const };
    }
    // "mentor apprentices and log sessions": after "and" in a clause that has a verb, a
    // known verb before a thing is a second action.
    if (
      token.kind === "noun" && ["and", "or"].includes(previous?.word ?? "") && !token.stop &&
      KNOWN_VERBS.has(token.word) && !(isActor(token.word) && !ORGANISATIONS.has(token.word)) &&
      (next?.kind === "noun" || next?.kind === "adjective" || WH_WORDS.has(next?.word ?? "")) &&
      clauseHasVerb(tokens, index)
    ) {
      return { ...token, kind: "verb" as const, lemma: token.word };
    }
    // "track varroa counts", "…: dispatch technicians": a known verb opening the directive or
    // a clause, before a noun, is an imperative.
    if (
      token.kind === "noun" && clauseStart && (!previous || previous.stop) && !token.stop &&
      KNOWN_VERBS.has(token.word) &&
      (next?.kind === "noun" || next?.kind === "adjective" || LEAD_INS.has(next?.word ?? "")) &&
      // "volunteer hours": a person-word before a thing names whose thing it is.
      !(isActor(token.lemma) && next?.kind === "noun" && !isActor(next.lemma))
    ) {
      return { ...token, kind: "verb" as const, lemma: token.word };
    }
    return token;
  });
}

/** Prepositions of place between people and where they are ("parents at a school"). */
const PLACE_PREPOSITIONS = new Set(["at", "in", "on", "from", "near", "across"]);

/** Whether the noun phrase before `index` is a place after plural people ("parents at a school"). */
function peopleBeforePlace(tokens: readonly Token[], index: number): boolean {
  let start = index - 1;
  while (start > 0 && ["noun", "adjective"].includes(tokens[start - 1].kind)) start--;
  let at = start - 1;
  while (at >= 0 && LEAD_INS.has(tokens[at].word)) at--;
  const preposition = tokens[at];
  const people = tokens[at - 1];
  return preposition !== undefined && PLACE_PREPOSITIONS.has(preposition.word) &&
    people?.kind === "noun" && isActor(people.lemma) && people.word !== people.lemma;
}

/** Whether a verb comes before `index` in its clause (since the last stop). */
function clauseHasVerb(tokens: readonly Token[], index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    if (tokens[i].kind === "verb") return true;
    if (tokens[i].stop) return false;
  }
  return false;
}

/** After a comma at `index`, more items and an "and"/"or" come before any verb or full stop. */
function listFollows(tokens: readonly Token[], index: number): boolean {
  for (const token of tokens.slice(index + 1, index + 12)) {
    if (token.kind === "verb" || ASIDE_WORDS.has(token.word)) return false;
    if (token.kind === "break" && (token.word === "and" || token.word === "or")) return true;
    if (token.stop && !token.comma) return false;
  }
  return false;
}

/**
 * Whether the words ahead, past any gerunds, qualities and particles ("meeting", "suspicious"),
 * reach a thing, not a product word.
 */
function namesThing(ahead: readonly Token[]): boolean {
  const next = ahead.find((token) =>
    token.kind !== "gerund" && token.kind !== "adjective" && !token.particle
  );
  return next?.kind === "noun" && !PRODUCT_WORDS.has(next.lemma);
}

interface CompromiseTerm {
  text?: string;
  normal?: string;
  root?: string;
  tags: string[];
  post?: string;
}

/** Parses a directive into actors, objects and actions. */
export function parseDirective(directive: string): ParsedDirective {
  const text = sanitiseDirective(directive);
  const tokens = tokenise(joinFixedPhrases(text));
  const actors: Phrase[] = [];
  const owners: Phrase[] = [];
  const objects: Phrase[] = [];
  const actions: Action[] = [];
  const productWords: string[] = [];
  const lemmas = new Set<string>();

  let run: Token[] = [];
  let lastPhrase: { phrase: Phrase; actor: boolean } | null = null;
  let openVerb: Action | null = null;
  // After "and", a verb that already has an object takes a second one.
  let continued = false;
  let previousKind: Token["kind"] = "break";
  // "An online store selling mugs": a word that is both a product and an actor ("store",
  // "studio") names the product after "a"/"an" or at the very start; otherwise the people.
  let opening = tokens[0]?.kind !== "break";
  // The word before the current run ("the" in "the generator").
  let runLead = "";
  let previousWord = "";

  let owning = false;
  // The run being flushed is the subject of a "help …"/"let …" clause.
  let subjectRun = false;
  // Inside a purpose clause ("so the crew knows…") until the next stop.
  let aside = false;
  const addPhrase = (phrase: Phrase, actor: boolean) => {
    if (owning) {
      if (![...actors, ...owners].some((known) => known.core.one === phrase.core.one)) {
        owners.push(phrase);
      }
      return;
    }
    if (aside && !actor) phrase = { ...phrase, aside: true };
    const list = actor ? actors : objects;
    if (!list.some((known) => known.core.one === phrase.core.one)) list.push(phrase);
    lastPhrase = { phrase, actor };
    if (!openVerb || actor) return;
    if (!openVerb.object) openVerb.object = phrase;
    else if (continued) {
      openVerb = { verb: openVerb.verb, subject: openVerb.subject, object: phrase };
      actions.push(openVerb);
    }
    continued = false;
  };

  // A run of adjectives, gerunds and nouns ends in its head noun.
  const flush = () => {
    const words = run;
    run = [];
    let headIndex = words.findLastIndex((token) => token.kind === "noun");
    // "clinical trial recruitment", "grant money": when the last noun names a field of
    // activity or nothing at all, the noun before it is the thing.
    const empty = (token: Token) => IGNORED_NOUNS.has(token.lemma) || DOMAIN_NOUNS.has(token.lemma);
    if (
      headIndex > 0 && empty(words[headIndex]) && words[headIndex - 1].kind === "noun" &&
      !empty(words[headIndex - 1]) && !PRODUCT_WORDS.has(words[headIndex].lemma)
    ) {
      headIndex -= 1;
    }
    // "on-call scheduling", "weekly planning": a described activity with no thing after it is
    // the record it keeps ("on-call schedule") when WordNet knows its verb as a thing too.
    const final = words.at(-1);
    const described = words.length > 1 && words.slice(0, -1).every((t) => t.kind === "adjective");
    const activityKind = final?.kind === "gerund" ? nounKind(final.lemma) : undefined;
    if (headIndex < 0 && described && activityKind && activityKind !== "abstract") {
      const all = words.slice(0, -1).map((token) => shown(token.word));
      const one = final!.lemma;
      // A compound ("on-call") is part of the thing's name; a plain quality is not.
      const named = all.filter((word) => word.includes("-")).slice(-1);
      addPhrase({
        noun: noun([...all, one].join(" "), [...all, pluralise(one)].join(" ")),
        core: noun([...named, one].join(" "), [...named, pluralise(one)].join(" ")),
        head: one,
        modifiers: named,
        adjectives: all,
        weak: false,
      }, false);
      return;
    }
    if (headIndex < 0) {
      for (const token of words) {
        const thing = token.kind === "gerund" ? GERUND_OBJECTS[token.word] : undefined;
        // "offer online tutoring": the gerund names what is offered.
        if (thing && openVerb) addPhrase(plainPhrase(thing), false);
        else if (token.kind === "gerund" && KNOWN_VERBS.has(token.lemma)) {
          actions.push({ verb: token.lemma, subject: null, object: null });
        }
      }
      return;
    }
    const head = words[headIndex];
    const before = words.slice(0, headIndex);
    // "across job sites", "drop-off sites": a word that is a product or a place names the
    // product only opening the directive or after "a"/"an".
    // "a blameless postmortem writer": an agent word after a thing is the tool that makes it.
    const toolAgent = TOOL_AGENTS.has(head.lemma) && before.at(-1)?.kind === "noun" &&
      !isActor(before.at(-1)!.lemma);
    // A thing-like product word is the thing when plural or owned ("power tools", "the
    // generator"); "an on-call scheduling and incident paging tool" is still the product.
    const thingUse = THING_PRODUCT_WORDS.has(head.lemma) &&
      (head.word !== head.lemma || (DETERMINERS.has(runLead) && !["a", "an"].includes(runLead)));
    // "for wedding planners": a plural product word WordNet first knows as a person is people.
    const peopleUse = PRODUCT_WORDS.has(head.lemma) && head.word !== head.lemma &&
      runLead === "for" && nounKind(head.lemma) === "person";
    const isProduct = !peopleUse && (toolAgent || PRODUCT_WORDS.has(head.lemma) &&
        (!(isActor(head.lemma) || thingUse) || opening));
    if (isProduct) {
      productWords.push(head.lemma);
      // "a volunteer hours tracker": two nouns before the product word are one thing.
      const [first, second] = before.slice(-2);
      const plain = (token: Token | undefined) =>
        token?.kind === "noun" && !IGNORED_NOUNS.has(token.lemma) &&
        !DOMAIN_NOUNS.has(token.lemma) && !PRODUCT_WORDS.has(token.lemma);
      // "a repair cafe app": a pair a concept names is that one thing, not a cafe besides.
      const named = before.length >= 2 && plain(first) && plain(second) &&
        conceptsForTerm(`${first.word} ${second.word}`).length > 0;
      const pair = named || (before.length >= 2 && plain(first) && plain(second) &&
        !isActor(second.lemma));
      for (const token of before) {
        if (named && (token === first || token === second) && isActor(token.lemma)) continue;
        // "a Slack bot", "a Shopify store": the platform it runs on is no thing of its own.
        if (token.proper && token === before.at(-1)) continue;
        // "a neighbourhood-watch app": a fixed phrase before the product word is its thing.
        if (
          token.kind === "adjective" && FIXED_PHRASE_WORDS.has(token.word) &&
          token === before.at(-1)
        ) {
          addPhrase({ ...plainPhrase(token.word.replace(/-/g, " ")), weak: true }, false);
          continue;
        }
        if (token.kind === "gerund") {
          const thing = GERUND_OBJECTS[token.word];
          if (thing) addPhrase({ ...plainPhrase(thing), weak: true }, false);
          else if (KNOWN_VERBS.has(token.lemma)) {
            actions.push({ verb: token.lemma, subject: null, object: null });
          }
        } else if (
          token.kind === "noun" && !IGNORED_NOUNS.has(token.lemma) &&
          !DOMAIN_NOUNS.has(token.lemma)
        ) {
          // "a knitting pattern shop": what a shop names is what it sells, a thing of its own.
          const sold = SELLING_WORDS.has(head.lemma) && token === before.at(-1);
          // "a fantasy-football league manager": a compound before the noun is its modifier.
          const compound = before[before.indexOf(token) - 1];
          const modifier = compound?.kind === "adjective" && compound.word.includes("-")
            ? compound.word
            : undefined;
          if (PRODUCT_WORDS.has(token.lemma)) productWords.push(token.lemma);
          else if (modifier && !isActor(token.lemma)) {
            const one = `${modifier} ${token.lemma}`;
            addPhrase({
              ...plainPhrase(one),
              head: token.lemma,
              modifiers: [modifier],
              noun: noun(one, `${modifier} ${pluralise(token.lemma)}`),
              core: noun(one, `${modifier} ${pluralise(token.lemma)}`),
              weak: !sold,
            }, false);
          } else {
            addPhrase({ ...plainPhrase(token.lemma), weak: !sold }, isActor(token.lemma));
          }
        }
      }
      if (pair) {
        const one = singularise(second.word);
        const many = second.word === one ? pluralise(one) : second.word;
        const modifier = shown(first.word);
        addPhrase({
          noun: noun(`${modifier} ${one}`, `${modifier} ${many}`),
          core: noun(`${modifier} ${one}`, `${modifier} ${many}`),
          head: one,
          modifiers: [modifier],
          adjectives: [],
          weak: true,
        }, false);
      }
      return;
    }
    if (IGNORED_NOUNS.has(head.lemma) || DOMAIN_NOUNS.has(head.lemma)) return;
    // At most three words before the head: longer runs are lists, not one thing.
    // A word WordNet knows as one noun with the head ("work order", "time sheet") stays.
    const compound = (token: Token) =>
      token === before.at(-1) && nounKind(`${token.word} ${singularise(head.lemma)}`) !== undefined;
    const kept = before.filter((token) =>
      compound(token) || (!IGNORED_NOUNS.has(token.word) && !IGNORED_ADJECTIVES.has(token.word))
    ).slice(-3);
    const adjectives = kept.filter((token) =>
      token.kind === "adjective" && !token.word.includes("-")
    )
      .map((t) => t.word);
    // Entity names come from the core: at most one modifier ("equipment company"), a
    // hyphenated compound ("real-estate agents"), or a pair a concept names as one thing
    // ("box office sales").
    const nouns = kept.filter((token) => token.kind !== "adjective" || token.word.includes("-"));
    const pairModifier = nouns.length >= 2 &&
      conceptsForTerm(`${nouns.at(-2)!.word} ${singularise(nouns.at(-1)!.word)}`).length > 0;
    const modifiers = pairModifier
      ? [`${shown(nouns.at(-2)!.word)} ${shown(singularise(nouns.at(-1)!.word))}`]
      : nouns.map((t) => shown(t.word)).slice(-1);
    // "elderly people" are a group of users; "people" alone says nothing.
    const actor = isActor(head.lemma) || peopleUse || subjectRun ||
      (head.lemma === "person" && adjectives.length > 0);
    // A fixed phrase as the thing itself is written apart ("a primary school"); only before
    // another noun does it keep its hyphens ("high-school students").
    const spaced = (word: string) =>
      FIXED_PHRASE_WORDS.has(word) && /^[a-z]+-[a-z]+$/.test(word) ? word.replace("-", " ") : word;
    const headOne = spaced(shown(actor ? head.lemma : singularise(head.lemma)));
    const headMany = shown(
      head.word !== headOne && head.word.endsWith("s") ? head.word : pluralise(headOne),
    );
    const all = kept.map((token) => shown(token.word));
    const phrase: Phrase = {
      noun: noun([...all, headOne].join(" "), [...all, headMany].join(" ")),
      core: noun([...modifiers, headOne].join(" "), [...modifiers, headMany].join(" ")),
      head: headOne,
      modifiers,
      adjectives,
      weak: false,
    };
    addPhrase(phrase, actor);
    // "contract review queue", "spare parts warehouse": a thing named before the core, or a
    // plural naming what the head holds, is a record of its own.
    for (const token of kept.slice(0, -1)) {
      // "box office": a pair WordNet knows as one word has no box in it; a "contract
      // renewal" still has its contract.
      const idiom = pairModifier && token === nouns.at(-2) &&
        nounKind(`${token.word} ${singularise(nouns.at(-1)!.word)}`) !== undefined;
      if (token.kind === "noun" && !idiom) {
        addModifierThing(token);
      }
    }
    const last = kept.at(-1);
    if (
      last?.kind === "noun" && /[^s]s$/.test(last.word) && singularise(last.word) !== last.word
    ) {
      addModifierThing(last, true);
    }
  };

  // A plural ("parts") may be a thing WordNet reads abstractly first; a single word must not.
  const addModifierThing = (token: Token, held = false) => {
    const one = singularise(token.word);
    const kind = nounKind(one) ?? (held ? "abstract" : undefined);
    if (!kind || ["skill", "person", "organisation", "group"].includes(kind)) return;
    if (kind === "abstract" && !held) return;
    if (isActor(one) || PRODUCT_WORDS.has(one) || DOMAIN_NOUNS.has(one)) return;
    if (IGNORED_NOUNS.has(one) || objects.some((known) => known.core.one === one)) return;
    const [savedVerb, savedPhrase] = [openVerb, lastPhrase];
    openVerb = null;
    addPhrase({ ...plainPhrase(shown(one)), weak: true }, false);
    [openVerb, lastPhrase] = [savedVerb, savedPhrase];
  };

  for (const [index, token] of tokens.entries()) {
    if (token.lemma) lemmas.add(token.lemma);
    if (token.word && token.word !== token.lemma) lemmas.add(token.word);
    const followsNoun = previousKind === "noun";
    // "for booking meeting rooms": a leading gerund acts on the thing that follows.
    const leadsObject = token.kind === "gerund" && run.length === 0 && !token.stop &&
      ACTING_GERUNDS.has(token.lemma) && namesThing(tokens.slice(index + 1));
    if (
      token.kind === "verb" || leadsObject ||
      (token.kind === "gerund" && followsNoun && run.length > 0)
    ) {
      const trailing = token.kind === "gerund" && followsNoun && run.length > 0 && !leadsObject;
      // "help a food pantry report…", "let a club run…": who is helped to act is one of the
      // directive's people, whatever the noun.
      subjectRun = token.kind === "verb" && run.length > 0 &&
        helpedFrom(tokens, index - run.length);
      flush();
      subjectRun = false;
      const lastActor = lastPhrase as { phrase: Phrase; actor: boolean } | null;
      // "on-call scheduling", "incident paging": after a thing, the gerund acts on that thing
      // and takes nothing after it; after people ("farmers selling"), they are its subject.
      const actsOnLast = trailing && lastActor !== null && !lastActor.actor;
      openVerb = {
        verb: token.lemma,
        subject: lastActor?.actor ? lastActor.phrase : null,
        object: actsOnLast ? lastActor.phrase : null,
      };
      actions.push(openVerb);
      if (actsOnLast) openVerb = null;
    } else if (token.kind === "break") {
      flush();
      // "beekeepers claim them": the pronoun stands for the last thing named.
      const pronounObject = (token.word === "them" || token.word === "it") && openVerb &&
        !openVerb.object && objects.length > 0;
      if (pronounObject) {
        openVerb!.object = objects.findLast((phrase) => !phrase.weak) ?? objects.at(-1)!;
      }
      // "and" keeps a verb open for a second object: "manage inventory and staff shifts";
      // a determiner or possessive only leads up to it: "swap their children's clothes".
      // "budgets and the day-of timeline": a determiner after "and" keeps it going.
      continued = token.word === "and" || token.word === "or" ||
        (continued && DETERMINERS.has(token.word));
      if (ASIDE_WORDS.has(token.word)) aside = true;
      const leadsIn = LEAD_INS.has(token.word) || token.particle || /'s$/.test(token.word);
      if (!continued && !leadsIn) openVerb = null;
    } else {
      if (run.length === 0) {
        opening = previousWord === "" || ["a", "an"].includes(previousWord);
        runLead = previousWord;
      }
      run.push(token);
      if (token.owner && token.thing) {
        // A thing owner is a thing of the directive, not the verb's object.
        const savedVerb: Action | null = openVerb;
        openVerb = null;
        flush();
        openVerb = savedVerb;
      } else if (token.owner) {
        owning = true;
        flush();
        owning = false;
      }
    }
    previousWord = token.word;
    if (token.stop) {
      flush();
      // "manage vendors, budgets and the timeline": a comma inside a list keeps the verb.
      if (token.comma && openVerb && !aside && listFollows(tokens, index)) continued = true;
      else {
        openVerb = null;
        aside = false;
      }
    }
    previousKind = token.kind;
  }
  flush();

  const words = [...new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean))];
  return {
    text,
    actors,
    owners: owners.filter((owner) => !actors.some((actor) => actor.core.one === owner.core.one)),
    objects,
    actions: actions.filter((action, index) =>
      index ===
        actions.findIndex((other) =>
          other.verb === action.verb && other.object?.core.one === action.object?.core.one
        )
    ),
    productWords,
    lemmas: [...lemmas],
    words,
  };
}

/**
 * "front of house notes", "near misses": fixed phrases the tagger would split are joined by
 * hyphens, so they describe the noun after them or are one noun.
 */
function joinFixedPhrases(text: string): string {
  return text.replace(FIXED_PHRASE_PATTERN, (phrase) => phrase.replace(/\s+/g, "-"));
}

/** The fixed phrases as the tokens they become ("high-school"). */
const FIXED_PHRASE_WORDS = new Set(FIXED_PHRASES.map((phrase) => phrase.replace(/ /g, "-")));

const FIXED_PHRASE_PATTERN = new RegExp(
  `\\b(?:${FIXED_PHRASES.map((phrase) => phrase.replace(/ /g, "\\s+")).join("|")})\\b`,
  "gi",
);

/** A one-word phrase from a lemma. */
export function plainPhrase(one: string): Phrase {
  const value = noun(one);
  return {
    noun: value,
    core: value,
    head: one.split(" ").at(-1) ?? one,
    modifiers: [],
    adjectives: [],
    weak: false,
  };
}
