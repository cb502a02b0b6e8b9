import OpenAI from "openai";
import type { ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import { STRONG_STAGES } from "../generation/stages.ts";
import type { CacheableProvider, CallDescriptor } from "./cache.server.ts";
import {
  type CallDeadline,
  type CallTimeouts,
  DEFAULT_TIMEOUTS,
  startDeadline,
} from "./deadlines.server.ts";
import { classifyHttpFailure, connectionFailure } from "./errors.server.ts";
import { buildStagePrompt } from "./prompts/mod.ts";
import {
  checkOutput,
  completedEvent,
  createPartialThrottle,
  type JsonSchema,
  redactSystemPrompt,
  repairMessage,
  stageJsonSchema,
  toOpenAIStrictSchema,
} from "./structured_output.server.ts";
import { ProviderError, type ProviderEvent, type StageRequest } from "./types.ts";

/** Options of the OpenAI (and OpenAI-compatible server) provider. */
export interface OpenAIProviderOptions {
  apiKey: string;
  /** OPENAI_BASE_URL: OpenAI itself when unset, or Ollama, vLLM, LM Studio, ... */
  baseUrl?: string;
  models: { fast: string; strong: string };
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
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl ?? "https://api.openai.com/v1",
    // Explicit nulls: configuration is passed in, never read from the process environment.
    organization: null,
    project: null,
    maxRetries: 0, // the router decides about retries and fallback
    // A backstop only: the call deadlines below abort earlier with a classified error.
    timeout: { ...DEFAULT_TIMEOUTS, ...options.timeouts }.totalMs + 1_000,
    fetch: options.fetch,
  });
  // Per instance: an OpenAI-compatible server that rejected json_schema once is not asked again.
  let jsonSchemaUnsupported = false;

  const modelFor = (request: StageRequest) =>
    STRONG_STAGES.includes(request.stage) ? options.models.strong : options.models.fast;
  const tokenCapFor = (request: StageRequest) =>
    STRONG_STAGES.includes(request.stage) ? maxTokens.strong : maxTokens.fast;

  const plan = (request: StageRequest) => {
    const jsonSchema = stageJsonSchema(request.schema);
    const prompt = buildStagePrompt(request.stage, {
      directive: request.directive,
      inputs: request.inputs,
      schemaText: jsonSchemaUnsupported ? JSON.stringify(jsonSchema) : undefined,
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
    return {
      model: call.model,
      messages: call.messages,
      stream: true,
      stream_options: { include_usage: true },
      // Reasoning models reject max_tokens and a non-default temperature.
      ...(reasoning
        ? { max_completion_tokens: tokenCapFor(request) }
        : { max_tokens: tokenCapFor(request), temperature }),
      response_format: jsonSchemaUnsupported ? { type: "json_object" } : {
        type: "json_schema",
        json_schema: {
          name: `${request.stage}_stage`,
          strict: strict.strict,
          schema: strict.schema,
        },
      },
    };
  };

  /** Streams one completion; yields throttled partial objects when `emitDeltas`. */
  async function* streamOnce(
    body: ChatCompletionCreateParamsStreaming,
    call: { deadline: CallDeadline; system: string; emitDeltas: boolean; startedAt: number },
  ): AsyncGenerator<
    ProviderEvent,
    { text: string; inputTokens: number; outputTokens: number; ttftMs?: number }
  > {
    const { deadline } = call;
    const throttle = createPartialThrottle({ intervalMs: options.deltaIntervalMs ?? 100, now });
    let text = "";
    let finish: string | null = null;
    let ttftMs: number | undefined;
    let usage: OpenAI.CompletionUsage | undefined;
    const stream = await client.chat.completions.create(body, { signal: deadline.signal });
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
    if (finish === "length" || finish === "content_filter") {
      throw new ProviderError("invalid_output", `${name}: the answer stopped (${finish})`, {
        provider: name,
      });
    }
    return {
      text,
      inputTokens: usage?.prompt_tokens ?? 0,
      outputTokens: usage?.completion_tokens ?? 0,
      ttftMs,
    };
  }

  /** streamOnce, switching to json_object once when a compatible server refuses json_schema. */
  async function* streamWithFallback(
    request: StageRequest,
    call: ReturnType<typeof plan>,
    context: { deadline: CallDeadline; startedAt: number },
  ) {
    try {
      return yield* streamOnce(params(request, call), {
        ...context,
        system: call.system,
        emitDeltas: true,
      });
    } catch (error) {
      if (jsonSchemaUnsupported || !refusesJsonSchema(error)) throw error;
      jsonSchemaUnsupported = true;
      // Re-planned: in json_object mode the schema travels in the system prompt.
      const fallback = plan(request);
      return yield* streamOnce(params(request, fallback), {
        ...context,
        system: fallback.system,
        emitDeltas: true,
      });
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
        const first = yield* streamWithFallback(request, call, { deadline, startedAt });
        // The repair continues the conversation of the mode that answered.
        call = plan(request);
        let check = checkOutput(first.text, {
          schema: request.schema,
          jsonSchema: call.jsonSchema,
        });
        let inputTokens = first.inputTokens;
        let outputTokens = first.outputTokens;
        if (!check.ok) {
          // One repair: show the model its answer and what is wrong with it.
          deadline.expectFirstToken();
          const repairCall = {
            ...call,
            messages: [
              ...call.messages,
              { role: "assistant" as const, content: first.text },
              { role: "user" as const, content: repairMessage(check.errors) },
            ],
          };
          const second = yield* streamOnce(params(request, repairCall), {
            deadline,
            system: call.system,
            emitDeltas: false,
            startedAt,
          });
          inputTokens += second.inputTokens;
          outputTokens += second.outputTokens;
          check = checkOutput(second.text, { schema: request.schema, jsonSchema: call.jsonSchema });
          if (!check.ok) {
            throw new ProviderError(
              "invalid_output",
              `${name}: the output does not match the ${request.stage} schema after one repair:\n${check.errors}`,
              { provider: name },
            );
          }
        }
        yield completedEvent({
          provider: name,
          model: call.model,
          output: redactSystemPrompt(check.output, call.system),
          tokens: { inputTokens, outputTokens },
          ttftMs: first.ttftMs,
          durationMs: now() - startedAt,
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
  if (!(error instanceof OpenAI.APIError) || error.status !== 400) return false;
  if (error.param === "response_format" || error.param === "response_format.type") return true;
  return /json_schema|response_format/i.test(error.message);
}

function toProviderError(
  error: unknown,
  { provider, deadline }: { provider: string; deadline: CallDeadline },
): ProviderError {
  // A deadline or a cancel aborts the request; whatever the SDK threw then is a consequence.
  if (deadline.failure) return deadline.failure;
  if (error instanceof ProviderError) return error;
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
