/**
 * Render data of a public page (`/p/:slug`) and its KV cache. The cached copy carries a stamp
 * of the project row it was built from (updated time, status, title); every read checks the
 * row first, so a project made private, deleted, renamed or regenerated (the pipeline sets the
 * status, and so the updated time, after writing its stages) is never served from a stale copy,
 * whoever changed it (page, API or pipeline).
 */
import { z } from "zod";
import type { Services } from "../../server/services.server.ts";
import type { Project } from "../../db/repositories/projects.server.ts";
import { deleteChunked, getChunked, setChunked } from "../../kv/chunked.server.ts";
import { ogImageKey, publicPageKey } from "../../kv/keys.ts";
import { prepareStageExtras, previewCode, previewPaths } from "../../render/extras.server.ts";
import type { HighlightedFile } from "../../render/types.ts";
import type { BrandSpec, CodeSpec, ProductSpec } from "../../blueprint/schemas.ts";
import { STAGE_NAMES } from "../../blueprint/stages.ts";
import { isHex } from "../../blueprint/colour.ts";
import type { StageName } from "../../blueprint/stages.ts";

/** Bumped when the shape or rendering of cached pages changes, so old copies are rebuilt. */
const RENDER_VERSION = 1;

/** How long KV keeps a cached page at least; a stale stamp replaces it sooner. */
const CACHE_TTL_MS = 24 * 60 * 60 * 1000;

/** One stage as the public page shows it. */
export interface PublicStage {
  version: number;
  output: Record<string, unknown>;
  extras: Record<string, unknown>;
}

/** The project fields a public page shows (never its owner or id). */
export interface PublicProject {
  slug: string;
  title: string;
  directive: string;
  updatedAt: string;
}

/** Everything a public page renders, as cached (code: every file highlighted). */
export interface PublicPage {
  render: number;
  stamp: string;
  project: PublicProject;
  stages: Partial<Record<StageName, PublicStage>>;
}

/** What the route sends for one request: the page with only the previewed code files. */
export interface PublicPageView {
  project: PublicProject;
  stages: Partial<Record<StageName, PublicStage>>;
}

const stageSchema = z.object({
  version: z.number().int().positive(),
  output: z.record(z.string(), z.unknown()),
  extras: z.record(z.string(), z.unknown()),
});

const pageSchema = z.object({
  render: z.literal(RENDER_VERSION),
  stamp: z.string().min(1),
  project: z.object({
    slug: z.string(),
    title: z.string(),
    directive: z.string(),
    updatedAt: z.string(),
  }),
  stages: z.partialRecord(z.enum(STAGE_NAMES), stageSchema),
});

/** What identifies one state of a project for caching: any owner change moves it. */
export function projectStamp(project: Project): string {
  return `${RENDER_VERSION}|${project.updatedAt}|${project.status}|${project.visibility}|${project.title}`;
}

/** Builds the render data of a public project from its latest stage outputs. */
export async function buildPublicPage(
  services: Pick<Services, "repos">,
  project: Project,
): Promise<PublicPage> {
  const latest = await services.repos.generations.latestByProject(project.id);
  const brand = latest.brand?.output as BrandSpec | undefined;
  const stages: Partial<Record<StageName, PublicStage>> = {};
  for (const stage of STAGE_NAMES) {
    const row = latest[stage];
    if (!row?.output) continue;
    stages[stage] = {
      version: row.version,
      output: row.output as Record<string, unknown>,
      extras: prepareStageExtras(stage, row.output as never, {
        palette: brand?.palette,
      }) as Record<string, unknown>,
    };
  }
  return {
    render: RENDER_VERSION,
    stamp: projectStamp(project),
    project: {
      slug: project.slug,
      title: project.title,
      directive: project.directive,
      updatedAt: project.updatedAt,
    },
    stages,
  };
}

/** Every slug makeSlug produces matches this (API v1 checks its path parameter the same way). */
const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,79}$/;

/**
 * The render data of a public project, from KV when the cached copy matches the project row,
 * else built and cached; null when no public project has this slug (private or deleted).
 */
export async function loadPublicPage(
  input: { services: Pick<Services, "repos" | "kv">; slug: string },
): Promise<PublicPage | null> {
  const { services, slug } = input;
  // Not a slug makeSlug could produce: no project has it, and it must not reach a KV key (2 KiB).
  if (!SLUG_PATTERN.test(slug)) return null;
  const project = await services.repos.projects.getPublicBySlug(slug);
  if (!project) {
    await forgetPublicPage(services.kv, slug);
    return null;
  }
  const key = publicPageKey(slug);
  const cached = await getChunked(services.kv, key, pageSchema) as PublicPage | null;
  if (cached && cached.stamp === projectStamp(project)) return cached;
  const page = await buildPublicPage(services, project);
  await setChunked(services.kv, key, page, { expireIn: CACHE_TTL_MS });
  return page;
}

/** Drops the cached render data and OG image of a slug (after the owner changed the project). */
export async function forgetPublicPage(kv: Deno.Kv, slug: string): Promise<void> {
  await Promise.all([deleteChunked(kv, publicPageKey(slug)), deleteChunked(kv, ogImageKey(slug))]);
}

/**
 * The page as one request sees it: the code stage previews its default files plus `file`
 * (when it is one of them); other files' contents are left out.
 */
export function publicPageView(
  page: PublicPage,
  options: { file?: string | null } = {},
): PublicPageView {
  const code = page.stages.code;
  if (!code) return { project: page.project, stages: page.stages };
  const spec = code.output as unknown as CodeSpec;
  const previewed = previewPaths(spec, { selected: options.file });
  const highlighted = (code.extras.highlighted as HighlightedFile[] | undefined) ?? [];
  return {
    project: page.project,
    stages: {
      ...page.stages,
      code: {
        version: code.version,
        output: previewCode(spec, previewed) as unknown as Record<string, unknown>,
        extras: { highlighted: highlighted.filter((file) => previewed.has(file.path)) },
      },
    },
  };
}

/** A strong ETag of serialised render data: the first 128 bits of its SHA-256, base64url. */
export async function renderEtag(data: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(data));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)).slice(0, 16);
  return `"${digest.toBase64({ alphabet: "base64url", omitPadding: true })}"`;
}

/** The text and colours of a public page's share card (Open Graph image and meta). */
export interface ShareCard {
  name: string;
  tagline: string;
  description: string;
  primary: string;
  accent: string;
  ink: string;
  paper: string;
}

/** Share-card text and colours from the page: the brand when there is one, else the directive. */
export function shareCard(page: PublicPageView | PublicPage): ShareCard {
  const brand = page.stages.brand?.output as unknown as BrandSpec | undefined;
  const product = page.stages.product?.output as unknown as ProductSpec | undefined;
  const colour = (value: unknown, fallback: string) => (isHex(value) ? value : fallback);
  const clip = (text: string, max: number) => {
    const line = text.replace(/\s+/g, " ").trim();
    return line.length > max ? `${line.slice(0, max - 1)}…` : line;
  };
  return {
    name: clip(brand?.chosenName ?? page.project.title, 60),
    tagline: clip(brand?.tagline ?? product?.oneLiner ?? page.project.directive, 140),
    description: clip(product?.oneLiner ?? page.project.directive, 200),
    primary: colour(brand?.palette?.primary, "#3a36d6"),
    accent: colour(brand?.palette?.accent, "#f2b705"),
    ink: colour(brand?.palette?.neutral?.[9], "#16181d"),
    paper: colour(brand?.palette?.neutral?.[0], "#fbfaf7"),
  };
}
