/** Project resources of API v1, over the same repositories and pipeline the pages use. */
import type { z } from "zod";
import type { Services } from "../server/services.server.ts";
import type { Generation, LatestStages, Page, Project } from "../db/repositories.server.ts";
import { downstreamOf, isStageName, STAGE_NAMES } from "../blueprint/stages.ts";
import type { StageName } from "../blueprint/stages.ts";
import { usageOfRow } from "../blueprint/usage.ts";
import * as useCases from "../projects/use-cases.server.ts";
import type { GenerationRefusal, NotFound } from "../projects/use-cases.server.ts";
import type {
  generationResource,
  projectResource,
  projectSummaryResource,
  regenerationAccepted,
} from "./schemas.ts";

/** A project as API v1 returns it. */
export type ProjectResource = z.output<typeof projectResource>;

/** A project in a list. */
export type ProjectSummary = z.output<typeof projectSummaryResource>;

/** One version of one stage. */
export type GenerationResource = z.output<typeof generationResource>;

type ProjectServices = Pick<Services, "repos" | "pipeline">;

/** The fields of a project without its stages (and never its owner). */
export function toProjectSummary(project: Project): ProjectSummary {
  return {
    id: project.id,
    slug: project.slug,
    title: project.title,
    directive: project.directive,
    visibility: project.visibility,
    status: project.status,
    createdAt: project.createdAt,
    updatedAt: project.updatedAt,
  };
}

/** A project with the latest version of each generated stage. */
export function toProjectResource(project: Project, latest: LatestStages): ProjectResource {
  const stages: Record<string, unknown> = {};
  for (const stage of STAGE_NAMES) {
    const row = latest[stage];
    if (row) {
      stages[stage] = {
        version: row.version,
        status: row.status,
        output: row.output,
        usage: usageOfRow(row),
      };
    }
  }
  return { ...toProjectSummary(project), stages } as ProjectResource;
}

/** One generation row as a version-history entry. */
export function toGenerationResource(row: Generation): GenerationResource {
  return {
    stage: row.stage,
    version: row.version,
    status: row.status,
    output: row.output,
    usage: usageOfRow(row),
    createdAt: row.createdAt,
  } as GenerationResource;
}

/** The user's project with its stages. */
export async function getOwnedProject(
  input: { services: ProjectServices; userId: string; id: string },
): Promise<ProjectResource | NotFound> {
  const found = await useCases.getProject(input.services, input);
  return found.kind === "found" ? toProjectResource(found.project, found.latest) : found;
}

/** A public project with its stages, by slug; null when there is no such public project. */
export async function getPublicProject(
  input: { services: ProjectServices; slug: string },
): Promise<ProjectResource | null> {
  const project = await input.services.repos.projects.getPublicBySlug(input.slug);
  if (!project) return null;
  const latest = await input.services.repos.generations.latestByProject(project.id);
  return toProjectResource(project, latest);
}

/** One page of the user's projects, newest first. */
export async function listProjects(
  input: { services: ProjectServices; userId: string; cursor?: string; limit: number },
): Promise<Page<ProjectSummary> | { kind: "invalid_cursor" }> {
  const listed = await useCases.listProjects(input.services, input);
  if (listed.kind !== "page") return listed;
  return { items: listed.page.items.map(toProjectSummary), nextCursor: listed.page.nextCursor };
}

/** Renames the user's project or changes its visibility. */
export async function updateProject(
  input: {
    services: ProjectServices;
    userId: string;
    id: string;
    title?: string;
    visibility?: Project["visibility"];
  },
): Promise<ProjectResource | NotFound> {
  const { services, ...change } = input;
  const updated = await useCases.updateProject(services, change);
  if (updated.kind !== "updated") return updated;
  const latest = await services.repos.generations.latestByProject(updated.project.id);
  return toProjectResource(updated.project, latest);
}

/** Starts a new version of one stage of the user's project. */
export async function regenerateStage(
  input: { services: ProjectServices; userId: string; id: string; stage: StageName },
): Promise<z.output<typeof regenerationAccepted> | NotFound | GenerationRefusal> {
  const { services, ...target } = input;
  const started = await useCases.regenerateStage(services, target);
  if (started.kind !== "started") return started;
  const { id, stage } = input;
  return {
    projectId: id,
    stage,
    version: started.job.stages[stage]?.version ?? 1,
    staleStages: downstreamOf(stage),
    events: `/api/v1/projects/${id}/events`,
  };
}

/**
 * One page of the version history of the user's project (issue 14 item 7): metadata only
 * unless `withOutput`; null when the project is not theirs.
 */
export async function listGenerations(
  input: {
    services: ProjectServices;
    userId: string;
    id: string;
    stage?: StageName;
    cursor?: string;
    limit?: number;
    withOutput?: boolean;
  },
): Promise<{ items: GenerationResource[]; nextCursor: string | null } | null> {
  const { services, userId, id, stage } = input;
  const limit = input.limit ?? 50;
  const project = await services.repos.projects.getForUser({ id, userId });
  if (!project) return null;
  const [afterStage, afterVersion] = (input.cursor ?? "").split(".");
  const after = input.cursor && isStageName(afterStage)
    ? { stage: afterStage, version: Number(afterVersion) }
    : null;
  const rows = await services.repos.generations.listVersions({
    projectId: id,
    stage,
    after,
    limit: limit + 1,
    withOutput: input.withOutput,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => {
      const resource = toGenerationResource(row);
      if (!input.withOutput) delete (resource as { output?: unknown }).output;
      return resource;
    }),
    nextCursor: rows.length > limit && last ? `${last.stage}.${last.version}` : null,
  };
}
