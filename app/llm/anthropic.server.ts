import type Anthropic from "@anthropic-ai/sdk";
import type { MessageCreateParamsStreaming } from "@anthropic-ai/sdk/resources/messages";
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
  redactSystemPrompt,
  stageJsonSchema,
} from "./structured_output.server.ts";
import { ProviderError, type ProviderEvent, type StageRequest } from "./types.ts";
import { loadAnthropic, loadedAnthropic } from "./sdk.server.ts";

/** Options of the Anthropic Messages provider. */
export interface AnthropicProviderOptions {
  apiKey: string;
  baseUrl?: string;
  models: { fast: string; strong: string };
  /** Output token cap per tier; every call sets one. */
  maxTokens?: { fast: number; strong: number };
  timeouts?: Partial<CallTimeouts>;
  /** Minimum time between two `delta` events. */
  deltaIntervalMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

type TurnMessage = { role: "user" | "assistant"; content: string };

/** Output caps within every listed model's maximum (claude-3-5-haiku: 8192). */
const DEFAULT_MAX_TOKENS = { fast: 8_192, strong: 16_384 };

/** Creates the provider that calls Messages with one forced tool whose input is the stage. */
export function createAnthropicProvider(options: AnthropicProviderOptions): CacheableProvider {
  const name = "anthropic";
  const now = options.now ?? (() => performance.now());
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  // The SDK loads on the first call, not when the provider is configured (decision 014).
  let client: Promise<Anthropic> | null = null;
  const clientOf = () =>
    client ??= loadAnthropic().then(({ default: Anthropic }) =>
      new Anthropic({
        apiKey: options.apiKey,
        // Explicit null: configuration is passed in, never read from the process environment.
        authToken: null,
        baseURL: options.baseUrl ?? "https://api.anthropic.com",
        maxRetries: 0, // the router decides about retries and fallback
        // A backstop only: the call deadlines below abort earlier with a classified error.
        timeout: { ...DEFAULT_TIMEOUTS, ...options.timeouts }.totalMs + 1_000,
        // A body past what max_tokens allows errors and closes the connection.
        fetch: limitAnswerBytes(options.fetch ?? fetch, { fallbackMaxTokens: maxTokens.strong }),
      })
    );

  const plan = (request: StageRequest) => {
    const prompt = buildStagePrompt(request.stage, {
      directive: request.directive,
      inputs: request.inputs,
    });
    const tier = STRONG_STAGES.includes(request.stage) ? "strong" : "fast";
    return {
      model: options.models[tier],
      maxTokens: maxTokens[tier],
      jsonSchema: stageJsonSchema(request.schema),
      system: prompt.system,
      messages: [{ role: "user", content: prompt.user }] as TurnMessage[],
      tool: `emit_${request.stage}`,
    };
  };
  type Plan = ReturnType<typeof plan>;

  const params = (call: Plan): MessageCreateParamsStreaming => ({
    model: call.model,
    max_tokens: call.maxTokens,
    system: call.system,
    messages: call.messages,
    tools: [{
      name: call.tool,
      description: "Record the complete stage output. Call it exactly once.",
      input_schema: call.jsonSchema as Anthropic.Tool.InputSchema,
    }],
    tool_choice: { type: "tool", name: call.tool },
    stream: true,
  });

  /** Streams one message; the tool input arrives as input_json_delta fragments. */
  async function* streamOnce(
    call: Plan,
    context: { deadline: CallDeadline; emitDeltas: boolean; startedAt: number },
  ): AsyncGenerator<
    ProviderEvent,
    { text: string; inputTokens: number; outputTokens: number; ttftMs?: number; cut: boolean }
  > {
    const { deadline } = context;
    const charLimit = answerCharLimit(call.maxTokens);
    const throttle = createPartialThrottle({ intervalMs: options.deltaIntervalMs ?? 100, now });
    let text = "";
    let toolBlock: number | undefined;
    let stopReason: string | null = null;
    let stopped = false;
    let inputTokens = 0;
    let outputTokens = 0;
    let ttftMs: number | undefined;
    const stream = await (await clientOf()).messages.create(params(call), {
      signal: deadline.signal,
    });
    for await (const event of stream) {
      switch (event.type) {
        case "message_start":
          inputTokens = event.message.usage.input_tokens;
          outputTokens = event.message.usage.output_tokens;
          break;
        case "content_block_start":
          if (event.content_block.type === "tool_use") toolBlock = event.index;
          break;
        case "content_block_delta":
          if (event.index !== toolBlock || event.delta.type !== "input_json_delta") break;
          if (event.delta.partial_json === "") break;
          if (ttftMs === undefined) {
            ttftMs = now() - context.startedAt;
            deadline.firstToken();
          }
          text += event.delta.partial_json;
          if (text.length > charLimit) throw new AnswerTooLargeError("characters", charLimit);
          if (context.emitDeltas) {
            const partial = throttle.next(text);
            if (partial !== undefined) {
              yield { type: "delta", partial: redactSystemPrompt(partial, call.system) };
            }
          }
          break;
        case "message_delta":
          // Usage in message_delta is cumulative.
          outputTokens = event.usage.output_tokens;
          if (event.usage.input_tokens != null) inputTokens = event.usage.input_tokens;
          stopReason = event.delta.stop_reason;
          break;
        case "message_stop":
          stopped = true;
          break;
      }
    }
    // The SDK ends iteration quietly when the request is aborted.
    if (deadline.failure) throw deadline.failure;
    if (!stopped) throw connectionFailure(name, "the stream ended before message_stop");
    if (stopReason === "refusal") {
      throw new ProviderError("invalid_output", `${name}: the answer stopped (${stopReason})`, {
        provider: name,
      });
    }
    // Cut at max_tokens: what is complete may still be usable (checkOutput salvages it).
    return { text, inputTokens, outputTokens, ttftMs, cut: stopReason === "max_tokens" };
  }

  return {
    name,
    describeCall(request: StageRequest): CallDescriptor {
      const call = plan(request);
      return {
        model: call.model,
        messages: [{ role: "system", content: call.system }, ...call.messages],
        // The Messages API of this SDK version has no sampling temperature.
        temperature: null,
      };
    },
    async *generate(request: StageRequest): AsyncIterable<ProviderEvent> {
      const call = plan(request);
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
          first: () => streamOnce(call, { deadline, emitDeltas: true, startedAt }),
          call: () => call,
          repair: (answer, message) =>
            streamOnce({
              ...call,
              messages: [
                ...call.messages,
                { role: "assistant", content: answer.text || "{}" },
                { role: "user", content: message },
              ],
            }, { deadline, emitDeltas: false, startedAt }),
        });
      } catch (error) {
        throw toProviderError(error, { provider: name, deadline });
      } finally {
        deadline.dispose();
      }
    },
  };
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
  const sdk = loadedAnthropic();
  if (!sdk) return connectionFailure(provider, error);
  const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = sdk;
  if (error instanceof APIUserAbortError) {
    return new ProviderError("aborted", `${provider}: the request was cancelled`, {
      provider,
      cause: error,
    });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError("timeout", `${provider}: ${error.message}`, {
      provider,
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) return connectionFailure(provider, error);
  if (error instanceof APIError) {
    // An `event: error` inside a 200 stream arrives here with no status and its body's type.
    return classifyHttpFailure(provider, {
      status: error.status,
      headers: error.headers,
      type: error.type,
      code: error.errorCode,
      message: error.apiMessage ?? error.message,
    }, { cause: error });
  }
  // A body that broke off mid-read surfaces as a plain TypeError from fetch.
  return connectionFailure(provider, error);
}
