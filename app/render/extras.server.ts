/** Computes, on the server, the data the blueprint views need besides the stage output. */
import type { CodeSpec, Palette, StageOutputs } from "../blueprint/schemas.ts";
import type { StageName } from "../blueprint/stages.ts";
import { erDiagramSvg } from "./er-diagram.server.ts";
import { highlight, languageOf } from "./highlight.server.ts";
import type { HighlightedFile, StageExtras } from "./types.ts";
import { screenWireframes } from "./wireframe.server.ts";

/**
 * Total characters of code highlighted for one page; beyond it files are listed but not
 * previewed (they stay in the zip export), so a huge code stage cannot bloat the HTML.
 */
export const HIGHLIGHT_BUDGET = 300_000;

/**
 * Characters of source a page previews by default (entry point and README first): the rest
 * are listed and open one at a time, so a page does not carry every file twice (HTML + data).
 */
export const PREVIEW_BUDGET = 12_000;

function highlightFiles(code: CodeSpec, only?: ReadonlySet<string>): HighlightedFile[] {
  let budget = HIGHLIGHT_BUDGET;
  const out: HighlightedFile[] = [];
  const seen = new Set<string>();
  for (const file of code.files) {
    if (only && !only.has(file.path)) continue;
    // The first file of a path wins, as in the zip export.
    if (seen.has(file.path) || file.content.length > budget) continue;
    seen.add(file.path);
    budget -= file.content.length;
    const language = languageOf(file.path, file.language);
    out.push({ path: file.path, language, html: highlight(file.content, language) });
  }
  return out;
}

/**
 * The files a page previews: `selected` (when it is one of the files), the entry point, a
 * README, then files in order while they fit in `budget` characters.
 */
export function previewPaths(
  code: CodeSpec,
  options: { selected?: string | null; budget?: number } = {},
): Set<string> {
  const budget = options.budget ?? PREVIEW_BUDGET;
  const byPath = new Map([...code.files].reverse().map((file) => [file.path, file]));
  const chosen = new Set<string>();
  let used = 0;
  const take = (path: string | undefined | null, always: boolean) => {
    const file = path ? byPath.get(path) : undefined;
    if (!file || chosen.has(file.path)) return;
    if (!always && used + file.content.length > budget) return;
    chosen.add(file.path);
    used += file.content.length;
  };
  take(options.selected, true);
  take(code.entrypoint, chosen.size === 0);
  take(code.files.find((file) => /(^|\/)readme\.md$/i.test(file.path))?.path, false);
  for (const file of code.files) take(file.path, false);
  return chosen;
}

/**
 * The code stage as a page sends it: the content of files that are not previewed is left
 * out (the tree still lists them; the zip export has them all).
 */
export function previewCode(code: CodeSpec, previewed: ReadonlySet<string>): CodeSpec {
  return {
    ...code,
    files: code.files.map((file) => previewed.has(file.path) ? file : { ...file, content: "" }),
  };
}

/**
 * The server-computed extras of one stage's view: wireframes (design, in the brand's
 * colours when `palette` is given), the ER diagram (architecture), highlighted files (code;
 * only `codeFiles` when given).
 */
export function prepareStageExtras<S extends StageName>(
  stage: S,
  output: StageOutputs[S],
  options: { palette?: Palette; codeFiles?: ReadonlySet<string> } = {},
): StageExtras[S] {
  const extras: { [K in StageName]: (output: StageOutputs[K]) => StageExtras[K] } = {
    product: () => ({}),
    brand: () => ({}),
    design: (design) => ({ wireframes: screenWireframes(design.screens, options.palette) }),
    architecture: (architecture) => ({ erSvg: erDiagramSvg(architecture.dataModel) }),
    code: (code) => ({ highlighted: highlightFiles(code, options.codeFiles) }),
  };
  return (extras[stage] as (output: StageOutputs[S]) => StageExtras[S])(output);
}
