import type OpenAI from "openai";
import type { ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import { STRONG_STAGES } from "../blueprint/stages.ts";
import type { CacheableProvider, CallDescriptor } from "./cache.server.ts";
import {
  type CallDeadline,
  type CallTimeouts,
  DEFAULT_TIMEOUTS,
  startDeadline,
} from "./deadlines.server.ts";
import { classifyHttpFailure, connectionFailure } from "./errors.server.ts";
import {
  answerCharLimit,
  AnswerTooLargeError,
  findTooLarge,
  limitAnswerBytes,
  tooLargeFailure,
} from "./answer_limit.server.ts";
import { buildStagePrompt } from "./prompts/mod.ts";
import { completeStage } from "./completion.server.ts";
import {
  createPartialThrottle,
  type JsonSchema,
  redactSystemPrompt,
  stageJsonSchema,
  toOpenAIStrictSchema,
} from "./structured_output.server.ts";

/** How the provider asks for JSON, in order of preference. */
export type ResponseFormat = "json_schema" | "json_object" | "none";

/**
 * What an OpenAI-compatible server supports (OPENAI_PROFILE). The provider starts with the first
 * response format and steps down the list when the server refuses one; `streamUsage` sends
 * `stream_options.include_usage`, dropped once when a server refuses it.
 */
export interface OpenAIProfile {
  formats: readonly ResponseFormat[];
  streamUsage: boolean;
}

/** The known profiles: OpenAI itself, Ollama, LM Studio, and any other compatible server. */
export const OPENAI_PROFILES = {
  openai: { formats: ["json_schema", "json_object"], streamUsage: true },
  // Ollama's /v1: json_schema and json_object; stream_options.include_usage (docs, 2025).
  ollama: { formats: ["json_schema", "json_object", "none"], streamUsage: true },
  // LM Studio: json_schema only (json_object is refused); no stream_options sent.
  lmstudio: { formats: ["json_schema", "none"], streamUsage: false },
  compatible: { formats: ["json_schema", "json_object", "none"], streamUsage: true },
} as const satisfies Record<string, OpenAIProfile>;
export type OpenAIProfileName = keyof typeof OPENAI_PROFILES;
import { ProviderError, type ProviderEvent, type StageRequest } from "./types.ts";
import { loadedOpenAI, loadOpenAI } from "./sdk.server.ts";

/** Options of the OpenAI (and OpenAI-compatible server) provider. */
export interface OpenAIProviderOptions {
  apiKey: string;
  /** OPENAI_BASE_URL: OpenAI itself when unset, or Ollama, vLLM, LM Studio, ... */
  baseUrl?: string;
  models: { fast: string; strong: string };
  /** What the server supports; default `openai` (OPENAI_PROFILE). */
  profile?: OpenAIProfileName;
  /** Output token cap per tier; every call sets one. */
  maxTokens?: { fast: number; strong: number };
  temperature?: number;
  timeouts?: Partial<CallTimeouts>;
  /** Minimum time between two `delta` events. */
  deltaIntervalMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

/** Output caps that fit every listed fast/strong model's maximum output. */
const DEFAULT_MAX_TOKENS = { fast: 8_192, strong: 16_384 };

/** Creates the provider that calls Chat Completions with streamed, schema-constrained JSON. */
export function createOpenAIProvider(options: OpenAIProviderOptions): CacheableProvider {
  const name = "openai";
  const now = options.now ?? (() => performance.now());
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const temperature = options.temperature ?? 0.3;
  // The SDK loads on the first call, not when the provider is configured (decision 014).
  let client: Promise<OpenAI> | null = null;
  const clientOf = () =>
    client ??= loadOpenAI().then(({ default: OpenAI }) =>
      new OpenAI({
        apiKey: options.apiKey,
        baseURL: options.baseUrl ?? "https://api.openai.com/v1",
        // Explicit nulls: configuration is passed in, never read from the process environment.
        organization: null,
        project: null,
        maxRetries: 0, // the router decides about retries and fallback
        // A backstop only: the call deadlines below abort earlier with a classified error.
        timeout: { ...DEFAULT_TIMEOUTS, ...options.timeouts }.totalMs + 1_000,
        // A body past what max_tokens allows errors and closes the connection.
        fetch: limitAnswerBytes(options.fetch ?? fetch, { fallbackMaxTokens: maxTokens.strong }),
      })
    );
  const profile: OpenAIProfile = OPENAI_PROFILES[options.profile ?? "openai"];
  // Per instance: a format or option a server refused once is not sent again.
  let formatIndex = 0;
  let streamUsage = profile.streamUsage;
  const format = () => profile.formats[formatIndex];

  const modelFor = (request: StageRequest) =>
    STRONG_STAGES.includes(request.stage) ? options.models.strong : options.models.fast;
  const tokenCapFor = (request: StageRequest) =>
    STRONG_STAGES.includes(request.stage) ? maxTokens.strong : maxTokens.fast;

  const plan = (request: StageRequest) => {
    const jsonSchema = stageJsonSchema(request.schema);
    const prompt = buildStagePrompt(request.stage, {
      directive: request.directive,
      inputs: request.inputs,
      schemaText: format() === "json_schema" ? undefined : JSON.stringify(jsonSchema),
    });
    const messages: ChatMessage[] = [
      { role: "system", content: prompt.system },
      { role: "user", content: prompt.user },
    ];
    return { model: modelFor(request), jsonSchema, messages, system: prompt.system };
  };

  const params = (
    request: StageRequest,
    call: { model: string; jsonSchema: JsonSchema; messages: ChatMessage[] },
  ): ChatCompletionCreateParamsStreaming => {
    const reasoning = isReasoningModel(call.model);
    const strict = toOpenAIStrictSchema(call.jsonSchema);
    const mode = format();
    return {
      model: call.model,
      messages: call.messages,
      stream: true,
      ...(streamUsage ? { stream_options: { include_usage: true } } : {}),
      // Reasoning models reject max_tokens and a non-default temperature.
      ...(reasoning
        ? { max_completion_tokens: tokenCapFor(request) }
        : { max_tokens: tokenCapFor(request), temperature }),
      ...(mode === "json_schema"
        ? {
          response_format: {
            type: "json_schema",
            json_schema: {
              name: `${request.stage}_stage`,
              strict: strict.strict,
              schema: strict.schema,
            },
          },
        }
        : mode === "json_object"
        ? { response_format: { type: "json_object" } }
        : {}),
    };
  };

  /** Streams one completion; yields throttled partial objects when `emitDeltas`. */
  async function* streamOnce(
    body: ChatCompletionCreateParamsStreaming,
    call: { deadline: CallDeadline; system: string; emitDeltas: boolean; startedAt: number },
  ): AsyncGenerator<
    ProviderEvent,
    { text: string; inputTokens: number; outputTokens: number; ttftMs?: number; cut: boolean }
  > {
    const { deadline } = call;
    const charLimit = answerCharLimit(body.max_tokens ?? body.max_completion_tokens ?? 0);
    const throttle = createPartialThrottle({ intervalMs: options.deltaIntervalMs ?? 100, now });
    let text = "";
    let finish: string | null = null;
    let ttftMs: number | undefined;
    let usage: OpenAI.CompletionUsage | undefined;
    const stream = await (await clientOf()).chat.completions.create(body, {
      signal: deadline.signal,
    });
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      if (choice.delta?.refusal) {
        throw new ProviderError("invalid_output", `${name}: the model refused`, { provider: name });
      }
      const piece = choice.delta?.content;
      if (piece) {
        if (ttftMs === undefined) {
          ttftMs = now() - call.startedAt;
          deadline.firstToken();
        }
        text += piece;
        if (text.length > charLimit) throw new AnswerTooLargeError("characters", charLimit);
        const partial = call.emitDeltas ? throttle.next(text) : undefined;
        if (partial !== undefined) {
          yield { type: "delta", partial: redactSystemPrompt(partial, call.system) };
        }
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
    // The SDK ends iteration quietly when the request is aborted.
    if (deadline.failure) throw deadline.failure;
    if (finish === null) throw connectionFailure(name, "the stream ended before the answer did");
    if (finish === "content_filter") {
      throw new ProviderError("invalid_output", `${name}: the answer stopped (${finish})`, {
        provider: name,
      });
    }
    // Servers without a usage block (many local ones): ~4 characters per token.
    const promptChars = body.messages.reduce((n, m) => n + String(m.content ?? "").length, 0);
    return {
      text,
      inputTokens: usage?.prompt_tokens ?? Math.ceil(promptChars / 4),
      outputTokens: usage?.completion_tokens ?? Math.ceil(text.length / 4),
      ttftMs,
      // Cut at max_tokens: what is complete may still be usable (checkOutput salvages it).
      cut: finish === "length",
    };
  }

  /**
   * streamOnce, stepping down the profile's response formats when a compatible server refuses
   * one, and dropping stream_options when it refuses that (each at most once per instance).
   */
  async function* streamWithFallback(
    request: StageRequest,
    call: ReturnType<typeof plan>,
    context: { deadline: CallDeadline; startedAt: number },
  ) {
    for (let attempt = 0;; attempt++) {
      try {
        return yield* streamOnce(params(request, call), {
          ...context,
          system: call.system,
          emitDeltas: true,
        });
      } catch (error) {
        if (attempt >= 3) throw error;
        if (streamUsage && refusesStreamOptions(error)) streamUsage = false;
        else if (formatIndex < profile.formats.length - 1 && refusesResponseFormat(error)) {
          formatIndex++;
        } else throw error;
        // Re-planned: without json_schema the schema travels in the system prompt.
        call = plan(request);
      }
    }
  }

  return {
    name,
    describeCall(request: StageRequest): CallDescriptor {
      const call = plan(request);
      return { model: call.model, messages: call.messages, temperature };
    },
    async *generate(request: StageRequest): AsyncIterable<ProviderEvent> {
      let call = plan(request);
      yield { type: "started", provider: name, model: call.model };
      const deadline = startDeadline(request.signal, {
        provider: name,
        timeouts: options.timeouts,
      });
      const startedAt = now();
      try {
        yield* completeStage({
          provider: name,
          request,
          deadline,
          startedAt,
          now,
          first: () => streamWithFallback(request, call, { deadline, startedAt }),
          // The repair continues the conversation of the mode that answered.
          call: () => (call = plan(request)),
          repair: (answer, message) =>
            streamOnce(
              params(request, {
                ...call,
                messages: [
                  ...call.messages,
                  { role: "assistant" as const, content: answer.text },
                  { role: "user" as const, content: message },
                ],
              }),
              { deadline, system: call.system, emitDeltas: false, startedAt },
            ),
        });
      } catch (error) {
        throw toProviderError(error, { provider: name, deadline });
      } finally {
        deadline.dispose();
      }
    },
  };
}

/** o-series and gpt-5 models take max_completion_tokens and only the default temperature. */
export function isReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5)/.test(model);
}

/**
 * Whether a 400 says the server does not support `response_format: json_schema`. OpenAI names
 * the parameter in `param`; compatible servers (Ollama, vLLM, LM Studio) often only describe it
 * in the message, so that is the fallback signal for this one feature probe.
 */
export function refusesJsonSchema(error: unknown): boolean {
  return refusesResponseFormat(error);
}

/** Whether a 400 refuses the requested `response_format` (json_schema or json_object). */
export function refusesResponseFormat(error: unknown): boolean {
  const sdk = loadedOpenAI();
  if (!sdk || !(error instanceof sdk.default.APIError) || error.status !== 400) return false;
  if (error.param === "response_format" || error.param === "response_format.type") return true;
  return /json_schema|json_object|response_format/i.test(error.message);
}

/** Whether a 400 refuses `stream_options` (servers that predate include_usage). */
export function refusesStreamOptions(error: unknown): boolean {
  const sdk = loadedOpenAI();
  if (!sdk || !(error instanceof sdk.default.APIError) || error.status !== 400) return false;
  return error.param === "stream_options" || /stream_options|include_usage/i.test(error.message);
}

function toProviderError(
  error: unknown,
  { provider, deadline }: { provider: string; deadline: CallDeadline },
): ProviderError {
  // A deadline or a cancel aborts the request; whatever the SDK threw then is a consequence.
  if (deadline.failure) return deadline.failure;
  if (error instanceof ProviderError) return error;
  const tooLarge = findTooLarge(error);
  if (tooLarge) return tooLargeFailure(provider, tooLarge);
  const OpenAI = loadedOpenAI()?.default;
  if (!OpenAI) return connectionFailure(provider, error);
  if (error instanceof OpenAI.APIUserAbortError) {
    return new ProviderError("aborted", `${provider}: the request was cancelled`, {
      provider,
      cause: error,
    });
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new ProviderError("timeout", `${provider}: ${error.message}`, {
      provider,
      cause: error,
    });
  }
  if (error instanceof OpenAI.APIConnectionError) return connectionFailure(provider, error);
  if (error instanceof OpenAI.APIError) {
    return classifyHttpFailure(provider, {
      status: error.status,
      headers: error.headers,
      type: error.type,
      code: error.code,
      message: error.message,
    }, { cause: error });
  }
  // A body that broke off mid-read surfaces as a plain TypeError from fetch.
  return connectionFailure(provider, error);
}
