import { ulid } from "ulid";
import { z } from "zod";
import type { ProviderEvent, StageRequest, Usage } from "../llm/types.ts";
import { ProviderError } from "../llm/types.ts";
import {
  activeJobKey,
  activeJobsPrefix,
  chunkKey,
  jobEventKey,
  jobEventsPrefix,
  jobKey,
  jobTailKey,
  projectJobKey,
  runningGenerationsKey,
} from "../kv/keys.ts";
import type { Repositories } from "../db/repositories.server.ts";
import { isConnectionError } from "../db/errors.ts";
import { SCHEMA_VERSION, stageSchemas } from "../blueprint/schemas.ts";
import { normaliseStage } from "../blueprint/normalise.ts";
import { storedCodeStage } from "./code-check.ts";
import { downstreamOf, STAGE_DEPENDENCIES, STAGE_NAMES } from "../blueprint/stages.ts";
import type { StageName } from "../blueprint/stages.ts";
import type { GenerationEvent, SequencedEvent } from "./events.ts";
import { formatSse, generationEventSchema } from "./events.ts";
import { applyPatch, diffPartial, patchSchema } from "./partial-patch.ts";
import type { PatchOp } from "./partial-patch.ts";
import type { Job } from "./jobs.server.ts";
import { jobSchema, runningListSchema } from "./jobs.server.ts";

/** Events and finished jobs are kept this long (docs/architecture.md §4). */
const EVENT_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A user's running list is rewritten whenever a job starts or ends; an idle user's list (and
 * the project's pointer to its latest job, after twice the job's own TTL) expires (item 8).
 */
const RUNNING_TTL_MS = EVENT_TTL_MS;
/** KV values are limited to 64 KiB; larger events are split below that. */
const CHUNK_BYTES = 60_000;
/**
 * Events up to this many bytes of JSON are stored as they are: V8 may serialise text as UTF-16,
 * up to twice its UTF-8 size, so only half of KV's value limit is safe.
 */
const INLINE_EVENT_BYTES = 30_000;
/** Chunks per commit: one atomic operation carries at most 800 KiB. */
const CHUNKS_PER_COMMIT = 11;
/** A partial larger than this is not logged again at every delta; `stage.completed` carries it. */
const MAX_DELTA_CHARS = 240_000;
const HEARTBEAT_MS = 15_000;
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

/** Too many generations are running for this user. */
export class GenerationLimitError extends Error {
  constructor(readonly limit: number) {
    super(`You already have ${limit} generations running. Wait for one to finish.`);
    this.name = "GenerationLimitError";
  }
}

