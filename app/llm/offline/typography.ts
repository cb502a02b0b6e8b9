/** The curated fonts the offline engine pairs, all installable as @fontsource packages. */
import type { BrandSpec } from "../../blueprint/schemas.ts";
import type { Mood } from "./moods.ts";
import type { Random } from "./random.ts";

interface FontInfo {
  family: string;
  weights: number[];
  fallback: string;
}

const SANS = "system-ui, -apple-system, 'Segoe UI', sans-serif";
const SERIF = "Georgia, 'Times New Roman', serif";
const MONO = "ui-monospace, 'SFMono-Regular', Menlo, monospace";

const FONTS = {
  "inter": { family: "Inter", weights: [400, 500, 600, 700], fallback: SANS },
  "dm-sans": { family: "DM Sans", weights: [400, 500, 700], fallback: SANS },
  "work-sans": { family: "Work Sans", weights: [400, 500, 600], fallback: SANS },
  "ibm-plex-sans": { family: "IBM Plex Sans", weights: [400, 500, 600], fallback: SANS },
  "manrope": { family: "Manrope", weights: [400, 600, 700, 800], fallback: SANS },
  "space-grotesk": { family: "Space Grotesk", weights: [400, 500, 700], fallback: SANS },
  "plus-jakarta-sans": { family: "Plus Jakarta Sans", weights: [400, 600, 700], fallback: SANS },
  "outfit": { family: "Outfit", weights: [400, 500, 700], fallback: SANS },
  "figtree": { family: "Figtree", weights: [400, 500, 700], fallback: SANS },
  "public-sans": { family: "Public Sans", weights: [400, 500, 700], fallback: SANS },
  "source-sans-3": { family: "Source Sans 3", weights: [400, 600, 700], fallback: SANS },
  "lexend": { family: "Lexend", weights: [400, 500, 700], fallback: SANS },
  "atkinson-hyperlegible": {
    family: "Atkinson Hyperlegible",
    weights: [400, 700],
    fallback: SANS,
  },
  "fraunces": { family: "Fraunces", weights: [400, 600, 800], fallback: SERIF },
  "newsreader": { family: "Newsreader", weights: [400, 500, 700], fallback: SERIF },
  "source-serif-4": { family: "Source Serif 4", weights: [400, 600, 700], fallback: SERIF },
  "lora": { family: "Lora", weights: [400, 500, 700], fallback: SERIF },
  "playfair-display": { family: "Playfair Display", weights: [400, 700, 900], fallback: SERIF },
  "dm-serif-display": { family: "DM Serif Display", weights: [400], fallback: SERIF },
  "jetbrains-mono": { family: "JetBrains Mono", weights: [400, 700], fallback: MONO },
  "ibm-plex-mono": { family: "IBM Plex Mono", weights: [400, 600], fallback: MONO },
  "fira-code": { family: "Fira Code", weights: [400, 600], fallback: MONO },
  "source-code-pro": { family: "Source Code Pro", weights: [400, 600], fallback: MONO },
  "dm-mono": { family: "DM Mono", weights: [400, 500], fallback: MONO },
  "space-mono": { family: "Space Mono", weights: [400, 700], fallback: MONO },
} as const satisfies Record<string, FontInfo>;

export type FontKey = keyof typeof FONTS;

function font(key: FontKey): BrandSpec["typography"]["body"] {
  const info: FontInfo = FONTS[key];
  return {
    family: info.family,
    fontsourcePackage: `@fontsource/${key}`,
    weights: [...info.weights],
    fallback: info.fallback,
  };
}

const SCALE_TOKENS = ["xs", "sm", "base", "lg", "xl", "2xl", "3xl", "4xl"];

/** A heading/body/mono pairing from the mood's shortlists, plus a modular type scale. */
export function chooseTypography(mood: Mood, random: Random): BrandSpec["typography"] {
  const heading = random.pick(mood.headings);
  const bodies = mood.bodies.filter((key) => key !== heading);
  // A display face that only ships one weight cannot also set body text.
  const body = random.pick(bodies.length > 0 ? bodies : mood.bodies);
  const mono = random.pick(mood.monos);
  const scale = SCALE_TOKENS.map((token, index) => {
    const step = index - 2;
    const sizePx = Math.round(16 * mood.typeRatio ** step);
    return { token, sizePx, lineHeight: step <= 0 ? 1.5 : step <= 2 ? 1.35 : 1.15 };
  });
  return { heading: font(heading), body: font(body), mono: font(mono), scale };
}
