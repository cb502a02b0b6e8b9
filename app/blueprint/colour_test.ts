import assert from "node:assert/strict";
import { wcagContrast } from "culori";
import {
  AA_RATIO,
  COLOUR_ROLES,
  type ColourRole,
  contrastRatio,
  FALLBACK_HEX,
  flooredContrast,
  floorRatio,
  inkOn,
  isHex,
  isNeutralRole,
  NEUTRAL_STEPS,
  neutralIndex,
  PALETTE_ROLES,
  passesAA,
  relativeLuminance,
  REQUIRED_TEXT_PAIRS,
  roleHex,
  safeHex,
  safeRoleHex,
} from "./colour.ts";
import type { Palette } from "./schemas.ts";

const PALETTE: Palette = {
  primary: "#3A36D6",
  secondary: "#2b2899",
  accent: "#f0b429",
  neutral: [
    "#fafafa",
    "#f4f4f5",
    "#e4e4e7",
    "#d4d4d8",
    "#a1a1aa",
    "#71717a",
    "#52525b",
    "#3f3f46",
    "#27272a",
    "#18181b",
  ],
  success: "#1a7f37",
  warning: "#f5a524",
  danger: "#c62828",
};

Deno.test("roles: white, the palette's named colours, then the neutral steps light to dark", () => {
  const named = ["primary", "secondary", "accent", "success", "warning", "danger"];
  const steps = [50, 100, 200, 300, 400, 500, 600, 700, 800, 900];
  assert.deepEqual(COLOUR_ROLES, ["white", ...named, ...steps.map((step) => `neutral-${step}`)]);
  assert.deepEqual(NEUTRAL_STEPS, steps);
  assert.deepEqual(COLOUR_ROLES.slice(1, 1 + PALETTE_ROLES.length), PALETTE_ROLES);
  for (const pair of REQUIRED_TEXT_PAIRS) {
    assert.ok(COLOUR_ROLES.includes(pair.foreground) && COLOUR_ROLES.includes(pair.background));
  }
});

Deno.test("isHex and safeHex accept only strict #rrggbb", () => {
  const cases: [value: unknown, hex: boolean, safe: string][] = [
    ["#3a36d6", true, "#3a36d6"],
    ["#3A36D6", true, "#3a36d6"],
    ["#000000", true, "#000000"],
    ["#fff", false, FALLBACK_HEX],
    ["red", false, FALLBACK_HEX],
    ["#3a36d6;background:url(x)", false, FALLBACK_HEX],
    ["#3a36d6 ", false, FALLBACK_HEX],
    ["3a36d6", false, FALLBACK_HEX],
    ["#12345g", false, FALLBACK_HEX],
    ["#3a36d6ff", false, FALLBACK_HEX],
    ["", false, FALLBACK_HEX],
    [undefined, false, FALLBACK_HEX],
    [3, false, FALLBACK_HEX],
  ];
  for (const [value, hex, safe] of cases) {
    assert.equal(isHex(value), hex, String(value));
    assert.equal(safeHex(value), safe, String(value));
  }
});

Deno.test("roleHex reads a palette as it is; safeRoleHex validates for display", () => {
  const broken = { ...PALETTE, accent: "url(x)", neutral: ["#FAFAFA"] } as Palette;
  const cases: [
    role: ColourRole,
    palette: Palette | undefined,
    raw: string | undefined,
    safe: string,
  ][] = [
    ["white", PALETTE, "#ffffff", "#ffffff"],
    ["white", undefined, undefined, "#ffffff"],
    ["primary", PALETTE, "#3A36D6", "#3a36d6"],
    ["warning", PALETTE, "#f5a524", "#f5a524"],
    ["neutral-50", PALETTE, "#fafafa", "#fafafa"],
    ["neutral-600", PALETTE, "#52525b", "#52525b"],
    ["neutral-900", PALETTE, "#18181b", "#18181b"],
    ["primary", undefined, undefined, FALLBACK_HEX],
    ["accent", broken, "url(x)", FALLBACK_HEX],
    ["neutral-50", broken, "#FAFAFA", "#fafafa"],
    ["neutral-100", broken, undefined, FALLBACK_HEX],
  ];
  for (const [role, palette, raw, safe] of cases) {
    if (palette) assert.equal(roleHex(palette, role), raw, role);
    assert.equal(safeRoleHex(palette, role), safe, role);
  }
});