/** Another instance took over the job's lease. */
class LeaseLostError extends Error {}

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
  const maxRunning = options.maxRunningPerUser ?? 2;
  const deltaIntervalMs = options.deltaIntervalMs ?? 250;
  const leasePollMs = Math.min(leaseMs, 5_000);
  const now = options.now ?? Date.now;
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const closing = new AbortController();

  async function readJob(jobId: string): Promise<Deno.KvEntryMaybe<Job>> {
    const entry = await kv.get(jobKey(jobId));
    if (entry.value === null) return entry as Deno.KvEntryMaybe<Job>;
    const parsed = jobSchema.safeParse(entry.value);
    if (!parsed.success) return { key: entry.key, value: null, versionstamp: null };
    return { ...entry, value: parsed.data } as Deno.KvEntryMaybe<Job>;
  }

  /**
   * Reserves one of the user's running-generation slots, atomically with `alsoWrite` (the new
   * job's records): a listed job id whose record is not written yet would not count as running.
   */
  async function reserveSlot(
    userId: string,
    jobId: string,
    alsoWrite: (op: Deno.AtomicOperation) => void | Promise<void> = () => {},
  ): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const entry = await kv.get(runningGenerationsKey(userId));
      const ids = runningListSchema.safeParse(entry.value).data ?? [];
      const live: string[] = [];
      for (const id of ids) {
        const job = (await readJob(id)).value;
        if (job && job.status === "running") live.push(id);
      }
      if (live.length >= maxRunning) throw new GenerationLimitError(maxRunning);
      const op = kv.atomic()
        .check({ key: entry.key, versionstamp: entry.versionstamp })
        .set(runningGenerationsKey(userId), [...live, jobId], { expireIn: RUNNING_TTL_MS });
      await alsoWrite(op);
      const result = await op.commit();
      if (result.ok) return;
    }
    throw new Error("Could not reserve a generation slot under contention.");
  }

  async function releaseSlot(userId: string, jobId: string): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const entry = await kv.get(runningGenerationsKey(userId));
      const ids = runningListSchema.safeParse(entry.value).data ?? [];
      if (!ids.includes(jobId)) return;
      const result = await kv.atomic()
        .check({ key: entry.key, versionstamp: entry.versionstamp })
        .set(runningGenerationsKey(userId), ids.filter((id) => id !== jobId), {
          expireIn: RUNNING_TTL_MS,
        })
        .commit();
      if (result.ok) return;
    }
  }

  /** Creates a job for the given stages and starts running it in this process. */
  async function createJob(
    input: { projectId: string; userId: string; directive: string; targets: StageName[] },
    versions: Partial<Record<StageName, number>>,
    /**
     * Regenerations: checked in the same atomic commit that writes the job, so of concurrent
     * requests exactly one gets the project's job slot (the others see it running: busy).
     */
    exclusive?: (op: Deno.AtomicOperation, job: Job) => Promise<void>,
  ): Promise<Job> {
    const id = ulid();
    const stages: Job["stages"] = {};
    for (const stage of input.targets) {
      stages[stage] = { status: "pending", version: versions[stage] ?? 1 };
    }
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
    await reserveSlot(input.userId, id, async (op) => {
      await exclusive?.(op, job);
      op.set(jobKey(id), job)
        .set(activeJobKey(id), { projectId: input.projectId })
        .set(projectJobKey(input.projectId), id, { expireIn: 2 * EVENT_TTL_MS });
    });
    launch(id);
    return job;
  }

  /** Starts the first generation of a new project: all five stages. */
  async function startGeneration(
    input: { projectId: string; userId: string; directive: string },
  ): Promise<Job> {
    return await createJob({ ...input, targets: [...STAGE_NAMES] }, {});
  }

  /** Regenerates one stage as a new version; its downstream stages become stale when it lands. */
  async function regenerateStage(
    input: { projectId: string; userId: string; directive: string; stage: StageName },
  ): Promise<Job> {
    const { stage } = input;
    return await createJob({ ...input, targets: [stage] }, {}, async (op, job) => {
      // Read at every attempt: the project's job pointer and that job, both checked at commit.
      const pointer = await kv.get<string>(projectJobKey(input.projectId));
      const previous = typeof pointer.value === "string" ? await readJob(pointer.value) : null;
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
    const jobId = (await kv.get<string>(projectJobKey(input.projectId))).value;
    const entry = typeof jobId === "string" ? await readJob(jobId) : null;
    if (!entry?.value && input.directive !== undefined) {
      const targets = [...STAGE_NAMES];
      return await createJob({ ...input, directive: input.directive, targets }, {}, async (op) => {
        // Concurrent retries: the first one's job is the project's; the others see it.
        const pointer = await kv.get<string>(projectJobKey(input.projectId));
        if (typeof pointer.value === "string" && (await readJob(pointer.value)).value) {
          throw new GenerationBusyError();
        }
        op.check({ key: pointer.key, versionstamp: pointer.versionstamp });
      });
    }
    if (!entry || typeof jobId !== "string") return null;
    const job = entry.value;
    if (!job || job.status !== "failed") return job;
    await reserveSlot(input.userId, jobId);
    const stages = { ...job.stages };
    for (const stage of job.targets) {
      const state = stages[stage]!;
      if (state.status !== "completed") {
        stages[stage] = { status: "pending", version: state.version };
      }
    }
    const next: Job = { ...job, stages, status: "running", lease: null, finishedAt: undefined };
    const ok = await kv.atomic()
      .check(entry)
      .set(jobKey(jobId), next)
      .set(activeJobKey(jobId), { projectId: job.projectId })
      .commit();
    if (!ok.ok) return null;
    launch(jobId);
    return next;
  }

  /** The project's latest job, if any is still recorded. */
  async function currentJob(projectId: string): Promise<Job | null> {
    const jobId = (await kv.get<string>(projectJobKey(projectId))).value;
    if (typeof jobId !== "string") return null;
    return (await readJob(jobId)).value;
  }

  function launch(jobId: string): void {
    if (running.has(jobId) || closing.signal.aborted) return;
    const controller = new AbortController();
    const done = run(jobId, controller).catch((error) => {
      const stopped = controller.signal.aborted || closing.signal.aborted;
      if (!(error instanceof LeaseLostError) && !stopped) console.error(`job ${jobId}:`, error);
    }).finally(() => running.delete(jobId));
    running.set(jobId, { controller, done });
  }

  /** Takes the lease of a job whose lease is free or lapsed; null when someone else holds it. */
  async function acquire(jobId: string): Promise<Deno.KvEntry<Job> | null> {
    // Deltas advance only the tail key: the log continues after the larger of the two. The
    // commit checks both, so a delta of the previous owner landing meanwhile is not overwritten.
    for (let attempt = 0; attempt < 5; attempt++) {
      const [entry, tail] = await Promise.all([readJob(jobId), kv.get(jobTailKey(jobId))]);
      const job = entry.value;
      if (!job || job.status !== "running") return null;
      if (job.lease && job.lease.owner !== instanceId && job.lease.until > now()) return null;
      const tailSeq = typeof tail.value === "number" ? tail.value : 0;
      const next: Job = {
        ...job,
        nextSeq: Math.max(job.nextSeq, tailSeq),
        lease: { owner: instanceId, until: now() + leaseMs },
      };
      const result = await kv.atomic().check(entry).check(tail).set(jobKey(jobId), next).commit();
      if (result.ok) return { key: entry.key, value: next, versionstamp: result.versionstamp };
    }
    return null;
  }

  async function run(jobId: string, controller: AbortController): Promise<void> {
    const acquired = await acquire(jobId);
    if (!acquired) return;
    const writer = createJobWriter(acquired);
    const signal = AbortSignal.any([controller.signal, closing.signal]);
    const renew = setInterval(() => {
      writer.mutate((job) => ({
        job: { ...job, lease: { owner: instanceId, until: now() + leaseMs } },
      }))
        .catch(() => controller.abort());
    }, Math.max(50, Math.floor(leaseMs / 3)));
    const started = now();
    try {
      const job = writer.job;
      // While Postgres is unreachable the job holds its lease and waits, rather than failing.
      await retryDb(
        () => repos.projects.setStatus({ id: job.projectId, status: "running" }),
        signal,
      );
      const outputs = await retryDb(() => loadInputs(job), signal);
      const failed = new Set<StageName>();
      const inFlight = new Map<StageName, Promise<void>>();
      const isDone = (s: StageName) => writer.job.stages[s]?.status === "completed";
      const blocked = (s: StageName): boolean =>
        STAGE_DEPENDENCIES[s].some((d) => failed.has(d) || (job.targets.includes(d) && blocked(d)));
      while (!signal.aborted) {
        const ready = job.targets.filter((s) =>
          !isDone(s) && !failed.has(s) && !inFlight.has(s) && !blocked(s) &&
          STAGE_DEPENDENCIES[s].every((d) => !job.targets.includes(d) || isDone(d))
        );
        for (const stage of ready) {
          inFlight.set(
            stage,
            runStage(stage, { writer, outputs, signal }).then(
              () => void inFlight.delete(stage),
              (error) => {
                inFlight.delete(stage);
                if (error instanceof LeaseLostError || signal.aborted) throw error;
                failed.add(stage);
                return failStage(stage, error, writer);
              },
            ),
          );
        }
        if (inFlight.size === 0) break;
        await Promise.race(inFlight.values());
      }
      if (signal.aborted) return;
      const status = failed.size > 0 ? "failed" : "completed";
      const finalEvents: GenerationEvent[] = status === "completed"
        ? [{
          event: "generation.completed",
          data: {
            projectId: job.projectId,
            durationMs: now() - (job.createdAt ?? started),
            costUsd: round6(writer.job.costUsd),
          },
        }]
        : [];
      // The project row changes before the final event, so a client reacting to it reads the end state.
      await retryDb(() => repos.projects.setStatus({ id: job.projectId, status }), signal);
      await writer.mutate((current) => ({
        job: { ...current, status, lease: null, finishedAt: now() },
        events: finalEvents,
      }));
      await kv.atomic()
        .delete(activeJobKey(jobId))
        .set(jobKey(jobId), writer.job, { expireIn: EVENT_TTL_MS })
        .commit();
      await releaseSlot(job.userId, jobId);
    } finally {
      clearInterval(renew);
    }
  }

  /** Outputs of the completed stages this job's stages read, from Postgres. */
  async function loadInputs(job: Job): Promise<Partial<Record<StageName, unknown>>> {
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

  async function runStage(
    stage: StageName,
    ctx: {
      writer: JobWriter;
      outputs: Partial<Record<StageName, unknown>>;
      signal: AbortSignal;
    },
  ): Promise<void> {
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
    const inserted = await insertGeneration({
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
        () =>
          repos.generations.markStale({ projectId: job.projectId, stages: downstreamOf(stage) }),
        signal,
      );
    }
    if (stage === "product") await retryDb(() => renameProject(job.projectId, normalised), signal);
    await completeStage(stage, { writer, version, output: normalised, usage });
  }

  async function renameProject(projectId: string, product: unknown): Promise<void> {
    const name = (product as { workingName?: unknown }).workingName;
    const project = await repos.projects.getById(projectId);
    if (
      project && typeof name === "string" && name.trim() &&
      project.title === project.directive.slice(0, 80)
    ) {
      await repos.projects.rename({ id: projectId, title: name.trim().slice(0, 80) });
    }
  }

  async function insertGeneration(
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

  /** Retries a database write while Postgres is unreachable, until the job is aborted. */
  async function retryDb<T>(fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
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

  async function completeStage(
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

  async function failStage(stage: StageName, error: unknown, writer: JobWriter): Promise<void> {
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

  type JobWriter = ReturnType<typeof createJobWriter>;

  /** Serialises every write of one job: state change plus events, in one atomic op each. */
  function createJobWriter(initial: Deno.KvEntry<Job>) {
    let state = initial.value;
    let versionstamp = initial.versionstamp;
    let queue: Promise<unknown> = Promise.resolve();
    return {
      get job(): Job {
        return state;
      },
      mutate(fn: (job: Job) => { job: Job; events?: GenerationEvent[] }): Promise<void> {
        const next = queue.then(async () => {
          const { job, events = [] } = fn(state);
          let seq = job.nextSeq;
          const op = kv.atomic().check({ key: jobKey(state.id), versionstamp });
          for (const event of events) await appendEvent(op, state.id, seq++, event);
          const updated = { ...job, nextSeq: seq };
          op.set(jobKey(state.id), updated);
          const result = await op.commit();
          if (!result.ok) throw new LeaseLostError(`lease of job ${state.id} lost`);
          state = updated;
          versionstamp = result.versionstamp;
        });
        queue = next.catch(() => {});
        return next;
      },
      /**
       * Logs one `stage.delta` as an increment without rewriting the job record: the commit is
       * fenced by the job's versionstamp (a takeover changes it) and bumps the small tail key.
       */
      append(delta: { stage: StageName; ops: PatchOp[] }): Promise<void> {
        const next = queue.then(async () => {
          const seq = state.nextSeq;
          const key = jobEventKey(state.id, seq);
          const stored = { event: "stage.delta", data: { stage: delta.stage, ops: delta.ops } };
          const op = kv.atomic()
            .check({ key: jobKey(state.id), versionstamp })
            .check({ key, versionstamp: null });
          if (new TextEncoder().encode(JSON.stringify(stored)).byteLength > INLINE_EVENT_BYTES) {
            await appendEvent(op, state.id, seq, stored as unknown as GenerationEvent);
          } else {
            op.set(key, stored, { expireIn: EVENT_TTL_MS });
          }
          op.set(jobTailKey(state.id), seq + 1, { expireIn: EVENT_TTL_MS });
          const result = await op.commit();
          if (!result.ok) throw new LeaseLostError(`lease of job ${state.id} lost`);
          state = { ...state, nextSeq: seq + 1 };
        });
        queue = next.catch(() => {});
        return next;
      },
    };
  }

  /** Adds an event to the job's commit `op`; a large one's chunks are committed first. */
  async function appendEvent(
    op: Deno.AtomicOperation,
    jobId: string,
    seq: number,
    event: GenerationEvent,
  ): Promise<void> {
    const key = jobEventKey(jobId, seq);
    const text = JSON.stringify(event);
    const options = { expireIn: EVENT_TTL_MS };
    op.check({ key, versionstamp: null });
    const bytes = new TextEncoder().encode(text);
    if (bytes.byteLength <= INLINE_EVENT_BYTES) {
      op.set(key, event, options);
      return;
    }
    // Chunks are keyed by this write: if the job's commit then fails (lease lost), they are
    // orphans that expire, never mixed into the event another instance writes at this seq.
    const writeId = ulid();
    const count = Math.ceil(bytes.byteLength / CHUNK_BYTES);
    for (let first = 0; first < count; first += CHUNKS_PER_COMMIT) {
      const batch = kv.atomic();
      for (let i = first; i < Math.min(count, first + CHUNKS_PER_COMMIT); i++) {
        const chunk = bytes.slice(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES);
        batch.set(chunkKey([...key, writeId], i), chunk, options);
      }
      await batch.commit();
    }
    op.set(key, { chunks: count, writeId }, options);
  }

  /**
   * Events of a job after `afterSeq`, in order, each `stage.delta` with its whole partial (the
   * log stores increments; they are replayed from the stage's start). A stream passes one
   * `cursor` to every call so each stored event is read once.
   */
  async function readEvents(
    jobId: string,
    afterSeq: number,
    cursor: ReplayCursor = newReplayCursor(),
  ): Promise<SequencedEvent[]> {
    const events: SequencedEvent[] = [];
    const iter = kv.list({
      prefix: jobEventsPrefix(jobId),
      start: jobEventKey(jobId, cursor.seq + 1),
    });
    for await (const entry of iter) {
      const seq = entry.key[2] as number;
      let value: unknown = entry.value;
      const manifest = value as { chunks?: unknown; writeId?: unknown };
      if (manifest && typeof manifest.chunks === "number") {
        // Events logged before chunks were keyed by their write have no writeId.
        const base = typeof manifest.writeId === "string"
          ? [...entry.key, manifest.writeId]
          : entry.key;
        const keys = Array.from({ length: manifest.chunks }, (_, i) => chunkKey(base, i));
        const parts: Uint8Array[] = [];
        for (let i = 0; i < keys.length; i += 10) {
          const got = await kv.getMany<Uint8Array[]>(keys.slice(i, i + 10));
          for (const part of got) parts.push(part.value!);
        }
        if (parts.some((p) => !(p instanceof Uint8Array))) break;
        const total = parts.reduce((n, p) => n + p.byteLength, 0);
        const joined = new Uint8Array(total);
        let offset = 0;
        for (const p of parts) {
          joined.set(p, offset);
          offset += p.byteLength;
        }
        value = JSON.parse(new TextDecoder().decode(joined));
      }
      let event: GenerationEvent;
      const increment = storedDeltaSchema.safeParse(value);
      if (increment.success) {
        const { stage, ops } = increment.data.data;
        let partial: unknown;
        try {
          partial = applyPatch(cursor.partials.get(stage), ops);
        } catch {
          break;
        }
        cursor.partials.set(stage, partial);
        event = { event: "stage.delta", data: { stage, partial } };
      } else {
        const parsed = generationEventSchema.safeParse(value);
        if (!parsed.success) break;
        event = parsed.data;
        // Logs written before increments hold whole partials.
        if (event.event === "stage.delta") {
          cursor.partials.set(event.data.stage, event.data.partial);
        }
        if (event.event === "stage.started") cursor.partials.delete(event.data.stage);
      }
      cursor.seq = seq;
      if (seq > afterSeq) events.push({ ...event, seq });
    }
    return events;
  }

  /**
   * Whether a client that saw events up to `lastEventId` has nothing left to receive: no job,
   * or a job that ended and whose last event it has. Event routes answer 204 then, so
   * EventSource clients stop reconnecting (issue 14 item 10).
   */
  async function streamDone(input: { projectId: string; lastEventId?: number }): Promise<boolean> {
    const jobId = (await kv.get<string>(projectJobKey(input.projectId))).value;
    if (typeof jobId !== "string") return true;
    const job = (await readJob(jobId)).value;
    if (!job) return true;
    return job.status !== "running" && (input.lastEventId ?? 0) >= job.nextSeq - 1;
  }

  /**
   * An SSE stream of a project's job events after `lastEventId`, following new events
   * until the job ends; resumes the job here when its lease lapsed.
   */
  async function eventStream(
    input: { projectId: string; lastEventId?: number; signal?: AbortSignal },
  ): Promise<ReadableStream<Uint8Array>> {
    const jobId = (await kv.get<string>(projectJobKey(input.projectId))).value;
    const encoder = new TextEncoder();
    let lastSeq = input.lastEventId ?? 0;
    const cursor = newReplayCursor();
    let cleanup = () => {};
    return new ReadableStream<Uint8Array>({
      start: async (controller) => {
        controller.enqueue(encoder.encode("retry: 2000\n\n"));
        if (typeof jobId !== "string") {
          controller.close();
          return;
        }
        const stop = new AbortController();
        const signals = [stop.signal, closing.signal, ...(input.signal ? [input.signal] : [])];
        const signal = AbortSignal.any(signals);
        const heartbeat = setInterval(() => {
          try {
            controller.enqueue(encoder.encode(": heartbeat\n\n"));
          } catch {
            stop.abort();
          }
        }, HEARTBEAT_MS);
        const watch = kv.watch([jobKey(jobId), jobTailKey(jobId)]);
        const reader = watch.getReader();
        cleanup = () => {
          clearInterval(heartbeat);
          stop.abort();
          reader.cancel().catch(() => {});
        };
        signal.addEventListener("abort", cleanup, { once: true });
        const aborted = new Promise<"aborted">((resolve) =>
          signal.addEventListener("abort", () => resolve("aborted"), { once: true })
        );
        let pending: Promise<ReadableStreamReadResult<Deno.KvEntryMaybe<unknown>[]>> | null = null;
        try {
          while (!signal.aborted) {
            pending ??= reader.read();
            // A job whose owner died changes nothing, so the watch stays silent: poll its lease too.
            const tick = delay(leasePollMs);
            const next = await Promise.race([pending, aborted, tick.promise]);
            tick.cancel();
            if (next === "aborted") break;
            let job: Job | undefined;
            if (next === "tick") {
              job = (await readJob(jobId)).value ?? undefined;
            } else {
              pending = null;
              if (next.done) break;
              job = jobSchema.safeParse(next.value[0].value).data;
            }
            for (const event of await readEvents(jobId, lastSeq, cursor)) {
              controller.enqueue(encoder.encode(formatSse(event)));
              lastSeq = event.seq;
            }
            if (!job) break;
            if (job.status === "running" && (!job.lease || job.lease.until < now())) {
              launch(jobId);
            }
            if (job.status !== "running" && lastSeq >= job.nextSeq - 1) break;
          }
        } catch (error) {
          if (!signal.aborted) console.error("event stream:", error);
        } finally {
          cleanup();
          try {
            controller.close();
          } catch {
            // The client went away first.
          }
        }
      },
      cancel() {
        cleanup();
      },
    });
  }

  /** Resumes every unfinished job whose lease lapsed (start, cron, and on demand). */
  async function sweep(): Promise<number> {
    let resumed = 0;
    for await (const entry of kv.list({ prefix: activeJobsPrefix() })) {
      const jobId = entry.key[1] as string;
      const job = (await readJob(jobId)).value;
      if (!job || job.status !== "running") {
        await kv.delete(entry.key);
        continue;
      }
      if (!job.lease || job.lease.until < now()) {
        launch(jobId);
        resumed++;
      }
    }
    return resumed;
  }

  /** Stops a job (e.g. its project was deleted); its upstream requests are aborted. */
  async function cancel(projectId: string): Promise<void> {
    const jobId = (await kv.get<string>(projectJobKey(projectId))).value;
    if (typeof jobId !== "string") return;
    running.get(jobId)?.controller.abort();
    await running.get(jobId)?.done;
    const entry = await readJob(jobId);
    if (entry.value && entry.value.status === "running") {
      await kv.atomic().check(entry)
        .set(jobKey(jobId), { ...entry.value, status: "cancelled", lease: null }, {
          expireIn: EVENT_TTL_MS,
        })
        .delete(activeJobKey(jobId))
        .commit();
      await releaseSlot(entry.value.userId, jobId);
    }
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
    currentJob,
    readEvents,
    streamDone,
    eventStream,
    sweep,
    cancel,
    idle,
    close,
  };
}

/** How far a reader has replayed a job's log, and each stage's partial at that point. */
export interface ReplayCursor {
  seq: number;
  partials: Map<StageName, unknown>;
}

function newReplayCursor(): ReplayCursor {
  return { seq: 0, partials: new Map() };
}

/** A `stage.delta` as stored: the change since the stage's previous delta. */
const storedDeltaSchema = z.object({
  event: z.literal("stage.delta"),
  data: z.object({ stage: z.enum(STAGE_NAMES), ops: patchSchema }),
});

/** The generation engine's public surface. */
export type Pipeline = ReturnType<typeof createPipeline>;

/** A stage of this project is already being generated. */
export class GenerationBusyError extends Error {
  constructor() {
    super("A generation is already running for this project. Wait for it to finish.");
    this.name = "GenerationBusyError";
  }
}

function withStage(
  job: Job,
  stage: StageName,
  patch: Partial<NonNullable<Job["stages"][StageName]>>,
): Job {
  const current = job.stages[stage] ?? { status: "pending" as const, version: 1 };
  return { ...job, stages: { ...job.stages, [stage]: { ...current, ...patch } } };
}

function usageOf(row: {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  ttftMs: number;
  durationMs: number;
  cached: boolean;
  repairs?: number;
}): Usage {
  return {
    provider: row.provider,
    model: row.model,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: row.costUsd,
    ttftMs: row.ttftMs,
    durationMs: row.durationMs,
    cached: row.cached,
    repairs: row.repairs ?? 0,
  };
}

function delay(ms: number): { promise: Promise<"tick">; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<"tick">((resolve) => {
    timer = setTimeout(() => resolve("tick"), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
