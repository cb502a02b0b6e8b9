import type { RecordedRequest, ResponseWriter } from "./http.ts";

/** How a fake LLM server answers one request. */
export interface FakeReply {
  /** A non-200 status answers with an error body (`error`) instead of a stream. */
  status?: number;
  /** Error body fields: OpenAI `error.type`/`error.code`, Anthropic `error.type`/`details.error_code`. */
  error?: { type: string; code?: string; message?: string };
  /** Extra response headers, e.g. `retry-after`. */
  headers?: Record<string, string>;
  /** What the model "writes": an object is sent as JSON text, a string verbatim (e.g. broken JSON). */
  output?: unknown | ((request: RecordedRequest) => unknown);
  /** Characters per streamed fragment (default 24). */
  chunkChars?: number;
  /** Pacing of the fragments, at ~4 characters per token; unset streams as fast as possible. */
  tokensPerSecond?: number;
  /** Wait after the response headers, before the first output token. */
  firstTokenDelayMs?: number;
  /** Close the connection (no terminating chunk, no end event) after this many fragments. */
  cutAfterChunks?: number;
  /** Send an in-stream error event (e.g. overloaded_error) after this many fragments. */
  streamError?: { afterChunks: number; type: string; message?: string };
  /** How the answer ends: Anthropic `stop_reason` (default `tool_use`), e.g. `max_tokens`. */
  stopReason?: string;
  /** Token counts to report; default ~4 characters per token of request and output. */
  usage?: { inputTokens: number; outputTokens: number };
}

/** The replies of a fake, in request order, or a function choosing one per request. */
export type FakeScript =
  | readonly FakeReply[]
  | ((request: RecordedRequest, index: number) => FakeReply);

/** The reply for the request at `index`; an exhausted list answers 500 so tests see it. */
export function replyFor(
  script: FakeScript,
  { request, index }: { request: RecordedRequest; index: number },
): FakeReply {
  if (typeof script === "function") return script(request, index);
  return script[index] ?? {
    status: 500,
    error: { type: "server_error", message: `fake: no scripted reply for request ${index + 1}` },
  };
}

/** The output text of a reply and how it is split into streamed fragments. */
export function fragmentsOf(reply: FakeReply, request: RecordedRequest): string[] {
  const output = typeof reply.output === "function" ? reply.output(request) : reply.output;
  const text = typeof output === "string" ? output : JSON.stringify(output ?? {});
  const size = reply.chunkChars ?? 24;
  const fragments: string[] = [];
  for (let i = 0; i < text.length; i += size) fragments.push(text.slice(i, i + size));
  return fragments;
}

/** Streams fragments with the reply's first-token delay and pacing; stops at cut or error. */
export async function paceFragments(
  reply: FakeReply,
  fragments: string[],
  options: {
    response: ResponseWriter;
    send: (fragment: string) => Promise<void>;
  },
): Promise<"complete" | "cut" | "error"> {
  const { response } = options;
  if (reply.firstTokenDelayMs) await response.sleep(reply.firstTokenDelayMs);
  const chunkDelayMs = reply.tokensPerSecond
    ? ((reply.chunkChars ?? 24) / 4 / reply.tokensPerSecond) * 1000
    : 0;
  for (let index = 0; index < fragments.length; index++) {
    if (response.clientGone) return "cut";
    if (reply.cutAfterChunks !== undefined && index >= reply.cutAfterChunks) return "cut";
    if (reply.streamError && index >= reply.streamError.afterChunks) return "error";
    if (index > 0 && chunkDelayMs > 0) await response.sleep(chunkDelayMs);
    await options.send(fragments[index]);
  }
  if (reply.cutAfterChunks !== undefined) return "cut";
  return reply.streamError ? "error" : "complete";
}

/** Token counts reported for a reply. */
export function usageOf(
  reply: FakeReply,
  { request, fragments }: { request: RecordedRequest; fragments: string[] },
) {
  return reply.usage ?? {
    inputTokens: Math.ceil(request.rawBody.length / 4),
    outputTokens: Math.ceil(fragments.join("").length / 4),
  };
}
