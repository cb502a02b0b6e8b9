import { z } from "zod";
import type { Services } from "../server/services.server.ts";
import type { Project } from "../db/repositories/projects.server.ts";
import type { Generation } from "../db/repositories/generations.server.ts";
import { prepareStageExtras, previewCode, previewPaths } from "../render/extras.server.ts";
import { type Usage, usageOfRow } from "../blueprint/usage.ts";
import type { BrandSpec, CodeSpec } from "../blueprint/schemas.ts";
import { compareOutputs } from "../blueprint/compare.ts";
import type { StageComparison } from "../blueprint/compare.ts";
import type { BlueprintInput } from "../export/markdown.server.ts";
import { isStageName, STAGE_NAMES } from "../blueprint/stages.ts";
import { TITLE_MAX_CHARS } from "../blueprint/title.ts";
import type { StageName } from "../blueprint/stages.ts";
import {
  deleteProject,
  getProject,
  regenerateStage,
  retryProject,
  updateProject,
} from "./use-cases.server.ts";
import type { GenerationRefusal, NotFound } from "./use-cases.server.ts";

/** One stage as the project page shows it: the shown version's row. */
export interface StageView {
  /** The generation row: its output never changes, so its id names what the view shows. */
  id: string;
  version: number;
  latestVersion: number;
  status: string;
  /** As stored; undefined when not read yet (`ProjectView.outputs` reads it). */
  output?: Record<string, unknown> | null;
  usage: Usage;
}

/** One entry of a stage's version history. */
export interface VersionEntry {
  version: number;
  status: string;
  createdAt: string;
  provider: string;
}

/** Two versions of one stage to compare, as asked for by `?compare=stage:from..to`. */
/** Versions listed in a project page's history, across its stages. */
const MAX_HISTORY_ROWS = 500;

export interface CompareRequest {
  stage: StageName;
  from: number;
  to: number;
}

/** A comparison the page shows: which versions, and the fields that differ. */
export interface CompareView extends CompareRequest, StageComparison {}

/** Everything the project page renders; `stages` resolves later (deferred). */
export interface ProjectView {
  project: Project;
  running: boolean;
  failed: boolean;
  staleStages: StageName[];
  history: Partial<Record<StageName, VersionEntry[]>>;
  /** Set when both requested versions exist. */
  compare: CompareView | null;
  /** The latest brand's row (its palette colours the design stage's wireframes). */
  latestBrand: StageView | null;
  stages: Promise<Partial<Record<StageName, StageView>>>;
  /**
   * Reads outputs of the project's generations by id in one query: the page reads only those
   * it has not rendered before (a version's output never changes).
   */
  outputs(ids: readonly string[]): Promise<Map<string, Record<string, unknown> | null>>;
}

/** The output and extras a page sends for one stage (code: previewed files only). */
export function stagePayload(
  stage: StageName,
  output: unknown,
  options: { brand?: BrandSpec; file?: string | null },
): { output: Record<string, unknown> | null; extras: Record<string, unknown> } {
  if (!output) return { output: null, extras: {} };
  if (stage === "code") {
    const code = output as CodeSpec;
    const previewed = previewPaths(code, { selected: options.file });
    return {
      output: previewCode(code, previewed) as unknown as Record<string, unknown>,
      extras: prepareStageExtras("code", code, { codeFiles: previewed }) as Record<string, unknown>,
    };
  }
  return {
    output: output as Record<string, unknown>,
    extras: prepareStageExtras(stage, output as never, {
      palette: options.brand?.palette,
    }) as Record<
      string,
      unknown
    >,
  };
}

