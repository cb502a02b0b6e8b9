/**
 * Runs one job in this process: takes its lease and keeps it renewed, runs its stages in
 * dependency order (independent ones concurrently), and records the job's end.
 */
import { STAGE_DEPENDENCIES } from "../blueprint/stages.ts";
import type { StageName } from "../blueprint/stages.ts";
import type { GenerationEvent } from "./events.ts";
import { LeaseLostError } from "./errors.ts";
import type { JobStore } from "./job-store.server.ts";
import { createJobWriter } from "./job-writer.server.ts";
import { failStage, loadInputs, retryDb } from "./stage-records.server.ts";
import { runStage } from "./stage-runner.server.ts";
import type { StageRunnerOptions } from "./stage-runner.server.ts";

/** What running a job needs of its pipeline. */
export interface SchedulerOptions extends StageRunnerOptions {
  kv: Deno.Kv;
  store: JobStore;
  instanceId: string;
  leaseMs: number;
}

/** Runs the job to its end unless `signal` aborts it or another instance holds its lease. */
export async function runJob(
  options: SchedulerOptions,
  jobId: string,
  signal: AbortSignal,
  /** Called when a lease renewal fails: the caller aborts `signal`. */
  onLeaseLost: () => void,
): Promise<void> {
  const { kv, repos, store, instanceId, leaseMs, now } = options;
  const acquired = await store.acquire(jobId);
  if (!acquired) return;
  const writer = createJobWriter(kv, acquired);
  const renew = setInterval(() => {
    writer.mutate((job) => ({
      job: { ...job, lease: { owner: instanceId, until: now() + leaseMs } },
    }))
      .catch(onLeaseLost);
  }, Math.max(50, Math.floor(leaseMs / 3)));
  const started = now();
  try {
    const job = writer.job;
    // While Postgres is unreachable the job holds its lease and waits, rather than failing.
    await retryDb(
      () => repos.projects.setStatus({ id: job.projectId, status: "running" }),
      signal,
    );
    const outputs = await retryDb(() => loadInputs(repos, job), signal);
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
          runStage(options, stage, { writer, outputs, signal }).then(
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
    await store.finish(writer.job);
  } finally {
    clearInterval(renew);
  }
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
