/** The brand stage of the offline engine: names, voice, palette, type and logo. */
import type { BrandSpec, ProductSpec } from "../../blueprint/schemas.ts";
import type { Analysis } from "./analyse.ts";
import { MOODS } from "./moods.ts";
import { chooseName, nameCandidates, nameRoots } from "./names.ts";
import { buildPalette } from "./palette.ts";
import { seeded } from "./random.ts";
import { fill } from "./text.ts";
import { chooseTypography } from "./typography.ts";

/** Builds the brand of a directive (the product spec supplies the domain wording). */
export function buildBrand(analysis: Analysis, product: ProductSpec): BrandSpec {
  const { archetype, vars } = analysis;
  const mood = MOODS[archetype.mood];
  const random = (salt: string) => seeded(analysis.seed, `brand:${salt}`);
  const banned = [
    ...analysis.parsed.words,
    ...analysis.lemmas,
    ...product.workingName
      .toLowerCase().split(/\s+/),
  ];
  const roots = nameRoots(analysis.lemmas, {
    fallback: archetype.nameRoots,
    random: random("roots"),
  });
  const candidates = nameCandidates(roots, {
    banned,
    random: random("names"),
    domain: `${vars.ps} and their ${vars.os}`,
  });
  const chosen = chooseName(candidates, random("choice"));
  const { palette, contrast } = buildPalette(mood, {
    lemmas: analysis.lemmas,
    random: random("colour"),
  });
  const shape = random("logo").pick(mood.logoShapes);
  const symbol = chosen.strategy === "invented"
    ? `the letter ${chosen.name[0]} drawn as a single continuous stroke`
    : `a simplified ${
      (chosen.rationale.match(/"([^"]+)"/)?.[1] ?? chosen.name).toLowerCase()
    } mark`;
  return {
    nameCandidates: candidates,
    chosenName: chosen.name,
    tagline: fill(random("tagline").pick(archetype.taglines), vars),
    mission: fill(archetype.mission, vars),
    voice: { traits: mood.traits, do: mood.do.map((line) => fill(line, vars)), dont: mood.dont },
    palette,
    contrast,
    typography: chooseTypography(mood, random("type")),
    logoConcept: {
      description: shape === "wordmark"
        ? `A wordmark: ${chosen.name} in the heading typeface, with ${symbol} tucked into the first letter; the letter alone serves as the app icon.`
        : `${chosen.name} in the heading typeface beside ${symbol} inside a ${
          shape.replace("-", " ")
        }, simple enough to read as an app icon at 16 px.`,
      shape,
      symbol,
      colourRoles: ["primary", "accent"],
    },
  };
}