/** Loads a project the user owns with its stage outputs; null when it is not theirs. */
export async function loadProjectView(
  input: {
    services: Services;
    projectId: string;
    userId: string;
    selected?: Partial<Record<StageName, number>>;
    compare?: CompareRequest | null;
  },
): Promise<ProjectView | null> {
  const { services, projectId, userId } = input;
  const project = await services.repos.projects.getForUser({ id: projectId, userId });
  if (!project) return null;
  // Version metadata of every stage (the latest of each among it), and only the outputs of
  // versions the page shows and has not rendered before: its cost does not grow with the
  // history, nor with the size of a blueprint it has shown already.
  const [job, rows] = await Promise.all([
    services.pipeline.currentJob(projectId),
    services.repos.generations.listVersions({ projectId, limit: MAX_HISTORY_ROWS }),
  ]);
  const history: Partial<Record<StageName, VersionEntry[]>> = {};
  let latest: Partial<Record<StageName, Generation>> = {};
  for (const row of rows) {
    const stage = row.stage as StageName;
    // Newest version first: the first row of a stage is its latest, its output not read yet.
    latest[stage] ??= { ...row, output: undefined };
    (history[stage] ??= []).push({
      version: row.version,
      status: row.status,
      createdAt: row.createdAt,
      provider: row.provider,
    });
  }
  // A history longer than the list may leave a stage out: ask for the latest of each then.
  if (rows.length >= MAX_HISTORY_ROWS) {
    latest = await services.repos.generations.latestByProject(projectId);
  }
  const fetchVersion = (stage: StageName, version: number) =>
    latest[stage]?.version === version && latest[stage]!.output !== undefined
      ? Promise.resolve(latest[stage]!)
      : services.repos.generations.get({ projectId, stage, version });
  const chosen: Partial<Record<StageName, Generation>> = {};
  await Promise.all(
    STAGE_NAMES.map(async (stage) => {
      const version = input.selected?.[stage];
      if (version === undefined || !history[stage]?.some((v) => v.version === version)) return;
      const row = await fetchVersion(stage, version);
      if (row) chosen[stage] = row;
    }),
  );
  const staleStages = STAGE_NAMES.filter((s) => latest[s]?.status === "stale");
  const compareRows = input.compare && input.compare.from !== input.compare.to
    ? (await Promise.all([
      fetchVersion(input.compare.stage as StageName, input.compare.from),
      fetchVersion(input.compare.stage as StageName, input.compare.to),
    ])).filter((row): row is Generation => row !== null)
    : [];
  const compare = compareVersions(compareRows, input.compare);
  const viewOf = (stage: StageName, row: Generation): StageView => ({
    id: row.id,
    version: row.version,
    latestVersion: latest[stage]!.version,
    status: row.status,
    output: row.output === undefined ? undefined : (row.output as Record<string, unknown> | null),
    usage: usageOfRow(row),
  });
  const stages = Promise.resolve().then(() => {
    const out: Partial<Record<StageName, StageView>> = {};
    for (const stage of STAGE_NAMES) {
      const row = chosen[stage] ?? latest[stage];
      if (row) out[stage] = viewOf(stage, row);
    }
    return out;
  });
  const outputs = async (ids: readonly string[]) => {
    const found = await services.repos.generations.outputs({ projectId, ids });
    return new Map(
      ids.map((id) => [id, (found.get(id) as Record<string, unknown> | null) ?? null]),
    );
  };
  return {
    project,
    running: job?.status === "running",
    // A project without a job that never completed is stuck (its job was never written).
    failed: job?.status === "failed" || project.status === "failed" ||
      (!job && project.status !== "completed"),
    staleStages,
    history,
    compare,
    latestBrand: latest.brand ? viewOf("brand", latest.brand) : null,
    stages,
    outputs,
  };
}

function compareVersions(
  rows: { stage: string; version: number; output: unknown }[],
  request: CompareRequest | null | undefined,
): CompareView | null {
  if (!request || request.from === request.to) return null;
  const find = (version: number) =>
    rows.find((row) => row.stage === request.stage && row.version === version && row.output);
  const before = find(request.from);
  const after = find(request.to);
  if (!before || !after) return null;
  return { ...request, ...compareOutputs(before.output, after.output) };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("visibility"), visibility: z.enum(["public", "private"]) }),
  z.object({ intent: z.literal("regenerate"), stage: z.string().refine(isStageName) }),
  z.object({ intent: z.literal("retry") }),
  z.object({
    intent: z.literal("rename"),
    title: z.string().trim().min(1).max(TITLE_MAX_CHARS),
  }),
  z.object({ intent: z.literal("delete"), confirm: z.literal("yes") }),
]);

/** What a project-page form did. */
export type ProjectActionResult =
  | { kind: "ok" }
  | { kind: "deleted" }
  | { kind: "not-found" }
  | { kind: "error"; status: number; message: string };

/**
 * The pages' status for a refused generation, the same as API v1's (operations.ts): busy is
 * 409 (`generation-running`), over the per-user limit is 429 (`generation-limit`).
 */
export function refusalStatus(refusal: GenerationRefusal): 409 | 429 {
  return refusal.kind === "busy" ? 409 : 429;
}

/** A use case's outcome as the project page answers it. */
function pageResult(
  outcome: { kind: "updated" | "started" | "deleted" } | NotFound | GenerationRefusal,
): ProjectActionResult {
  switch (outcome.kind) {
    case "not_found":
      return { kind: "not-found" };
    case "busy":
    case "limit":
      return { kind: "error", status: refusalStatus(outcome), message: outcome.message };
    case "deleted":
      return { kind: "deleted" };
    default:
      return { kind: "ok" };
  }
}

/** Applies one project-page form (visibility, regenerate, retry, rename, delete). */
export async function projectAction(
  form: FormData,
  input: { services: Services; projectId: string; userId: string },
): Promise<ProjectActionResult> {
  const { services, projectId: id, userId } = input;
  const parsed = actionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    if (!(await services.repos.projects.getForUser({ id, userId }))) return { kind: "not-found" };
    return { kind: "error", status: 400, message: "That request was not understood." };
  }
  const command = parsed.data;
  switch (command.intent) {
    case "visibility":
      return pageResult(
        await updateProject(services, { id, userId, visibility: command.visibility }),
      );
    case "rename":
      return pageResult(await updateProject(services, { id, userId, title: command.title }));
    case "regenerate":
      return pageResult(
        await regenerateStage(services, { id, userId, stage: command.stage as StageName }),
      );
    case "retry":
      return pageResult(await retryProject(services, { id, userId }));
    case "delete":
      return pageResult(await deleteProject(services, { id, userId }));
  }
}

/** What the exports are built from, for a project the user owns; null when it is not theirs. */
export async function loadBlueprintExport(
  input: { services: Services; projectId: string; userId: string },
): Promise<BlueprintInput | null> {
  const found = await getProject(input.services, { userId: input.userId, id: input.projectId });
  if (found.kind === "not_found") return null;
  const { project, latest } = found;
  const stages: BlueprintInput["stages"] = {};
  for (const stage of STAGE_NAMES) {
    if (latest[stage]?.output) stages[stage] = latest[stage]!.output;
  }
  return {
    project: { title: project.title, directive: project.directive, slug: project.slug },
    stages,
  };
}
