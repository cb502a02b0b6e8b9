/**
 * The fenced writer of one running job: every state change and event is one atomic commit
 * checked against the versionstamp this instance last wrote (or took the lease at). Another
 * instance's takeover changes it, so a stale owner's write fails with `LeaseLostError`.
 */
import { jobKey, jobTailKey } from "../kv/keys.ts";
import type { StageName } from "../blueprint/stages.ts";
import type { GenerationEvent } from "./events.ts";
import type { PatchOp } from "./partial-patch.ts";
import type { Job } from "./jobs.server.ts";
import { LeaseLostError } from "./errors.ts";
import { appendEvent, EVENT_TTL_MS } from "./event-log.server.ts";
import type { StoredEvent } from "./event-log.server.ts";

/** The writer of one job, as `createJobWriter` returns it. */
export type JobWriter = ReturnType<typeof createJobWriter>;

/** Serialises every write of one job: state change plus events, in one atomic op each. */
export function createJobWriter(kv: Deno.Kv, initial: Deno.KvEntry<Job>) {
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
        for (const event of events) await appendEvent(kv, op, state.id, seq++, event);
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
        const stored: StoredEvent = {
          event: "stage.delta",
          data: { stage: delta.stage, ops: delta.ops },
        };
        const op = kv.atomic().check({ key: jobKey(state.id), versionstamp });
        await appendEvent(kv, op, state.id, seq, stored);
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