Deno.test("neutral roles map to their index in the scale", () => {
  NEUTRAL_STEPS.forEach((step, index) => {
    const role = `neutral-${step}` as const;
    assert.ok(isNeutralRole(role));
    assert.equal(neutralIndex(role), index);
  });
  for (const role of ["white", ...PALETTE_ROLES] as const) assert.ok(!isNeutralRole(role));
});

Deno.test("contrast matches WCAG reference values, exact and as shown", () => {
  const cases: [a: string, b: string, rounded: number, floored: number, aa: boolean][] = [
    ["#000000", "#ffffff", 21, 21, true],
    ["#ffffff", "#ffffff", 1, 1, false],
    ["#767676", "#ffffff", 4.54, 4.54, true],
    ["#777777", "#ffffff", 4.48, 4.47, false],
    ["#595959", "#ffffff", 7, 7, true],
    ["#3A36D6", "#fafafa", 7.51, 7.51, true],
    ["#f0b429", "#ffffff", 1.86, 1.86, false],
  ];
  for (const [a, b, rounded, floored, aa] of cases) {
    assert.equal(Math.round(contrastRatio(a, b) * 100) / 100, rounded, `${a} on ${b}`);
    assert.equal(flooredContrast(a, b), floored, `${a} on ${b} as shown`);
    assert.equal(flooredContrast(a, b), floorRatio(contrastRatio(a, b)));
    assert.equal(contrastRatio(a, b), contrastRatio(b, a), "symmetric");
    assert.equal(passesAA(a, b), aa, `${a} on ${b} at AA`);
    assert.equal(passesAA(a, b), contrastRatio(a, b) >= AA_RATIO);
  }
  assert.equal(relativeLuminance("#000000"), 0);
  assert.equal(relativeLuminance("#ffffff"), 1);
  assert.equal(relativeLuminance("not a colour"), relativeLuminance(FALLBACK_HEX));
});

Deno.test("contrastRatio is culori's wcagContrast to the last bit on #rrggbb", () => {
  // normalise.ts used culori's; the offline palettes and every AA repair depend on it exactly.
  const colours: string[] = [];
  for (let v = 0; v < 256; v++) colours.push(`#${v.toString(16).padStart(2, "0").repeat(3)}`);
  for (let n = 0; n < 0x1000000; n += 0x1000000 / 2048 + 7919) {
    colours.push(`#${Math.floor(n).toString(16).padStart(6, "0")}`);
  }
  for (let i = 0; i < colours.length; i++) {
    const against = colours[(i * 37) % colours.length];
    for (const b of [against, "#ffffff", "#000000", "#FAFAFA"]) {
      assert.equal(contrastRatio(colours[i], b), wcagContrast(colours[i], b), `${colours[i]}/${b}`);
    }
  }
});

Deno.test("floorRatio rounds down to 2 decimals, never up", () => {
  const cases: [number, number][] = [[21, 21], [4.549, 4.54], [4.5, 4.5], [4.4999, 4.49], [1, 1]];
  for (const [ratio, floored] of cases) assert.equal(floorRatio(ratio), floored, String(ratio));
});

Deno.test("inkOn picks the more readable of black and white", () => {
  const cases: [background: string, ink: string][] = [
    ["#111111", "#ffffff"],
    ["#f0b429", "#000000"],
    ["#3a36d6", "#ffffff"],
    ["#ffffff", "#000000"],
    ["#000000", "#ffffff"],
    ["#777777", "#000000"],
    ["#767676", "#000000"],
    ["#707070", "#ffffff"],
    ["not a colour", inkOn(FALLBACK_HEX)],
  ];
  for (const [background, ink] of cases) assert.equal(inkOn(background), ink, background);
});
