/**
 * The project page's stage views as HTML rendered once on the server (issue 15 item 6). A
 * stage version's output never changes, so its markup is kept per instance by what it is made
 * of (the version's row, the brand and product it is drawn with, the opened code file) and is
 * neither recomputed (wireframes, diagrams, highlighting) nor re-rendered on the next view.
 * In a document the markup goes into the page alone (`ServerHtml`); the hydration data carries
 * the small rest of the section (title, version, usage).
 */
import { renderToStaticMarkup } from "react-dom/server";
import type { StageName } from "../blueprint/stages.ts";
import { STAGE_NAMES } from "../blueprint/stages.ts";
import type { BrandSpec, ProductSpec } from "../blueprint/schemas.ts";
import type { Usage } from "../blueprint/usage.ts";
import { stagePayload } from "../projects/view.server.ts";
import type { StageView as StageRow } from "../projects/view.server.ts";
import { FrameTitleContext } from "./blueprint/parts.tsx";
import { StageView } from "./blueprint/stage-view.tsx";
import { stageBodyId } from "./stage-section.tsx";
import type { StageViewProps } from "./blueprint/stage-view.tsx";

/** One stage of the project page as the browser receives it. */
export interface StageSectionData {
  version: number;
  latestVersion: number;
  status: string;
  usage: Usage;
  /** The view's title; null while the stage has no output. */
  title: string | null;
  /** The view's markup; null in a document (it is in the page) or without output. */
  html: string | null;
}

interface StageBody {
  title: string;
  html: string;
}

/** Rendered markup kept per instance (characters, about bytes for this mostly-ASCII markup). */
const CACHE_CHARS = 16 * 1024 * 1024;
const cache = new Map<string, StageBody>();
let cachedChars = 0;

function cachedBody(key: string): StageBody | undefined {
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last: the first to go when the cache is full is the coldest.
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

function keep(key: string, body: StageBody): void {
  cache.set(key, body);
  cachedChars += body.html.length;
  for (const [oldest, value] of cache) {
    if (cachedChars <= CACHE_CHARS || cache.size <= 1) break;
    cache.delete(oldest);
    cachedChars -= value.html.length;
  }
}

/** Renders a stage's view without its frame; the frame's title is handed back. */
function renderBody(
  view: StageViewProps,
  options: {
    blueprint: { product?: ProductSpec; brand?: BrandSpec };
    fileHref: (path: string) => string;
    openPath: string | null;
  },
): StageBody {
  const frame: { title?: string } = {};
  const html = renderToStaticMarkup(
    <FrameTitleContext.Provider value={frame}>
      <StageView
        view={view}
        blueprint={options.blueprint}
        fileHref={options.fileHref}
        openPath={options.openPath}
      />
    </FrameTitleContext.Provider>,
  );
  return { title: frame.title ?? "", html };
}

/**
 * The sections of the project page: each stage's view from the cache, or rendered from outputs
 * read for it (one query for all the views not rendered before); in a document its markup goes
 * to `serverHtml` (into the page) instead of the returned data.
 */
export async function stageSections(
  stages: Partial<Record<StageName, StageRow>>,
  options: {
    latestBrand: StageRow | null;
    /** Reads outputs the rows do not carry yet (`ProjectView.outputs`). */
    outputs: (ids: readonly string[]) => Promise<Map<string, Record<string, unknown> | null>>;
    /** The page's query string: code file links keep the other parameters. */
    search: URLSearchParams;
    document: boolean;
    serverHtml: Map<string, string>;
  },
): Promise<Partial<Record<StageName, StageSectionData>>> {
  const { latestBrand, search } = options;
  const file = search.get("file")?.slice(0, 300) || null;
  const fileHref = (path: string) => {
    const params = new URLSearchParams(search);
    params.set("file", path);
    return `?${params}`;
  };
  // What a view is made of: its row, and for the design view the shown product and brand
  // (features, palette) and the latest brand (wireframe colours); for code the opened file.
  const keyOf = (stage: StageName, row: StageRow) =>
    `${stage}|${row.id}|` +
    (stage === "design"
      ? `${latestBrand?.id}|${stages.brand?.id}|${stages.product?.id}`
      : stage === "code"
      ? String(search)
      : "");
  const bodies = new Map<StageName, StageBody | undefined>();
  const needed = new Set<StageRow>();
  for (const stage of STAGE_NAMES) {
    const row = stages[stage];
    if (!row) continue;
    const body = cachedBody(keyOf(stage, row));
    bodies.set(stage, body);
    if (body) continue;
    needed.add(row);
    if (stage === "design") {
      for (const input of [latestBrand, stages.brand, stages.product]) if (input) needed.add(input);
    }
  }
  const unread = [...needed].filter((row) => row.output === undefined).map((row) => row.id);
  const read = unread.length ? await options.outputs(unread) : new Map();
  const outputOf = (row: StageRow | null | undefined) =>
    row ? (row.output !== undefined ? row.output : read.get(row.id) ?? null) : null;
  const blueprint = {
    product: (outputOf(stages.product) ?? undefined) as ProductSpec | undefined,
    brand: (outputOf(stages.brand) ?? undefined) as BrandSpec | undefined,
  };

  const out: Partial<Record<StageName, StageSectionData>> = {};
  for (const stage of STAGE_NAMES) {
    const row = stages[stage];
    if (!row) continue;
    const section = {
      version: row.version,
      latestVersion: row.latestVersion,
      status: row.status,
      usage: row.usage,
    };
    let body = bodies.get(stage);
    if (!body) {
      const output = outputOf(row);
      if (!output) {
        out[stage] = { ...section, title: null, html: null };
        continue;
      }
      const payload = stagePayload(stage, output, {
        brand: (outputOf(latestBrand) ?? undefined) as BrandSpec | undefined,
        file,
      });
      body = renderBody(
        { stage, output: payload.output, extras: payload.extras } as unknown as StageViewProps,
        { blueprint, fileHref, openPath: file },
      );
      keep(keyOf(stage, row), body);
    }
    if (options.document) options.serverHtml.set(stageBodyId(stage), body.html);
    out[stage] = { ...section, title: body.title, html: options.document ? null : body.html };
  }
  return out;
}
