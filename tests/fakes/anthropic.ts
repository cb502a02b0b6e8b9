import { type RecordedRequest, startFakeHttpServer } from "./http.ts";
import { type FakeScript, fragmentsOf, paceFragments, replyFor, usageOf } from "./llm_script.ts";

/** A running fake of the Anthropic Messages API. */
export interface FakeAnthropic {
  /** Base URL for the SDK (the origin; the SDK adds `/v1/messages`). */
  url: string;
  requests: RecordedRequest[];
  readonly openConnections: number;
  close(): Promise<void>;
}

/** Starts a loopback server speaking the Messages streaming wire format with tool use. */
export function startFakeAnthropic(script: FakeScript): FakeAnthropic {
  let count = 0;
  const server = startFakeHttpServer(async (request, response) => {
    if (request.method !== "POST" || request.path !== "/v1/messages") {
      await response.json(404, {
        type: "error",
        error: { type: "not_found_error", message: "not found" },
      });
      return;
    }
    const body = request.body as { model?: string; tool_choice?: { name?: string } };
    const reply = replyFor(script, { request, index: count++ });
    if (reply.status && reply.status !== 200) {
      await response.json(reply.status, {
        type: "error",
        error: {
          type: reply.error?.type ?? "api_error",
          message: reply.error?.message ?? `fake error ${reply.status}`,
          ...(reply.error?.code ? { details: { error_code: reply.error.code } } : {}),
        },
      }, reply.headers);
      return;
    }

    const event = (name: string, data: unknown) =>
      response.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    const fragments = fragmentsOf(reply, request);
    const usage = usageOf(reply, { request, fragments });
    await response.start(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      ...reply.headers,
    });
    await event("message_start", {
      type: "message_start",
      message: {
        id: `msg_fake${count}`,
        type: "message",
        role: "assistant",
        content: [],
        model: body.model ?? "fake-model",
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: usage.inputTokens, output_tokens: 1 },
      },
    });
    await event("content_block_start", {
      type: "content_block_start",
      index: 0,
      content_block: {
        type: "tool_use",
        id: `toolu_fake${count}`,
        name: body.tool_choice?.name ?? "tool",
        input: {},
      },
    });
    await event("ping", { type: "ping" });
    const outcome = await paceFragments(reply, fragments, {
      response,
      send: (fragment) =>
        event("content_block_delta", {
          type: "content_block_delta",
          index: 0,
          delta: { type: "input_json_delta", partial_json: fragment },
        }),
    });
    if (outcome === "cut") return response.cut();
    if (outcome === "error") {
      const { type, message } = reply.streamError!;
      await event("error", { type: "error", error: { type, message: message ?? type } });
      return response.end();
    }
    await event("content_block_stop", { type: "content_block_stop", index: 0 });
    await event("message_delta", {
      type: "message_delta",
      delta: { stop_reason: reply.stopReason ?? "tool_use", stop_sequence: null },
      usage: { output_tokens: usage.outputTokens },
    });
    await event("message_stop", { type: "message_stop" });
    await response.end();
  });
  return {
    url: server.origin,
    requests: server.requests,
    get openConnections() {
      return server.openConnections;
    },
    close: () => server.close(),
  };
}
