import assert from "node:assert/strict";
import { converter } from "culori";
import { AA_RATIO, contrastRatio, REQUIRED_TEXT_PAIRS, roleHex } from "../../blueprint/colour.ts";
import { MOODS } from "./moods.ts";
import { buildPalette, domainHue } from "./palette.ts";
import { seeded } from "./random.ts";

const toOklch = converter("oklch");

Deno.test("every mood and seed gives a palette whose text pairs all pass AA", () => {
  for (const [name, mood] of Object.entries(MOODS)) {
    for (let seed = 0; seed < 25; seed++) {
      const { palette, contrast } = buildPalette(mood, {
        lemmas: new Set(),
        random: seeded(seed, name),
      });
      assert.equal(contrast.length, REQUIRED_TEXT_PAIRS.length);
      for (const row of contrast) {
        const ratio = contrastRatio(
          roleHex(palette, row.foreground),
          roleHex(palette, row.background),
        );
        assert.ok(ratio >= AA_RATIO, `${name}/${seed}: ${row.foreground} on ${row.background}`);
      }
      const lightness = palette.neutral.map((hex) => toOklch(hex)?.l ?? 0);
      assert.deepEqual(
        [...lightness].sort((a, b) => b - a),
        lightness,
        "neutrals run light to dark",
      );
    }
  }
});

Deno.test("the primary hue follows the mood, or the domain when it has one", () => {
  const hueOf = (hex: string) => toOklch(hex)?.h ?? 0;
  const calm = buildPalette(MOODS.calm, { lemmas: new Set(), random: seeded(3, "c") });
  const [low, high] = MOODS.calm.hue;
  assert.ok(hueOf(calm.palette.primary) > low - 12 && hueOf(calm.palette.primary) < high + 12);

  assert.equal(domainHue(new Set(["vegetable", "box"])), 138);
  const farm = buildPalette(MOODS.precise, { lemmas: new Set(["farmer"]), random: seeded(3, "c") });
  assert.ok(Math.abs(hueOf(farm.palette.primary) - 138) < 15, "farm directives lean green");
});
