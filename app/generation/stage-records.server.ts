/**
 * Accounting of stages in Postgres and in the job: the inputs a job's stages read, the stored
 * row of a stage version, its insert, the staleness of downstream stages, the project's title,
 * and the `stage.completed` / `stage.failed` records with their cost.
 */
import { type Usage, usageOfRow } from "../blueprint/usage.ts";
import { ProviderError } from "../llm/types.ts";
import type { Repositories } from "../db/repositories.server.ts";
import { isConnectionError } from "../db/errors.ts";
import { STAGE_NAMES } from "../blueprint/stages.ts";
import type { StageName } from "../blueprint/stages.ts";
import { hasDirectiveTitle, titleFromName } from "../blueprint/title.ts";
import type { Job } from "./jobs.server.ts";
import type { JobWriter } from "./job-writer.server.ts";

/** Retries a database write while Postgres is unreachable, until the job is aborted. */
export async function retryDb<T>(fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
  let delay = 200;
  while (true) {
    try {
      return await fn();
    } catch (error) {
      if (signal.aborted || !isConnectionError(error)) throw error;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5_000);
    }
  }
}

/** Outputs of the completed stages this job's stages read, from Postgres. */
export async function loadInputs(
  repos: Repositories,
  job: Job,
): Promise<Partial<Record<StageName, unknown>>> {
  const outputs: Partial<Record<StageName, unknown>> = {};
  const latest = await repos.generations.latestByProject(job.projectId);
  for (const stage of STAGE_NAMES) {
    const state = job.stages[stage];
    if (state?.status === "completed") {
      const row = await repos.generations.get({
        projectId: job.projectId,
        stage,
        version: state.version,
      });
      if (row) outputs[stage] = row.output;
    } else if (!job.targets.includes(stage) && latest[stage]) {
      outputs[stage] = latest[stage]!.output;
    }
  }
  return outputs;
}

/** Stores a stage version's output; false when another instance stored this version first. */
export async function insertGeneration(
  repos: Repositories,
  input: {
    job: Job;
    stage: StageName;
    version: number;
    output: unknown;
    usage: Usage;
    signal: AbortSignal;
  },
): Promise<boolean> {
  const { job, stage, version, output, usage } = input;
  const row = await retryDb(() =>
    repos.generations.insert({
      projectId: job.projectId,
      stage,
      version,
      status: "completed",
      output,
      provider: usage.provider,
      model: usage.model,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      costUsd: usage.costUsd,
      ttftMs: Math.round(usage.ttftMs),
      durationMs: Math.round(usage.durationMs),
      cached: usage.cached,
      repairs: usage.repairs ?? 0,
      inputHash: null,
    }), input.signal);
  return row !== null;
}

/** A product stage's working name becomes the title, unless the user renamed the project. */
export async function renameProject(
  repos: Repositories,
  projectId: string,
  product: unknown,
): Promise<void> {
  const title = titleFromName((product as { workingName?: unknown }).workingName);
  const project = await repos.projects.getById(projectId);
  if (project && title !== null && hasDirectiveTitle(project)) {
    await repos.projects.rename({ id: projectId, title });
  }
}

/** The usage of a stored stage row, as `stage.completed` reports it. */
export const usageOf = usageOfRow;

/** The job with one stage's state patched. */
export function withStage(
  job: Job,
  stage: StageName,
  patch: Partial<NonNullable<Job["stages"][StageName]>>,
): Job {
  const current = job.stages[stage] ?? { status: "pending" as const, version: 1 };
  return { ...job, stages: { ...job.stages, [stage]: { ...current, ...patch } } };
}

/** Records a completed stage: its state, its cost added to the job's, `stage.completed`. */
export async function completeStage(
  stage: StageName,
  input: { writer: JobWriter; version: number; output: unknown; usage: Usage },
): Promise<void> {
  await input.writer.mutate((current) => ({
    job: {
      ...withStage(current, stage, { status: "completed", provider: input.usage.provider }),
      costUsd: current.costUsd + input.usage.costUsd,
    },
    events: [{
      event: "stage.completed",
      data: { stage, version: input.version, output: input.output, usage: input.usage },
    }],
  }));
}

/** Records a failed stage and `stage.failed`, with an error fit to show the user. */
export async function failStage(
  stage: StageName,
  error: unknown,
  writer: JobWriter,
): Promise<void> {
  const providerError = error instanceof ProviderError ? error : null;
  const budget = providerError?.name === "BudgetExceededError";
  const detail = {
    code: budget ? "budget_exhausted" : providerError?.kind ?? "internal",
    // Provider messages can carry upstream details; only our own budget text is shown as is.
    message: budget
      ? providerError!.message
      : providerError
      ? `Every provider failed for the ${stage} stage (${providerError.kind}).`
      : `The ${stage} stage failed.`,
    retryable: providerError ? providerError.retryable : true,
  };
  if (!providerError) console.error(`stage ${stage} failed:`, error);
  await writer.mutate((current) => ({
    job: withStage(current, stage, { status: "failed", error: detail }),
    events: [{ event: "stage.failed", data: { stage, error: detail } }],
  }));
}
