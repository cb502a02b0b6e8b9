/** Computes, on the server, the data the blueprint views need besides the stage output. */
import type { Palette, StageOutputs } from "../../generation/schemas.ts";
import type { StageName } from "../../generation/stages.ts";
import { erDiagramSvg } from "./er-diagram.server.ts";
import { highlight, languageOf } from "./highlight.server.ts";
import type { HighlightedFile, StageExtras } from "./types.ts";
import { screenWireframes } from "./wireframe.server.ts";

/**
 * Total characters of code highlighted for one page; beyond it files are listed but not
 * previewed (they stay in the zip export), so a huge code stage cannot bloat the HTML.
 */
export const HIGHLIGHT_BUDGET = 300_000;

function highlightFiles(code: StageOutputs["code"]): HighlightedFile[] {
  let budget = HIGHLIGHT_BUDGET;
  const out: HighlightedFile[] = [];
  for (const file of code.files) {
    if (file.content.length > budget) continue;
    budget -= file.content.length;
    const language = languageOf(file.path, file.language);
    out.push({ path: file.path, language, html: highlight(file.content, language) });
  }
  return out;
}

/**
 * The server-computed extras of one stage's view: wireframes (design, in the brand's
 * colours when `palette` is given), the ER diagram (architecture), highlighted files (code).
 */
export function prepareStageExtras<S extends StageName>(
  stage: S,
  output: StageOutputs[S],
  options: { palette?: Palette } = {},
): StageExtras[S] {
  const extras: { [K in StageName]: (output: StageOutputs[K]) => StageExtras[K] } = {
    product: () => ({}),
    brand: () => ({}),
    design: (design) => ({ wireframes: screenWireframes(design.screens, options.palette) }),
    architecture: (architecture) => ({ erSvg: erDiagramSvg(architecture.dataModel) }),
    code: (code) => ({ highlighted: highlightFiles(code) }),
  };
  return (extras[stage] as (output: StageOutputs[S]) => StageExtras[S])(output);
}
