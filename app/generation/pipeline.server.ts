/**
 * The generation engine's facade: creates jobs (first generation, regeneration, retry), runs
 * them in this process, resumes orphans, streams events. The parts live beside it: job store
 * and fenced writer, event log, scheduler and stage runner, event stream, errors.
 */
import { ulid } from "ulid";
import type { Repositories } from "../db/repositories.server.ts";
import { STAGE_NAMES } from "../blueprint/stages.ts";
import type { StageName } from "../blueprint/stages.ts";
import type { Job } from "./jobs.server.ts";
import { GenerationBusyError, LeaseLostError } from "./errors.ts";
import { createJobStore } from "./job-store.server.ts";
import { readEvents } from "./event-log.server.ts";
import type { ReplayCursor } from "./event-log.server.ts";
import { runJob } from "./scheduler.server.ts";
import type { GenerateStage } from "./stage-runner.server.ts";
import { eventStream, streamDone } from "./event-stream.server.ts";

export { GenerationBusyError, GenerationLimitError } from "./errors.ts";
export type { ReplayCursor } from "./event-log.server.ts";
export type { GenerateStage } from "./stage-runner.server.ts";

export interface PipelineOptions {
  kv: Deno.Kv;
  repos: Repositories;
  generate: GenerateStage;
  /** Identifies this process as a lease owner. */
  instanceId?: string;
  leaseMs?: number;
  maxRunningPerUser?: number;
  /** Minimum spacing of `stage.delta` events per stage. */
  deltaIntervalMs?: number;
  now?: () => number;
}

