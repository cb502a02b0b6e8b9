import { capitalise } from "../../blueprint/ids.ts";
export { camel, capitalise, kebab, pascal, snake } from "../../blueprint/ids.ts";
/** Word forms and templating for the offline engine. */

/** A noun phrase in singular and plural ("vegetable box", "vegetable boxes"). */
export interface Noun {
  one: string;
  many: string;
}

const IRREGULAR_PLURALS: Record<string, string> = {
  child: "children",
  person: "people",
  man: "men",
  woman: "women",
  foot: "feet",
  tooth: "teeth",
  mouse: "mice",
  goose: "geese",
  leaf: "leaves",
  knife: "knives",
  life: "lives",
  wife: "wives",
  half: "halves",
  shelf: "shelves",
  wolf: "wolves",
  loaf: "loaves",
  analysis: "analyses",
  diagnosis: "diagnoses",
  criterion: "criteria",
  quiz: "quizzes",
  staff: "staff",
  equipment: "equipment",
  homework: "homework",
  inventory: "inventory",
  gear: "gear",
  feedback: "feedback",
  software: "software",
  data: "data",
  news: "news",
  series: "series",
  sheep: "sheep",
  fish: "fish",
  deer: "deer",
  clothing: "clothing",
  furniture: "furniture",
  luggage: "luggage",
  music: "music",
  information: "information",
  maintenance: "maintenance",
  advice: "advice",
  research: "research",
  training: "training",
  content: "content",
  knowledge: "knowledge",
  jewelry: "jewelry",
  jewellery: "jewellery",
  merchandise: "merchandise",
  hardware: "hardware",
  mail: "mail",
  storage: "storage",
  childcare: "childcare",
  housing: "housing",
  produce: "produce",
  art: "art",
  sleep: "sleep",
  uptime: "uptime",
  species: "species",
  aircraft: "aircraft",
  spacecraft: "spacecraft",
  offspring: "offspring",
  moose: "moose",
  salmon: "salmon",
  livestock: "livestock",
  wellbeing: "wellbeing",
  cattle: "cattle",
  personnel: "personnel",
};

/** Plurals with no singular of their own, and the phrase that stands in for one. */
const PLURAL_ONLY: Record<string, string> = {
  clothes: "clothing item",
  goods: "product",
};

const IRREGULAR_SINGULARS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(IRREGULAR_PLURALS).map(([one, many]) => [many, one])),
  ...PLURAL_ONLY,
};

/** The plural of a word or of a phrase's last word. */
export function pluralise(phrase: string): string {
  const words = phrase.split(" ");
  const last = words.pop() ?? "";
  const lower = last.toLowerCase();
  let plural: string;
  if (IRREGULAR_PLURALS[lower]) plural = IRREGULAR_PLURALS[lower];
  else if (/[^aeiou]y$/.test(lower)) plural = `${last.slice(0, -1)}ies`;
  else if (/(s|x|z|ch|sh)$/.test(lower)) plural = `${last}es`;
  else plural = `${last}s`;
  return [...words, plural].join(" ");
}

/** The singular of a word or of a phrase's last word (best effort, for plain English). */
export function singularise(phrase: string): string {
  const words = phrase.split(" ");
  const last = words.pop() ?? "";
  const lower = last.toLowerCase();
  let single: string;
  if (IRREGULAR_SINGULARS[lower]) single = IRREGULAR_SINGULARS[lower];
  else if (/ies$/.test(lower) && lower.length > 4) single = `${last.slice(0, -3)}y`;
  else if (/(ss|us|is|aas)$/.test(lower)) single = last;
  else if (/(xes|zes|ches|shes|sses)$/.test(lower)) single = last.slice(0, -2);
  else if (/s$/.test(lower)) single = last.slice(0, -1);
  else single = last;
  return [...words, single].join(" ");
}

/** A noun from its singular form. */
export function noun(one: string, many = pluralise(one)): Noun {
  return { one, many };
}

/** Every word capitalised ("Vegetable Box"). */
export function titleCase(value: string): string {
  return value.split(" ").map(capitalise).join(" ");
}

/** Spelled with a vowel, said with a consonant: "a user", "a unique", "a one-off", "a euro". */
const CONSONANT_SOUND =
  /^(?:uni(?!n[^aeiou]|mp)|us[aeu]|ut[ei]|ur[aeio]|eu|ewe|one(?![a-z])|once)/i;
/** Spelled with a consonant, said with a vowel: "an hour", "an honest". */
const VOWEL_SOUND = /^(?:hour|honest|honou?r|heir)/i;
/** Letters whose names start with a vowel sound: "an SMS", "an FAQ", "an HR team". */
const VOWEL_LETTERS = /^[AEFHILMNORSX]/;

/** "a" or "an" before a phrase, by the sound of its first word. */
export function article(phrase: string): "a" | "an" {
  const word = phrase.trim();
  if (/^[A-Z][A-Z0-9]+s?\b/.test(word)) return VOWEL_LETTERS.test(word) ? "an" : "a";
  if (VOWEL_SOUND.test(word)) return "an";
  return /^[aeiou]/i.test(word) && !CONSONANT_SOUND.test(word) ? "an" : "a";
}

/**
 * Fixes what filling templates with the directive's words can break: "a" before a vowel
 * sound ("a {p}" → "an independent groomer") and a word the template repeats
 * ("Independent {ps}" → "Independent independent groomers").
 */
export function tidy(text: string): string {
  return text
    .replace(/\b([A-Za-z]+)(?:\s+\1\b)+/gi, "$1")
    .replace(
      /(^|[^\w'-])(a|an|A|An)\s+(?=[A-Za-z])/g,
      (match, before: string, word: string, offset: number, whole: string) => {
        // A capital "A" mid-sentence is a name ("plan A"), not an article.
        if (/^A/.test(word) && !/(?:^|[.!?:;]\s*)$/.test(whole.slice(0, offset + before.length))) {
          return match;
        }
        const fixed = article(whole.slice(offset + match.length));
        return `${before}${word[0] === "A" ? capitalise(fixed) : fixed} `;
      },
    )
    .replace(/ {2,}/g, " ");
}

/** Replaces `{name}` placeholders, then tidies the result; unknown names are left as they are. */
export function fill(template: string, vars: Readonly<Record<string, string>>): string {
  return tidy(template.replace(/\{([A-Za-z]+)\}/g, (match, key: string) => vars[key] ?? match));
}
