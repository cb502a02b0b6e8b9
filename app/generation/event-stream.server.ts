/**
 * The SSE stream of a project's job: replays its log after `Last-Event-ID`, then follows new
 * events (a KV watch on the job record and the log's tail, plus a lease poll) until the job
 * ends; a job whose lease lapsed is resumed here.
 */
import { jobKey, jobTailKey } from "../kv/keys.ts";
import { formatSse } from "./events.ts";
import type { Job } from "./jobs.server.ts";
import { jobSchema } from "./jobs.server.ts";
import type { JobStore } from "./job-store.server.ts";
import { newReplayCursor, readEvents } from "./event-log.server.ts";

const HEARTBEAT_MS = 15_000;

/** What a stream needs of its pipeline. */
export interface EventStreamOptions {
  kv: Deno.Kv;
  store: JobStore;
  /** How often a quiet stream re-reads the job, to notice a lapsed lease. */
  leasePollMs: number;
  /** Aborted when the pipeline closes. */
  closing: AbortSignal;
  /** Resumes a job whose lease lapsed in this process. */
  launch: (jobId: string) => void;
}

/**
 * Whether a client that saw events up to `lastEventId` has nothing left to receive: no job,
 * or a job that ended and whose last event it has. Event routes answer 204 then, so
 * EventSource clients stop reconnecting (issue 14 item 10).
 */
export async function streamDone(
  store: JobStore,
  input: { projectId: string; lastEventId?: number },
): Promise<boolean> {
  const job = await store.currentJob(input.projectId);
  if (!job) return true;
  return job.status !== "running" && (input.lastEventId ?? 0) >= job.nextSeq - 1;
}

/**
 * An SSE stream of a project's job events after `lastEventId`, following new events
 * until the job ends; resumes the job here when its lease lapsed.
 */
export async function eventStream(
  options: EventStreamOptions,
  input: { projectId: string; lastEventId?: number; signal?: AbortSignal },
): Promise<ReadableStream<Uint8Array>> {
  const { kv, store, leasePollMs, closing, launch } = options;
  const jobId = await store.latestJobId(input.projectId);
  const encoder = new TextEncoder();
  let lastSeq = input.lastEventId ?? 0;
  const cursor = newReplayCursor();
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    start: async (controller) => {
      controller.enqueue(encoder.encode("retry: 2000\n\n"));
      if (jobId === null) {
        controller.close();
        return;
      }
      const stop = new AbortController();
      const signals = [stop.signal, closing, ...(input.signal ? [input.signal] : [])];
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
            job = (await store.readJob(jobId)).value ?? undefined;
          } else {
            pending = null;
            if (next.done) break;
            job = jobSchema.safeParse(next.value[0].value).data;
          }
          for (const event of await readEvents(kv, jobId, lastSeq, cursor)) {
            controller.enqueue(encoder.encode(formatSse(event)));
            lastSeq = event.seq;
          }
          if (!job) break;
          if (store.isOrphan(job)) launch(jobId);
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

function delay(ms: number): { promise: Promise<"tick">; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<"tick">((resolve) => {
    timer = setTimeout(() => resolve("tick"), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}