/** The generation engine: jobs with leases in KV, stages run in dependency order, events logged. */
export function createPipeline(options: PipelineOptions) {
  const { kv, repos, generate } = options;
  const instanceId = options.instanceId ?? ulid();
  const leaseMs = options.leaseMs ?? 30_000;
  const now = options.now ?? Date.now;
  const store = createJobStore({
    kv,
    instanceId,
    leaseMs,
    maxRunningPerUser: options.maxRunningPerUser ?? 2,
    now,
  });
  const engine = {
    kv,
    repos,
    generate,
    store,
    instanceId,
    leaseMs,
    deltaIntervalMs: options.deltaIntervalMs ?? 250,
    now,
  };
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const closing = new AbortController();

  /** Creates a job for the given stages and starts running it in this process. */
  async function createJob(
    input: { projectId: string; userId: string; directive: string; targets: StageName[] },
    /**
     * Regenerations: checked in the same atomic commit that writes the job, so of concurrent
     * requests exactly one gets the project's job slot (the others see it running: busy).
     */
    exclusive?: (op: Deno.AtomicOperation, job: Job) => Promise<void>,
  ): Promise<Job> {
    const id = ulid();
    const stages: Job["stages"] = {};
    for (const stage of input.targets) stages[stage] = { status: "pending", version: 1 };
    const job: Job = {
      id,
      projectId: input.projectId,
      userId: input.userId,
      directive: input.directive,
      targets: input.targets,
      stages,
      lease: null,
      nextSeq: 1,
      status: "running",
      costUsd: 0,
      createdAt: now(),
    };
    await store.reserveSlot(input.userId, id, async (op) => {
      await exclusive?.(op, job);
      store.writeNew(op, job);
    });
    launch(id);
    return job;
  }

  /** Starts the first generation of a new project: all five stages. */
  async function startGeneration(
    input: { projectId: string; userId: string; directive: string },
  ): Promise<Job> {
    return await createJob({ ...input, targets: [...STAGE_NAMES] });
  }

  /** Regenerates one stage as a new version; its downstream stages become stale when it lands. */
  async function regenerateStage(
    input: { projectId: string; userId: string; directive: string; stage: StageName },
  ): Promise<Job> {
    const { stage } = input;
    return await createJob({ ...input, targets: [stage] }, async (op, job) => {
      // Read at every attempt: the project's job pointer and that job, both checked at commit.
      const pointer = await store.readPointer(input.projectId);
      const previous = typeof pointer.value === "string"
        ? await store.readJob(pointer.value)
        : null;
      if (previous?.value?.status === "running") throw new GenerationBusyError();
      op.check({ key: pointer.key, versionstamp: pointer.versionstamp });
      if (previous) op.check({ key: previous.key, versionstamp: previous.versionstamp });
      // The version is the slot's: past every stored row and past the previous job's own.
      const stored = await repos.generations.nextVersion({ projectId: input.projectId, stage });
      const last = previous?.value?.stages[stage];
      const prior = last ? last.version + (last.status === "completed" ? 1 : 0) : 1;
      job.stages[stage] = { status: "pending", version: Math.max(stored, prior) };
    });
  }

  /**
   * Re-runs the stages of a failed job that did not complete. With `directive`, a project that
   * has no job at all (its creation failed to write one) gets a full generation.
   */
  async function retry(
    input: { projectId: string; userId: string; directive?: string },
  ): Promise<Job | null> {
    const jobId = await store.latestJobId(input.projectId);
    const entry = jobId !== null ? await store.readJob(jobId) : null;
    if (!entry?.value && input.directive !== undefined) {
      const targets = [...STAGE_NAMES];
      return await createJob({ ...input, directive: input.directive, targets }, async (op) => {
        // Concurrent retries: the first one's job is the project's; the others see it.
        const pointer = await store.readPointer(input.projectId);
        if (typeof pointer.value === "string" && (await store.readJob(pointer.value)).value) {
          throw new GenerationBusyError();
        }
        op.check({ key: pointer.key, versionstamp: pointer.versionstamp });
      });
    }
    if (!entry || jobId === null) return null;
    const job = entry.value;
    if (!job || job.status !== "failed") return job;
    await store.reserveSlot(input.userId, jobId);
    const stages = { ...job.stages };
    for (const stage of job.targets) {
      const state = stages[stage]!;
      if (state.status !== "completed") {
        stages[stage] = { status: "pending", version: state.version };
      }
    }
    const next: Job = { ...job, stages, status: "running", lease: null, finishedAt: undefined };
    if (!(await store.restart(entry as Deno.KvEntry<Job>, next))) return null;
    launch(jobId);
    return next;
  }

  function launch(jobId: string): void {
    if (running.has(jobId) || closing.signal.aborted) return;
    const controller = new AbortController();
    const signal = AbortSignal.any([controller.signal, closing.signal]);
    const done = runJob(engine, jobId, signal, () => controller.abort()).catch((error) => {
      const stopped = controller.signal.aborted || closing.signal.aborted;
      if (!(error instanceof LeaseLostError) && !stopped) console.error(`job ${jobId}:`, error);
    }).finally(() => running.delete(jobId));
    running.set(jobId, { controller, done });
  }

  const streams = {
    kv,
    store,
    leasePollMs: Math.min(leaseMs, 5_000),
    closing: closing.signal,
    launch,
  };

  /** Resumes every unfinished job whose lease lapsed (start, cron, and on demand). */
  async function sweep(): Promise<number> {
    let resumed = 0;
    for await (const { key, jobId } of store.activeJobs()) {
      const job = (await store.readJob(jobId)).value;
      if (!job || job.status !== "running") {
        await store.forgetActive(key);
        continue;
      }
      if (store.isOrphan(job)) {
        launch(jobId);
        resumed++;
      }
    }
    return resumed;
  }

  /** Stops a job (e.g. its project was deleted); its upstream requests are aborted. */
  async function cancel(projectId: string): Promise<void> {
    const jobId = await store.latestJobId(projectId);
    if (jobId === null) return;
    running.get(jobId)?.controller.abort();
    await running.get(jobId)?.done;
    await store.cancelRecord(jobId);
  }

  /** Waits for every job this process runs (tests, shutdown). */
  async function idle(): Promise<void> {
    while (running.size) await Promise.all([...running.values()].map((r) => r.done));
  }

  /** Stops local work without touching job state: another instance resumes after the lease lapses. */
  async function close(): Promise<void> {
    closing.abort();
    await Promise.all([...running.values()].map((r) => r.done));
  }

  return {
    instanceId,
    startGeneration,
    regenerateStage,
    retry,
    currentJob: store.currentJob,
    readEvents: (jobId: string, afterSeq: number, cursor?: ReplayCursor) =>
      readEvents(kv, jobId, afterSeq, cursor),
    streamDone: (input: { projectId: string; lastEventId?: number }) => streamDone(store, input),
    eventStream: (input: { projectId: string; lastEventId?: number; signal?: AbortSignal }) =>
      eventStream(streams, input),
    sweep,
    cancel,
    idle,
    close,
  };
}

/** The generation engine's public surface. */
export type Pipeline = ReturnType<typeof createPipeline>;
