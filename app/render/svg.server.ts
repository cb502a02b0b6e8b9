/** Escaping and text fitting shared by the server-rendered SVG diagrams. */

/**
 * Text safe inside an SVG/XML text node or a double-quoted attribute: markup characters
 * become entities and characters XML 1.0 forbids (controls, lone surrogates) are dropped.
 */
export function escapeXml(value: string): string {
  return value
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, "")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Cuts text to at most `max` characters (by code point), ending in an ellipsis when cut. */
export function fit(value: string, max: number): string {
  const chars = Array.from(value.replace(/\s+/g, " ").trim());
  return chars.length <= max ? chars.join("") : `${chars.slice(0, Math.max(1, max - 1)).join("")}…`;
}

/** How many characters of a sans-serif font of `fontSize` fit in `width` pixels (estimate). */
export function charsIn(width: number, fontSize: number): number {
  return Math.max(1, Math.floor(width / (fontSize * 0.56)));
}

/** An SVG `<text>` element with escaped, fitted content. */
export function svgText(
  x: number,
  y: number,
  value: string,
  options: { width: number; size: number; fill: string; weight?: number; anchor?: string },
): string {
  const weight = options.weight ? ` font-weight="${options.weight}"` : "";
  const anchor = options.anchor ? ` text-anchor="${options.anchor}"` : "";
  const content = escapeXml(fit(value, charsIn(options.width, options.size)));
  return `<text x="${x}" y="${y}" font-size="${options.size}" fill="${options.fill}"${weight}${anchor}>${content}</text>`;
}

/** The opening tag of a self-contained, accessible SVG (presentation attributes only: CSP). */
export function svgOpen(width: number, height: number, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${
    escapeXml(fit(label, 200))
  }" font-family="system-ui, -apple-system, Segoe UI, sans-serif">`;
}
