/**
 * Runs one stage of a job: streams it through the provider chain, logs its deltas as
 * increments (throttled), validates and normalises the output, stores it and records it.
 */
import type { ProviderEvent, StageRequest } from "../llm/types.ts";
import type { Usage } from "../blueprint/usage.ts";
import type { Repositories } from "../db/repositories.server.ts";
import { SCHEMA_VERSION, stageSchemas } from "../blueprint/schemas.ts";
import { normaliseStage } from "../blueprint/normalise.ts";
import { downstreamOf, STAGE_DEPENDENCIES } from "../blueprint/stages.ts";
import type { StageName } from "../blueprint/stages.ts";
import { storedCodeStage } from "./code-check.ts";
import { diffPartial } from "./partial-patch.ts";
import { LeaseLostError } from "./errors.ts";
import type { JobWriter } from "./job-writer.server.ts";
import {
  completeStage,
  insertGeneration,
  renameProject,
  retryDb,
  usageOf,
  withStage,
} from "./stage-records.server.ts";

/** A partial larger than this is not logged again at every delta; `stage.completed` carries it. */
const MAX_DELTA_CHARS = 240_000;
/**
 * A stage's first delta is logged at once; after it, a delta is logged once it adds this many
 * characters of ops, or after MAX_DELTA_GAP_MS with any change: each logged delta costs a
 * commit and ~200 bytes of keys and framing, so tiny increments would cost more than the text
 * they carry (bench: KV bytes per generation at 80 tok/s, goal ≤ 3× the output).
 */
const MIN_DELTA_CHARS = 480;
const MAX_DELTA_GAP_MS = 1_500;

/** The router's generate function: one stage through the provider chain. */
export type GenerateStage = (
  request: StageRequest & { userId: string },
) => AsyncIterable<ProviderEvent>;

/** What a stage run needs of its pipeline. */
export interface StageRunnerOptions {
  repos: Repositories;
  generate: GenerateStage;
  /** Minimum spacing of `stage.delta` events per stage. */
  deltaIntervalMs: number;
  now: () => number;
}

/** Runs `stage` of the writer's job; `outputs` holds the stages' outputs, this one's added. */
export async function runStage(
  options: StageRunnerOptions,
  stage: StageName,
  ctx: {
    writer: JobWriter;
    outputs: Partial<Record<StageName, unknown>>;
    signal: AbortSignal;
  },
): Promise<void> {
  const { repos, generate, deltaIntervalMs, now } = options;
  const { writer, outputs, signal } = ctx;
  const job = writer.job;
  const version = job.stages[stage]!.version;
  const inputs: Partial<Record<StageName, unknown>> = {};
  for (const dep of STAGE_DEPENDENCIES[stage]) inputs[dep] = outputs[dep];

  const existing = await retryDb(
    () => repos.generations.get({ projectId: job.projectId, stage, version }),
    signal,
  );
  if (existing && existing.status !== "failed") {
    outputs[stage] = existing.output;
    await completeStage(stage, {
      writer,
      version,
      output: existing.output,
      usage: usageOf(existing),
    });
    return;
  }

  const schema = stageSchemas[stage];
  let output: unknown = undefined;
  let usage: Usage | undefined;
  let lastDeltaAt = 0;
  /** The partial of the last logged delta: the next one is stored as the change from it. */
  let logged: unknown = undefined;
  let deltas = 0;
  for await (
    const event of generate({
      stage,
      directive: job.directive,
      inputs,
      schema,
      schemaVersion: SCHEMA_VERSION,
      signal,
      userId: job.userId,
    })
  ) {
    if (signal.aborted) throw new LeaseLostError("aborted");
    if (event.type === "started") {
      lastDeltaAt = 0;
      logged = undefined;
      deltas = 0;
      await writer.mutate((current) => ({
        job: withStage(current, stage, { status: "running", provider: event.provider }),
        events: [{
          event: "stage.started",
          data: { stage, provider: event.provider, model: event.model },
        }],
      }));
    } else if (event.type === "delta") {
      const t = now();
      if (deltas > 0 && t - lastDeltaAt < deltaIntervalMs) continue;
      const partial = event.partial;
      if (JSON.stringify(partial).length > MAX_DELTA_CHARS) continue;
      const ops = diffPartial(logged, partial);
      if (ops.length === 0) continue;
      if (deltas > 0 && t - lastDeltaAt < MAX_DELTA_GAP_MS) {
        if (JSON.stringify(ops).length < MIN_DELTA_CHARS) continue;
      }
      lastDeltaAt = t;
      deltas++;
      logged = structuredClone(partial);
      await writer.append({ stage, ops });
    } else if (event.type === "status") {
      await writer.mutate((current) => ({
        job: current,
        events: [{ event: "status", data: { message: event.message } }],
      }));
    } else {
      output = event.output;
      usage = event.usage;
    }
  }
  if (usage === undefined) throw new Error(`The ${stage} stage ended without output.`);
  let normalised = normaliseStage(stage, schema.parse(output) as never, inputs as never);
  // Code is checked before it is stored; failing code is regenerated offline (issue 16.5).
  if (stage === "code") {
    normalised = storedCodeStage(normalised as never, inputs, usage.provider) as never;
  }
  const inserted = await insertGeneration(repos, {
    job,
    stage,
    version,
    output: normalised,
    usage,
    signal,
  });
  if (!inserted) {
    // Another instance took the lease during this run and stored this version first: the
    // stored row is the stage's output, for downstream stages and clients alike (item 4).
    const stored = await retryDb(
      () => repos.generations.get({ projectId: job.projectId, stage, version }),
      signal,
    );
    if (!stored) throw new Error(`The ${stage} row vanished after a conflicting insert.`);
    normalised = stored.output as typeof normalised;
    usage = usageOf(stored);
  }
  outputs[stage] = normalised;
  if (version > 1) {
    await retryDb(
      () => repos.generations.markStale({ projectId: job.projectId, stages: downstreamOf(stage) }),
      signal,
    );
  }
  if (stage === "product") {
    await retryDb(() => renameProject(repos, job.projectId, normalised), signal);
  }
  await completeStage(stage, { writer, version, output: normalised, usage });
}
