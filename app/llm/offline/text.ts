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
};

const IRREGULAR_SINGULARS = Object.fromEntries(
  Object.entries(IRREGULAR_PLURALS).map(([one, many]) => [many, one]),
);

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
  else if (/(ss|us|is)$/.test(lower)) single = last;
  else if (/(xes|zes|ches|shes|sses)$/.test(lower)) single = last.slice(0, -2);
  else if (/s$/.test(lower)) single = last.slice(0, -1);
  else single = last;
  return [...words, single].join(" ");
}

/** A noun from its singular form. */
export function noun(one: string, many = pluralise(one)): Noun {
  return { one, many };
}

/** First letter upper case. */
export function capitalise(value: string): string {
  return value ? value[0].toUpperCase() + value.slice(1) : value;
}

/** Every word capitalised ("Vegetable Box"). */
export function titleCase(value: string): string {
  return value.split(" ").map(capitalise).join(" ");
}

function words(value: string): string[] {
  return value.split(/[^A-Za-z0-9]+/).filter(Boolean);
}

/** "vegetable box" → "VegetableBox". */
export function pascal(value: string): string {
  return words(value).map((word) => capitalise(word.toLowerCase())).join("");
}

/** "vegetable box" → "vegetableBox". */
export function camel(value: string): string {
  const name = pascal(value);
  return name ? name[0].toLowerCase() + name.slice(1) : name;
}

/** "VegetableBox" or "vegetable box" → "vegetable-box". */
export function kebab(value: string): string {
  return value.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/)
    .filter(Boolean).join("-");
}

/** "VegetableBox" or "vegetable box" → "vegetable_box". */
export function snake(value: string): string {
  return kebab(value).replace(/-/g, "_");
}

/** "a" or "an" before a phrase. */
export function article(phrase: string): string {
  return /^(?:[aeio]|u(?![nts][aeiou]|ni|se|ro))/i.test(phrase) || /^hour|^honest/i.test(phrase)
    ? "an"
    : "a";
}

/** Replaces `{name}` placeholders; unknown names are left as they are. */
export function fill(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (match, key: string) => vars[key] ?? match);
}
