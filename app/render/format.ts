/**
 * Small pure helpers shared by the blueprint views. Client-safe: no zod, no culori, so the
 * hydrated bundle stays small. Colour roles and contrast are `blueprint/colour.ts`.
 */

/**
 * A CSS `font-family` value from a model-supplied family name and fallback: the name is
 * reduced to letters, digits, spaces and dashes and quoted, the fallback to a generic family,
 * so the value cannot break out of the style attribute.
 */
export function fontStack(family: string, fallback: string): string {
  const name = family.replace(/[^A-Za-z0-9 \-]/g, "").trim().slice(0, 60);
  const hint = fallback.toLowerCase();
  const generic = hint.includes("mono")
    ? "ui-monospace, monospace"
    : /serif/.test(hint.replace("sans-serif", ""))
    ? "Georgia, serif"
    : "system-ui, sans-serif";
  return name ? `"${name}", ${generic}` : generic;
}

/** A box-shadow value if it only uses lengths, colours and commas; otherwise none. */
export function safeShadow(value: string): string {
  return /^[a-z0-9#.,%()/\s-]{1,120}$/i.test(value) && !/url|image|expr|var/i.test(value)
    ? value
    : "none";
}

const NUMBER = new Intl.NumberFormat("en-US");

/** `12345` → `12,345` (fixed locale so server and client render the same text). */
export function formatCount(value: number): string {
  return NUMBER.format(Math.round(value));
}

/** USD with 4 decimals: `$0.0123`. */
export function formatCost(usd: number): string {
  return `$${(Number.isFinite(usd) ? Math.max(0, usd) : 0).toFixed(4)}`;
}

/** `850 ms` below a second, `1.2 s` above. */
export function formatDuration(ms: number): string {
  const value = Number.isFinite(ms) ? Math.max(0, ms) : 0;
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}

/** How a user story opens before its role: "As a" (local farmer), "As an" (admin), "As" (the owner). */
export function storyOpening(role: string): string {
  const who = role.trim();
  if (/^(a|an|the|my|our)\s/i.test(who)) return "As";
  return /^[aeiou]/i.test(who) ? "As an" : "As a";
}

/** A stable DOM id fragment from a model-supplied id (ids are slugs after normalisation). */
export function anchorId(prefix: string, id: string): string {
  return `${prefix}-${id.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").slice(0, 64)}`;
}

/** Every tag in a diagram string is one the SVG builders emit (a guard before inlining it). */
export function isDiagramSvg(svg: string): boolean {
  return svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') &&
    !/<(?!\/?(?:svg|rect|path|circle|text)[\s>/])/.test(svg);
}

/** Every tag in highlighted code is a token span (a guard before inlining it). */
export function isHighlightedHtml(html: string): boolean {
  return !/<(?!span class="tok-[a-z]+">|\/span>)/.test(html);
}

/** Display titles of the stages. */
export const STAGE_TITLES = {
  product: "Product",
  brand: "Brand",
  design: "Design system",
  architecture: "Architecture",
  code: "Code",
} as const;
