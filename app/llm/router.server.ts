import { createSpendLedger } from "./budget.server.ts";
import {
  cacheKeyOf,
  type CacheStore,
  createLlmCache,
  isCacheable,
  kvCacheStore,
  replayCached,
} from "./cache.server.ts";
import { type CallTimeouts, startDeadline } from "./deadlines.server.ts";
import { type Provider, ProviderError, type ProviderEvent, type StageRequest } from "./types.ts";

/** Options of the LLM router: the ordered provider chain and what wraps each call. */
export interface RouterOptions {
  /** The fallback chain, in order (LLM_PROVIDERS). */
  providers: readonly Provider[];
  kv: Deno.Kv;
  /** Whether cacheable providers' outputs are cached (docs/architecture.md §5.2). */
  cache: boolean;
  /** Where cached outputs live; defaults to KV with chunking. */
  cacheStore?: CacheStore;
  now?: () => number;
  /** Waits before a same-provider retry; rejects when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Daily spend cap per user, checked before every stage call. */
  budget?: { userDailyUsd: number };
  /** The longest `retry-after` honoured on the same provider; longer ones fall back at once. */
  retry?: { maxRetryAfterMs: number };
  /** First-token and total time limits of each call, enforced around every provider. */
  timeouts?: Partial<CallTimeouts>;
}

/** A stage request as the pipeline sends it: the user it is for, when known, carries the budget. */
export type RoutedRequest = StageRequest & { userId?: string };

/** The router's interface, as the pipeline uses it. */
export interface Router {
  generate(request: RoutedRequest): AsyncIterable<ProviderEvent>;
}

/** Longest `retry-after` waited for by default before retrying the same provider. */
const DEFAULT_MAX_RETRY_AFTER_MS = 10_000;

/** Creates the router: cache, budget, then each provider in turn until one completes. */
export function createRouter(options: RouterOptions): Router {
  if (options.providers.length === 0) throw new Error("The LLM provider chain is empty.");
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const maxRetryAfterMs = options.retry?.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const ledger = createSpendLedger(options.kv, { now });
  const cache = options.cache
    ? createLlmCache({ store: options.cacheStore ?? kvCacheStore(options.kv) })
    : undefined;

  /**
   * One attempt on one provider, guarded by the call deadlines: yields `started` (always first)
   * and deltas, and returns the completion without yielding it, so accounting happens first.
   */
  async function* attempt(
    provider: Provider,
    request: StageRequest,
  ): AsyncGenerator<ProviderEvent, ProviderEvent & { type: "completed" }> {
    const deadline = startDeadline(request.signal, {
      provider: provider.name,
      timeouts: options.timeouts,
    });
    const iterator = provider.generate({ ...request, signal: deadline.signal })[
      Symbol.asyncIterator
    ]();
    let first = true;
    try {
      while (true) {
        // Raced, so a provider that ignores its signal still cannot hold the stage past a deadline.
        const next = iterator.next();
        next.catch(() => {});
        const step = await Promise.race([next, deadline.expired]);
        if (step.done) break;
        const event = step.value;
        if (first && event.type !== "started") {
          yield { type: "started", provider: provider.name, model: "" };
        }
        first = false;
        if (event.type === "completed") return event;
        if (event.type === "delta") deadline.firstToken();
        yield event;
      }
      throw new ProviderError("server", `${provider.name}: ended without output`, {
        provider: provider.name,
      });
    } catch (error) {
      throw deadline.failure ?? asProviderError(error, provider.name);
    } finally {
      deadline.dispose();
      // Closes the provider's upstream request when the attempt stops early (error or cancel);
      // bounded, because a provider that ignores its signal must not hold the fallback.
      if (iterator.return) await settleWithin(iterator.return(), 1_000);
    }
  }

  async function* fromCache(request: StageRequest): AsyncGenerator<ProviderEvent, boolean> {
    if (!cache) return false;
    for (const provider of options.providers) {
      if (!isCacheable(provider)) continue;
      const key = await cacheKeyOf(provider.name, {
        call: provider.describeCall(request),
        schemaVersion: request.schemaVersion,
      });
      const startedAt = now();
      const hit = await cache.get(key);
      if (!hit) continue;
      const check = request.schema.safeParse(hit.output);
      if (!check.success) continue;
      for await (const event of replayCached(hit, { durationMs: Math.max(0, now() - startedAt) })) {
        yield event.type === "completed" ? withRepairCount(event) : event;
      }
      return true;
    }
    return false;
  }

  async function remember(
    provider: Provider,
    request: StageRequest,
    completed: ProviderEvent & { type: "completed" },
  ) {
    if (!cache || !isCacheable(provider)) return;
    const key = await cacheKeyOf(provider.name, {
      call: provider.describeCall(request),
      schemaVersion: request.schemaVersion,
    });
    try {
      await cache.set(key, {
        provider: provider.name,
        model: completed.usage.model,
        output: completed.output,
      });
    } catch {
      // The stage still succeeds; a failed cache write only costs a later call.
    }
  }

  /** Attempts one provider, once more after an honoured retry-after; a failure moves on. */
  async function* withRetry(
    provider: Provider,
    request: StageRequest,
  ): AsyncGenerator<ProviderEvent, (ProviderEvent & { type: "completed" }) | ProviderError> {
    for (let tries = 1;; tries++) {
      try {
        return yield* attempt(provider, request);
      } catch (error) {
        const failure = error as ProviderError;
        if (request.signal.aborted) throw cancelled(provider.name, failure);
        const waitMs = failure.retryAfterMs;
        const retrySame = failure.kind === "rate_limited" && tries === 1 &&
          waitMs !== undefined && waitMs <= maxRetryAfterMs;
        if (!retrySame) {
          // Quota, auth and bad requests are never retried on the same provider; 5xx, overload,
          // timeouts, broken streams and invalid output may work on the next one.
          return failure;
        }
        await sleep(waitMs, request.signal).catch((reason) => {
          throw cancelled(provider.name, reason);
        });
      }
    }
  }

  return {
    async *generate(routed: RoutedRequest): AsyncIterable<ProviderEvent> {
      const { userId, ...request } = routed;
      // A cached output is free, so it is served even to a user over budget.
      if (yield* fromCache(request)) return;
      if (options.budget && userId !== undefined) {
        await ledger.assertWithin(userId, options.budget.userDailyUsd);
      }

      const failures: ProviderError[] = [];
      for (const provider of options.providers) {
        if (failures.length > 0) {
          yield { type: "status", message: fallbackMessage(request.stage, failures, provider) };
        }
        const completed = yield* withRetry(provider, request);
        if (completed instanceof ProviderError) {
          failures.push(completed);
          continue;
        }
        // Accounted before the completion is yielded: a consumer may stop reading right after it.
        if (userId !== undefined && completed.usage.costUsd > 0) {
          await ledger.add(userId, completed.usage.costUsd);
        }
        await remember(provider, request, completed);
        yield withRepairCount(completed);
        return;
      }
      throw summarise(failures);
    },
  };
}

