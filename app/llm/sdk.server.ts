/**
 * The OpenAI and Anthropic SDKs, loaded on first use (issue 14 item 6): a cold start that
 * only serves pages, or runs on the offline engine, never evaluates them. Each loads once per
 * process; `loadedSdks` says which have been asked for.
 */
type OpenAIModule = typeof import("openai");
type AnthropicModule = typeof import("@anthropic-ai/sdk");

let openai: Promise<OpenAIModule> | null = null;
let anthropic: Promise<AnthropicModule> | null = null;
let openaiModule: OpenAIModule | null = null;
let anthropicModule: AnthropicModule | null = null;

/** The OpenAI SDK, imported on the first call. */
export function loadOpenAI(): Promise<OpenAIModule> {
  return openai ??= import("openai").then((module) => openaiModule = module);
}

/** The Anthropic SDK, imported on the first call. */
export function loadAnthropic(): Promise<AnthropicModule> {
  return anthropic ??= import("@anthropic-ai/sdk").then((module) => anthropicModule = module);
}

/**
 * The OpenAI SDK if it has loaded, else null. An error can only be an instance of one of its
 * classes once it has loaded, so `instanceof` checks may treat null as "not one of its errors".
 */
export function loadedOpenAI(): OpenAIModule | null {
  return openaiModule;
}

/** The Anthropic SDK if it has loaded, else null (see `loadedOpenAI`). */
export function loadedAnthropic(): AnthropicModule | null {
  return anthropicModule;
}

/** Which SDKs this process has asked for so far. */
export function loadedSdks(): { openai: boolean; anthropic: boolean } {
  return { openai: openai !== null, anthropic: anthropic !== null };
}
