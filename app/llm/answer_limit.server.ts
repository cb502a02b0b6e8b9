/**
 * Bounds what one provider call may stream back (issue 13 item 4): a model or server that never
 * stops must not grow the process. Two limits, both derived from the call's `max_tokens`:
 * the answer text (no tokenizer writes more than a few characters per token on average), and
 * the bytes on the wire (SSE framing costs a few hundred bytes per streamed token).
 */
import { ProviderError } from "./types.ts";

/** Answer characters allowed per output token: four times the ~4 of English text. */
export const CHARS_PER_TOKEN = 16;
/** Wire bytes allowed per output token: one SSE chunk per token is ~200-400 bytes. */
export const WIRE_BYTES_PER_TOKEN = 1_024;
/** Headroom for headers, the opening chunks and the final usage block. */
const WIRE_HEADROOM_BYTES = 64 * 1024;

/** The longest answer text a call capped at `maxTokens` may stream. */
export function answerCharLimit(maxTokens: number): number {
  return maxTokens * CHARS_PER_TOKEN;
}

/** A call streamed more than its limit; the request was aborted. */
export class AnswerTooLargeError extends Error {
  constructor(readonly what: string, readonly limit: number) {
    super(`the answer exceeded ${limit} ${what}`);
    this.name = "AnswerTooLargeError";
  }
}

/** The classified failure of an over-long answer: another provider may answer within bounds. */
export function tooLargeFailure(provider: string, error: AnswerTooLargeError): ProviderError {
  return new ProviderError("invalid_output", `${provider}: ${error.message}`, {
    provider,
    cause: error,
  });
}

/** The AnswerTooLargeError somewhere in `error`'s cause chain, if any. */
export function findTooLarge(error: unknown): AnswerTooLargeError | undefined {
  for (let current = error, depth = 0; current && depth < 8; depth++) {
    if (current instanceof AnswerTooLargeError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Wraps `fetch` so a response body larger than the request's `max_tokens` allows (wire bytes)
 * errors and cancels the upstream connection. The cap is read from the JSON request body
 * (`max_tokens` or `max_completion_tokens`); `fallbackMaxTokens` when it carries none.
 */
export function limitAnswerBytes(
  base: typeof fetch,
  options: { fallbackMaxTokens: number },
): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (!response.body) return response;
    const maxTokens = maxTokensOf(init?.body) ?? options.fallbackMaxTokens;
    const limit = WIRE_HEADROOM_BYTES + maxTokens * WIRE_BYTES_PER_TOKEN;
    let seen = 0;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > limit) controller.error(new AnswerTooLargeError("bytes", limit));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function maxTokensOf(body: unknown): number | undefined {
  if (typeof body !== "string") return undefined;
  const match = body.match(/"max(?:_completion)?_tokens"\s*:\s*(\d+)/);
  return match ? Number(match[1]) : undefined;
}
