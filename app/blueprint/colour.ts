/**
 * Colour roles and colour maths, one module for the whole app: the schemas, normalisation, the
 * offline engine, the views, the wireframes and the exports. A role (`primary`, `neutral-600`,
 * `white`, …) is what `tokens.colors[].role`, `contrast[].foreground` and
 * `logoConcept.colourRoles` name; `roleHex` turns one into the palette's `#rrggbb`.
 * Client-safe: no zod, no culori (the hydrated bundle imports this), `schemas.ts` for types only.
 */
import type { Palette } from "./schemas.ts";

/** Steps of the neutral scale, light to dark; `palette.neutral[i]` is step `NEUTRAL_STEPS[i]`. */
export const NEUTRAL_STEPS = [50, 100, 200, 300, 400, 500, 600, 700, 800, 900] as const;
type NeutralStep = (typeof NEUTRAL_STEPS)[number];

/** The palette's named colours (every key but `neutral`), in display order. */
export const PALETTE_ROLES = [
  "primary",
  "secondary",
  "accent",
  "success",
  "warning",
  "danger",
] as const;
export type PaletteRole = (typeof PALETTE_ROLES)[number];

/** A step of the neutral scale as a role. */
export type NeutralRole = `neutral-${NeutralStep}`;

/** Every colour a design token, contrast pair or logo may name. `white` is fixed, never adjusted. */
export const COLOUR_ROLES = [
  "white",
  ...PALETTE_ROLES,
  ...NEUTRAL_STEPS.map((step): NeutralRole => `neutral-${step}`),
] as const;
export type ColourRole = "white" | PaletteRole | NeutralRole;

/** WCAG 2.x AA minimum for normal-size text. */
export const AA_RATIO = 4.5;

/** Text/background pairs every palette must support at AA, in table order. */
export const REQUIRED_TEXT_PAIRS: readonly { foreground: ColourRole; background: ColourRole }[] = [
  { foreground: "neutral-900", background: "neutral-50" },
  { foreground: "neutral-600", background: "neutral-50" },
  { foreground: "neutral-900", background: "white" },
  { foreground: "primary", background: "neutral-50" },
  { foreground: "white", background: "primary" },
  { foreground: "white", background: "secondary" },
  { foreground: "neutral-900", background: "accent" },
  { foreground: "success", background: "neutral-50" },
  { foreground: "danger", background: "neutral-50" },
  { foreground: "white", background: "danger" },
  { foreground: "neutral-900", background: "warning" },
];

/** A strict `#rrggbb` colour (either case): the only form palettes and contrast rows hold. */
export const HEX_PATTERN = /^#[0-9a-fA-F]{6}$/;

/** Whether a value is a strict `#rrggbb` colour. */
export function isHex(value: unknown): value is string {
  return typeof value === "string" && HEX_PATTERN.test(value);
}

/** Shown instead of any colour that is not a strict `#rrggbb`. */
export const FALLBACK_HEX = "#8a8f98";

/** The colour in lower case when it is a strict `#rrggbb`, else the neutral grey fallback. */
export function safeHex(value: unknown): string {
  return isHex(value) ? value.toLowerCase() : FALLBACK_HEX;
}

/** Whether a role is a step of the neutral scale. */
export function isNeutralRole(role: ColourRole): role is NeutralRole {
  return role.startsWith("neutral-");
}

/** The index in `palette.neutral` of a neutral role. */
export function neutralIndex(role: NeutralRole): number {
  return NEUTRAL_STEPS.indexOf(Number(role.slice("neutral-".length)) as NeutralStep);
}

/** The value of a colour role in a palette, as the palette holds it (a validated palette). */
export function roleHex(palette: Palette, role: ColourRole): string {
  if (role === "white") return "#ffffff";
  if (isNeutralRole(role)) return palette.neutral[neutralIndex(role)];
  return palette[role];
}

/** The colour of a role for display: a strict lower-case `#rrggbb`, grey when missing or not hex. */
export function safeRoleHex(palette: Palette | undefined, role: ColourRole): string {
  if (role === "white") return "#ffffff";
  if (!palette) return FALLBACK_HEX;
  if (isNeutralRole(role)) return safeHex(palette.neutral?.[neutralIndex(role)]);
  return safeHex(palette[role]);
}

/** An sRGB channel (0 to 255) in linear light. */
function linear(value: number): number {
  const c = value / 255;
  return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
}

/** WCAG 2.x relative luminance (0 to 1) of a `#rrggbb` colour; anything else counts as the grey fallback. */
export function relativeLuminance(hex: string): number {
  const n = parseInt(safeHex(hex).slice(1), 16);
  return 0.2126 * linear(n >> 16) + 0.7152 * linear((n >> 8) & 255) + 0.0722 * linear(n & 255);
}

/** WCAG 2.x contrast ratio of two `#rrggbb` colours (1 to 21), unrounded: what AA checks use. */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [relativeLuminance(a), relativeLuminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** A contrast ratio rounded down to 2 decimals, so a shown ratio never overstates. */
export function floorRatio(ratio: number): number {
  return Math.floor(ratio * 100) / 100;
}

/** The contrast ratio of two colours as shown: rounded down to 2 decimals. */
export function flooredContrast(a: string, b: string): number {
  return floorRatio(contrastRatio(a, b));
}

/** Whether text in one colour on the other reaches WCAG AA (on the unrounded ratio). */
export function passesAA(foreground: string, background: string): boolean {
  return contrastRatio(foreground, background) >= AA_RATIO;
}

/** Black or white, whichever reads better on the background (compared as shown, rounded down). */
export function inkOn(background: string): "#000000" | "#ffffff" {
  return flooredContrast("#000000", background) >= flooredContrast("#ffffff", background)
    ? "#000000"
    : "#ffffff";
}
