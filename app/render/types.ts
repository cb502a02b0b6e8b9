/** Server-computed data the blueprint views take besides the stage output (all plain JSON). */

/** One code file, highlighted on the server; `html` holds only escaped text and token spans. */
export interface HighlightedFile {
  path: string;
  language: string;
  html: string;
}

/** Extras per stage, as computed by `prepareStageExtras` (extras.server.ts). */
export interface StageExtras {
  product: Record<string, never>;
  brand: Record<string, never>;
  /** Wireframe SVG strings (escaped by construction), keyed by screen id. */
  design: { wireframes: Record<string, string> };
  /** The entity-relationship diagram as an SVG string (escaped by construction). */
  architecture: { erSvg: string };
  /** Highlighted files, in the code stage's order; files over the preview budget are left out. */
  code: { highlighted: HighlightedFile[] };
}