/** The completion with `usage.repairs` always set (0 when the provider reported none). */
function withRepairCount(
  completed: ProviderEvent & { type: "completed" },
): ProviderEvent & { type: "completed" } {
  return { ...completed, usage: { ...completed.usage, repairs: completed.usage.repairs ?? 0 } };
}

/**
 * The `status` line shown when the next provider takes over a stage; the offline engine is the
 * floor, so its line says every AI provider failed. Kinds only: upstream messages stay out.
 */
function fallbackMessage(stage: string, failures: ProviderError[], next: Provider): string {
  const detail = failures.map((failure) => `${failure.provider}: ${failure.kind}`).join(", ");
  if (next.name === "offline") {
    return `Every AI provider failed for the ${stage} stage (${detail}); ` +
      `generating it with the offline engine instead.`;
  }
  return `The ${stage} stage failed on ${detail}; trying ${next.name}.`;
}

/** One error for a stage that failed on every provider: the last failure decides retryability. */
function summarise(failures: ProviderError[]): ProviderError {
  const last = failures[failures.length - 1];
  const detail = failures.map((failure) => `${failure.provider} (${failure.kind})`).join(", ");
  return new ProviderError(
    last.kind,
    `Every AI provider failed: ${detail}. Last error: ${last.message}`,
    { provider: last.provider, status: last.status, retryAfterMs: last.retryAfterMs, cause: last },
  );
}

function asProviderError(error: unknown, provider: string): ProviderError {
  if (error instanceof ProviderError) return error;
  // A provider bug is treated like a server failure: the next provider may still succeed.
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError("server", `${provider}: ${message}`, { provider, cause: error });
}

function cancelled(provider: string, cause: unknown): ProviderError {
  return cause instanceof ProviderError && cause.kind === "aborted"
    ? cause
    : new ProviderError("aborted", "The request was cancelled.", { provider, cause });
}

/** Waits for `promise` to settle, at most `ms`; its outcome is ignored. */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    promise.catch(() => {}),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
