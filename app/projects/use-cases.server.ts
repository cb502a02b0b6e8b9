/**
 * The project use cases, one per action, shared by the pages (app/routes/*.tsx) and API v1
 * (app/api): each returns a typed outcome that each surface maps to its answer in one place
 * (pages: view.server.ts `refusalStatus`; API: api/outcomes.ts). Creation is `createProject`
 * in projects.server.ts, with the same refusal kinds.
 */
import type { Services } from "../server/services.server.ts";
import type { Job } from "../generation/jobs.server.ts";
import { readRunning } from "../generation/job-store.server.ts";
import type { LatestStages, Page, Project } from "../db/repositories.server.ts";
import type { StageName } from "../blueprint/stages.ts";
import { generationLimitMessage } from "../blueprint/refusals.ts";
import { isDomainError } from "../http/errors.ts";

type UseCaseServices = Pick<Services, "repos" | "pipeline">;

/** The project is not the caller's, or does not exist (the two are never told apart). */
export type NotFound = { kind: "not_found" };
/** A generation of this project is already running. */
export type Busy = { kind: "busy"; message: string };
/** The caller already runs as many generations as allowed. */
export type Limit = { kind: "limit"; limit: number; message: string };
/** A refused generation: busy or over the limit. */
export type GenerationRefusal = Busy | Limit;

/** The engine's refusal of a generation as an outcome; null for any other error. */
export function generationRefusal(error: unknown): GenerationRefusal | null {
  if (isDomainError(error, "GenerationBusyError")) {
    return { kind: "busy", message: (error as Error).message };
  }
  if (isDomainError(error, "GenerationLimitError")) {
    const limit = Number((error as { limit?: unknown }).limit);
    return { kind: "limit", limit, message: generationLimitMessage(limit) };
  }
  return null;
}

/**
 * The caller's generations that are running now, read from the engine's records (its list of
 * the user's jobs, each job's status); the engine still decides when it reserves a slot.
 */
export async function runningGenerations(kv: Deno.Kv, userId: string): Promise<number> {
  return (await readRunning(kv, userId)).live.length;
}

/** The limit outcome when the caller already runs `limit` generations; null when one is free. */
export async function checkGenerationLimit(
  services: Pick<Services, "kv" | "generationLimit">,
  userId: string,
): Promise<Limit | null> {
  const limit = services.generationLimit;
  if (await runningGenerations(services.kv, userId) < limit) return null;
  return { kind: "limit", limit, message: generationLimitMessage(limit) };
}

/** Runs a generation start; the engine's refusals become outcomes, other errors propagate. */
async function refusable<T>(start: () => Promise<T>): Promise<T | GenerationRefusal> {
  try {
    return await start();
  } catch (error) {
    const refusal = generationRefusal(error);
    if (refusal) return refusal;
    throw error;
  }
}

/** The caller's project with the latest version of each stage. */
export async function getProject(
  services: UseCaseServices,
  input: { userId: string; id: string },
): Promise<{ kind: "found"; project: Project; latest: LatestStages } | NotFound> {
  const project = await services.repos.projects.getForUser(input);
  if (!project) return { kind: "not_found" };
  return {
    kind: "found",
    project,
    latest: await services.repos.generations.latestByProject(project.id),
  };
}

/**
 * The live events of the caller's project from `lastEventId` on: `ended` when its generation
 * has ended and the client holds every event (an event stream answers 204 then, so
 * EventSource stops reconnecting).
 */
export async function followProject(
  services: UseCaseServices,
  input: { userId: string; id: string; lastEventId?: number; signal?: AbortSignal },
): Promise<{ kind: "stream"; stream: ReadableStream<Uint8Array> } | { kind: "ended" } | NotFound> {
  const project = await services.repos.projects.getForUser({ id: input.id, userId: input.userId });
  if (!project) return { kind: "not_found" };
  const { lastEventId, signal } = input;
  if (await services.pipeline.streamDone({ projectId: project.id, lastEventId })) {
    return { kind: "ended" };
  }
  const stream = await services.pipeline.eventStream({
    projectId: project.id,
    lastEventId,
    signal,
  });
  return { kind: "stream", stream };
}

/** One page of the caller's projects, newest first. */
export async function listProjects(
  services: UseCaseServices,
  input: { userId: string; cursor?: string; limit: number; search?: string },
): Promise<{ kind: "page"; page: Page<Project> } | { kind: "invalid_cursor" }> {
  try {
    return { kind: "page", page: await services.repos.projects.listForUser(input) };
  } catch (error) {
    if (isDomainError(error, "InvalidCursorError")) return { kind: "invalid_cursor" };
    throw error;
  }
}

/** Renames the caller's project or changes its visibility. */
export async function updateProject(
  services: UseCaseServices,
  input: { userId: string; id: string; title?: string; visibility?: Project["visibility"] },
): Promise<{ kind: "updated"; project: Project } | NotFound> {
  const project = await services.repos.projects.update(input);
  return project ? { kind: "updated", project } : { kind: "not_found" };
}

/**
 * Stops the generation of the caller's project and deletes it. The projects repository
 * forgets its public copies (stored page, API resource, share image) as the row goes
 * (public/invalidation.server.ts), whichever surface asked.
 */
export async function deleteProject(
  services: UseCaseServices,
  input: { userId: string; id: string },
): Promise<{ kind: "deleted" } | NotFound> {
  const project = await services.repos.projects.getForUser(input);
  if (!project) return { kind: "not_found" };
  await services.pipeline.cancel(project.id);
  const deleted = await services.repos.projects.delete(input);
  return deleted ? { kind: "deleted" } : { kind: "not_found" };
}

/** Starts a new version of one stage of the caller's project. */
export async function regenerateStage(
  services: UseCaseServices,
  input: { userId: string; id: string; stage: StageName },
): Promise<{ kind: "started"; job: Job } | NotFound | GenerationRefusal> {
  const project = await services.repos.projects.getForUser(input);
  if (!project) return { kind: "not_found" };
  const job = await refusable(() =>
    services.pipeline.regenerateStage({
      projectId: project.id,
      userId: input.userId,
      directive: project.directive,
      stage: input.stage,
    })
  );
  return "kind" in job ? job : { kind: "started", job };
}

/** Re-runs the failed stages of the caller's project (a project without a job gets one). */
export async function retryProject(
  services: UseCaseServices,
  input: { userId: string; id: string },
): Promise<{ kind: "started"; job: Job | null } | NotFound | GenerationRefusal> {
  const project = await services.repos.projects.getForUser(input);
  if (!project) return { kind: "not_found" };
  const job = await refusable(() =>
    services.pipeline.retry({
      projectId: project.id,
      userId: input.userId,
      // A project stuck without a job (queued or failed) gets one.
      ...(project.status === "completed" ? {} : { directive: project.directive }),
    })
  );
  return job !== null && "kind" in job ? job : { kind: "started", job };
}
