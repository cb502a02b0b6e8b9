/**
 * Jobs in KV: reading a job record, the project's pointer to its latest job, a user's running
 * slots, and the lease an instance takes to run a job. Writes of a running job go through
 * `job-writer.server.ts`, fenced by the versionstamp the lease was taken at.
 */
import {
  activeJobKey,
  activeJobsPrefix,
  jobKey,
  jobTailKey,
  projectJobKey,
  runningGenerationsKey,
} from "../kv/keys.ts";
import type { Job } from "./jobs.server.ts";
import { jobSchema, runningListSchema } from "./jobs.server.ts";
import { GenerationLimitError } from "./errors.ts";
import { EVENT_TTL_MS } from "./event-log.server.ts";

/**
 * A user's running list is rewritten whenever a job starts or ends; an idle user's list (and
 * the project's pointer to its latest job, after twice the job's own TTL) expires (item 8).
 */
const RUNNING_TTL_MS = EVENT_TTL_MS;

/** A job record; a value that fails the schema reads as absent. */
export async function readJobEntry(kv: Deno.Kv, jobId: string): Promise<Deno.KvEntryMaybe<Job>> {
  const entry = await kv.get(jobKey(jobId));
  if (entry.value === null) return entry as Deno.KvEntryMaybe<Job>;
  const parsed = jobSchema.safeParse(entry.value);
  if (!parsed.success) return { key: entry.key, value: null, versionstamp: null };
  return { ...entry, value: parsed.data } as Deno.KvEntryMaybe<Job>;
}

/**
 * A user's running list (its entry, to check in a commit) and the ids on it whose job is still
 * running: what counts against the per-user limit.
 */
export async function readRunning(
  kv: Deno.Kv,
  userId: string,
): Promise<{ entry: Deno.KvEntryMaybe<unknown>; live: string[] }> {
  const entry = await kv.get(runningGenerationsKey(userId));
  const ids = runningListSchema.safeParse(entry.value).data ?? [];
  const live: string[] = [];
  for (const id of ids) {
    const job = (await readJobEntry(kv, id)).value;
    if (job && job.status === "running") live.push(id);
  }
  return { entry, live };
}

export interface JobStoreOptions {
  kv: Deno.Kv;
  /** This process as a lease owner. */
  instanceId: string;
  leaseMs: number;
  maxRunningPerUser: number;
  now: () => number;
}

/** The job store of one pipeline. */
export type JobStore = ReturnType<typeof createJobStore>;

export function createJobStore(options: JobStoreOptions) {
  const { kv, instanceId, leaseMs, maxRunningPerUser: maxRunning, now } = options;

  const readJob = (jobId: string) => readJobEntry(kv, jobId);

  /** The project's pointer to its latest job (checkable in a commit). */
  async function readPointer(projectId: string): Promise<Deno.KvEntryMaybe<string>> {
    return await kv.get<string>(projectJobKey(projectId));
  }

  /** The id of the project's latest job, if one is recorded. */
  async function latestJobId(projectId: string): Promise<string | null> {
    const jobId = (await readPointer(projectId)).value;
    return typeof jobId === "string" ? jobId : null;
  }

  /** The project's latest job, if any is still recorded. */
  async function currentJob(projectId: string): Promise<Job | null> {
    const jobId = await latestJobId(projectId);
    return jobId === null ? null : (await readJob(jobId)).value;
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
      const { entry, live } = await readRunning(kv, userId);
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

  /** Adds a new job's records to `op`: the job, its active marker, the project's pointer. */
  function writeNew(op: Deno.AtomicOperation, job: Job): void {
    op.set(jobKey(job.id), job)
      .set(activeJobKey(job.id), { projectId: job.projectId })
      .set(projectJobKey(job.projectId), job.id, { expireIn: 2 * EVENT_TTL_MS });
  }

  /** Marks a failed job running again, if it is still the version read; false when it is not. */
  async function restart(entry: Deno.KvEntry<Job>, next: Job): Promise<boolean> {
    const ok = await kv.atomic()
      .check(entry)
      .set(jobKey(next.id), next)
      .set(activeJobKey(next.id), { projectId: next.projectId })
      .commit();
    return ok.ok;
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

  /** Whether a running job's lease is free or lapsed, so any instance may resume it. */
  function isOrphan(job: Job): boolean {
    return job.status === "running" && (!job.lease || job.lease.until < now());
  }

  /** A job that ended: no longer active, its record kept for the events' TTL, its slot freed. */
  async function finish(job: Job): Promise<void> {
    await kv.atomic()
      .delete(activeJobKey(job.id))
      .set(jobKey(job.id), job, { expireIn: EVENT_TTL_MS })
      .commit();
    await releaseSlot(job.userId, job.id);
  }

  /** The ids of jobs marked active (unfinished), with their markers' keys. */
  async function* activeJobs(): AsyncGenerator<{ key: Deno.KvKey; jobId: string }> {
    for await (const entry of kv.list({ prefix: activeJobsPrefix() })) {
      yield { key: entry.key, jobId: entry.key[1] as string };
    }
  }

  /** Drops the active marker of a job that is no longer running. */
  async function forgetActive(key: Deno.KvKey): Promise<void> {
    await kv.delete(key);
  }

  /** Marks a running job cancelled (if it still is the version read) and frees its slot. */
  async function cancelRecord(jobId: string): Promise<void> {
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

  return {
    readJob,
    readPointer,
    latestJobId,
    currentJob,
    reserveSlot,
    writeNew,
    restart,
    acquire,
    isOrphan,
    finish,
    activeJobs,
    forgetActive,
    cancelRecord,
  };
}
