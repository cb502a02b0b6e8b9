import type { Env, LlmProviderEnv } from "../config/env.server.ts";
import { createAnthropicProvider } from "./anthropic.server.ts";
import type { CallTimeouts } from "./deadlines.server.ts";
import { createOfflineProvider } from "./offline/mod.ts";
import { createOpenAIProvider } from "./openai.server.ts";
import { createRouter, type RoutedRequest } from "./router.server.ts";
import type { Provider, ProviderEvent } from "./types.ts";

/** The part of the parsed environment the providers read. */
export type ProvidersEnv = Pick<Env, "llm" | "openai" | "anthropic">;

/** What providers get besides configuration: injectable in tests, defaults in production. */
export interface ProviderDeps {
  fetch?: typeof fetch;
  timeouts?: Partial<CallTimeouts>;
  /** Minimum time between two `delta` events of a hosted provider. */
  deltaIntervalMs?: number;
}

type ProviderFactory = (env: ProvidersEnv, deps: ProviderDeps) => Provider;

/** Every provider Atlas9 knows, by its LLM_PROVIDERS name; adding one touches only this map. */
export const PROVIDER_FACTORIES: Record<string, ProviderFactory> = {
  openai: (env, deps) =>
    createOpenAIProvider({
      ...hosted("openai", env.openai),
      profile: env.openai.profile,
      ...deps,
    }),
  anthropic: (env, deps) =>
    createAnthropicProvider({ ...hosted("anthropic", env.anthropic), ...deps }),
  offline: () => createOfflineProvider(),
};

/** Builds the provider chain named by `env.llm.providers`, in order. */
export function createProviders(env: ProvidersEnv, deps: ProviderDeps = {}): Provider[] {
  return env.llm.providers.map((name) => {
    const factory = PROVIDER_FACTORIES[name];
    if (!factory) throw new Error(`LLM_PROVIDERS: unknown provider "${name}"`);
    return factory(env, deps);
  });
}

function hosted(name: string, config: LlmProviderEnv) {
  // parseEnv already refuses a chain that names a provider without its key; this is the backstop.
  if (!config.apiKey) {
    throw new Error(`LLM_PROVIDERS lists "${name}" but ${name.toUpperCase()}_API_KEY is not set`);
  }
  return {
    apiKey: config.apiKey,
    baseUrl: config.baseUrl,
    models: { fast: config.modelFast, strong: config.modelStrong },
  };
}

/** The stage generator the pipeline uses: the env's provider chain behind the router. */
export function createGenerator(
  options: {
    env: ProvidersEnv & Pick<Env, "userDailyBudgetUsd">;
    kv: Deno.Kv;
  } & ProviderDeps,
): (request: RoutedRequest) => AsyncIterable<ProviderEvent> {
  const { env, kv, ...deps } = options;
  const router = createRouter({
    providers: createProviders(env, deps),
    kv,
    cache: true,
    budget: { userDailyUsd: env.userDailyBudgetUsd },
    timeouts: deps.timeouts,
  });
  return (request) => router.generate(request);
}
