import { z } from "zod";
import { getChunked, setChunked } from "../kv/chunked.server.ts";
import { llmCacheKey } from "../kv/keys.ts";
import { PROMPT_VERSION } from "./prompts/mod.ts";
import type { Provider, ProviderEvent, StageRequest } from "./types.ts";

/** What identifies one upstream call's output: the hash input of its cache key (docs/architecture.md §5.2). */
export interface CallDescriptor {
  model: string;
  messages: unknown;
  temperature: number | null;
}

/** A provider whose calls can be cached: it can say which model and messages a request uses. */
export interface CacheableProvider extends Provider {
  describeCall(request: StageRequest): CallDescriptor;
}

/** Whether the router may cache this provider (the offline engine is instant: it is not). */
export function isCacheable(provider: Provider): provider is CacheableProvider {
  return typeof (provider as Partial<CacheableProvider>).describeCall === "function";
}

/** Where cached outputs live (an interface, so tests and other stores can stand in for KV). */
export interface CacheStore {
  get(key: Deno.KvKey): Promise<unknown>;
  set(key: Deno.KvKey, value: unknown, ttlMs: number): Promise<void>;
}

/** Cached outputs live one hour (docs/architecture.md §5.2). */
export const CACHE_TTL_MS = 60 * 60 * 1000;

const cachedOutputSchema = z.object({
  provider: z.string(),
  model: z.string(),
  output: z.unknown(),
});

/** The cache key of one call: provider, model, prompt version and a hash of the call. */
export async function cacheKeyOf(
  provider: string,
  options: { call: CallDescriptor; schemaVersion: number },
): Promise<Deno.KvKey> {
  const { messages, model, temperature } = options.call;
  const json = JSON.stringify({
    messages,
    model,
    temperature,
    schemaVersion: options.schemaVersion,
  });
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(json));
  const hash = Array.from(new Uint8Array(digest).slice(0, 8))
    .map((byte) => byte.toString(16).padStart(2, "0"))
    .join("");
  return llmCacheKey(provider, model, PROMPT_VERSION, hash);
}

/** The LLM output cache: read a stored output, or store a fresh one. */
export function createLlmCache(options: { store: CacheStore; ttlMs?: number }) {
  const { store } = options;
  const ttlMs = options.ttlMs ?? CACHE_TTL_MS;
  return {
    /** The stored output of this call, or undefined. */
    async get(
      key: Deno.KvKey,
    ): Promise<{ provider: string; model: string; output: unknown } | undefined> {
      const parsed = cachedOutputSchema.safeParse(await store.get(key));
      return parsed.success && parsed.data.output !== undefined ? parsed.data : undefined;
    },
    /** Stores a completed call's output. */
    async set(
      key: Deno.KvKey,
      value: { provider: string; model: string; output: unknown },
    ): Promise<void> {
      await store.set(key, value, ttlMs);
    },
  };
}

/** Replays a cached output as a provider would stream it: started, a few deltas, completed. */
export function* replayCached(
  cached: { provider: string; model: string; output: unknown },
  options: { durationMs: number },
): Generator<ProviderEvent> {
  yield { type: "started", provider: cached.provider, model: cached.model };
  const { output } = cached;
  if (typeof output === "object" && output !== null && !Array.isArray(output)) {
    const entries = Object.entries(output);
    // About four steps, each adding the next top-level fields, like a fast stream would.
    const step = Math.max(1, Math.ceil(entries.length / 4));
    for (let end = step; end < entries.length; end += step) {
      yield { type: "delta", partial: Object.fromEntries(entries.slice(0, end)) };
    }
  }
  yield {
    type: "completed",
    output,
    usage: {
      provider: cached.provider,
      model: cached.model,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      ttftMs: 0,
      durationMs: options.durationMs,
      cached: true,
    },
  };
}

/** A CacheStore on Deno KV; values above the 64 KiB value limit are chunked. */
export function kvCacheStore(kv: Deno.Kv): CacheStore {
  return {
    async get(key) {
      return (await getChunked(kv, key, z.unknown())) ?? undefined;
    },
    async set(key, value, ttlMs) {
      await setChunked(kv, key, value, { expireIn: ttlMs });
    },
  };
}
