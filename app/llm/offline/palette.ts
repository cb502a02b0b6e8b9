/** Brand palettes built in OKLCH from a mood, a domain hue and the directive's seed. */
import { clampChroma, formatHex } from "culori";
import type { ContrastPair, Palette } from "../../blueprint/schemas.ts";
import { enforceContrast } from "../../blueprint/normalise.ts";
import type { Mood } from "./moods.ts";
import type { Random } from "./random.ts";

/** Hues (OKLCH degrees) that domain words suggest more strongly than the archetype mood. */
const DOMAIN_HUES: [words: string[], hue: number][] = [
  [[
    "vegetable",
    "farm",
    "farmer",
    "garden",
    "gardener",
    "plant",
    "organic",
    "herb",
    "produce",
    "allotment",
    "grower",
  ], 138],
  [["forest", "tree", "camping", "hike", "hiking", "outdoor", "trail", "mountain", "gear"], 155],
  [["dog", "pet", "cat", "puppy", "groomer", "animal", "vet", "horse"], 58],
  [["coffee", "bakery", "bread", "baker", "chocolate", "cafe", "barista", "roaster"], 48],
  [["wine", "vineyard", "grape", "winemaker", "brewery", "beer"], 12],
  [["ocean", "sea", "boat", "fish", "surf", "beach", "swim", "sailing", "marine"], 228],
  [["music", "musician", "podcast", "song", "band", "album", "concert", "dj"], 318],
  [["solar", "energy", "sun", "electric", "battery"], 88],
  [["sleep", "night", "dream", "meditation", "astronomy"], 285],
  [["fitness", "gym", "workout", "running", "runner", "sport", "athlete", "cyclist"], 28],
  [["flower", "florist", "wedding", "beauty", "skincare", "cosmetic", "salon"], 352],
  [["ceramic", "pottery", "clay", "mug", "potter", "terracotta"], 42],
  [["candle", "honey", "beekeeper", "bee"], 75],
  [["construction", "equipment", "builder", "contractor", "repair", "machine"], 65],
  [["recipe", "cook", "kitchen", "restaurant", "food", "chef", "diner", "meal"], 32],
  [["kid", "child", "toy", "playground", "homework", "parent"], 70],
  [["book", "reading", "library", "author", "bookstore", "poetry"], 25],
  [["nursing", "nurse", "patient", "clinic", "hospital", "care", "physiotherapist"], 200],
  [["sample", "lab", "laboratory", "science", "research"], 215],
];

/** The hue a directive's words suggest, if any (first matching group wins). */
export function domainHue(lemmas: ReadonlySet<string>): number | undefined {
  return DOMAIN_HUES.find(([words]) => words.some((word) => lemmas.has(word)))?.[1];
}

function oklchHex(l: number, c: number, h: number): string {
  return formatHex(clampChroma({ mode: "oklch", l, c, h: ((h % 360) + 360) % 360 }, "oklch"));
}

/** Neutral lightness steps 50..900; 600 and 900 already clear AA on 50. */
const NEUTRAL_LIGHTNESS = [0.985, 0.962, 0.922, 0.87, 0.72, 0.585, 0.475, 0.38, 0.285, 0.205];

/** A palette and its AA-verified contrast table. */
export function buildPalette(
  mood: Mood,
  options: { lemmas: ReadonlySet<string>; random: Random },
): { palette: Palette; contrast: ContrastPair[] } {
  const { random } = options;
  const [low, high] = mood.hue;
  const hue = (domainHue(options.lemmas) ?? low + random.next() * (high - low)) +
    random.int(-6, 6);
  const chroma = mood.chroma * (0.9 + random.next() * 0.2);
  const palette: Palette = {
    primary: oklchHex(0.5 + random.next() * 0.04, chroma, hue),
    secondary: oklchHex(0.44 + random.next() * 0.06, chroma * 0.75, hue + mood.secondaryShift),
    accent: oklchHex(0.85 + random.next() * 0.04, chroma * 0.6, hue + mood.accentShift),
    neutral: NEUTRAL_LIGHTNESS.map((l) => oklchHex(l, mood.neutralChroma, hue)),
    success: oklchHex(0.5, 0.13, 150),
    warning: oklchHex(0.82, 0.15, 80),
    danger: oklchHex(0.5, 0.19, 27),
  };
  // Generated colours are close to AA by construction; this moves any that are not.
  return enforceContrast(palette);
}
