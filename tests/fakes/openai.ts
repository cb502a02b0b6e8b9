import { type RecordedRequest, startFakeHttpServer } from "./http.ts";
import { type FakeScript, fragmentsOf, paceFragments, replyFor, usageOf } from "./llm_script.ts";

/** A running fake of the OpenAI Chat Completions API. */
export interface FakeOpenAI {
  /** Base URL for the SDK (`…/v1`). */
  url: string;
  requests: RecordedRequest[];
  readonly openConnections: number;
  close(): Promise<void>;
}

/** Options of the fake beyond its script. */
export interface FakeOpenAIOptions {
  /** Behave like an OpenAI-compatible server without structured outputs: 400 for json_schema. */
  rejectJsonSchema?: boolean;
}

/** Starts a loopback server speaking the Chat Completions streaming wire format. */
export function startFakeOpenAI(script: FakeScript, options: FakeOpenAIOptions = {}): FakeOpenAI {
  let count = 0;
  const server = startFakeHttpServer(async (request, response) => {
    if (request.method !== "POST" || request.path !== "/v1/chat/completions") {
      await response.json(404, { error: { message: "not found", type: "invalid_request_error" } });
      return;
    }
    const body = request.body as {
      model?: string;
      stream_options?: { include_usage?: boolean };
      response_format?: { type?: string };
    };
    if (options.rejectJsonSchema && body.response_format?.type === "json_schema") {
      // Compatible servers word this differently and rarely set `param`.
      await response.json(400, {
        error: {
          message: "Unsupported value: response_format.type 'json_schema' is not supported.",
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      });
      return;
    }
    const reply = replyFor(script, { request, index: count++ });
    if (reply.status && reply.status !== 200) {
      await response.json(reply.status, {
        error: {
          message: reply.error?.message ?? `fake error ${reply.status}`,
          type: reply.error?.type ?? "server_error",
          param: null,
          code: reply.error?.code ?? null,
        },
      }, reply.headers);
      return;
    }

    const id = `chatcmpl-fake${count}`;
    const model = body.model ?? "fake-model";
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${
        JSON.stringify({
          id,
          object: "chat.completion.chunk",
          created: Math.floor(Date.now() / 1000),
          model,
          choices,
          ...extra,
        })
      }\n\n`;
    const fragments = fragmentsOf(reply, request);
    await response.start(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      ...reply.headers,
    });
    await response.write(
      chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]),
    );
    const outcome = await paceFragments(reply, fragments, {
      response,
      send: (fragment) =>
        response.write(chunk([{ index: 0, delta: { content: fragment }, finish_reason: null }])),
    });
    if (outcome === "cut") return response.cut();
    if (outcome === "error") {
      const { type, message } = reply.streamError!;
      await response.write(
        `data: ${JSON.stringify({ error: { message: message ?? type, type } })}\n\n`,
      );
      return response.end();
    }
    await response.write(chunk([{ index: 0, delta: {}, finish_reason: "stop" }]));
    if (body.stream_options?.include_usage) {
      const usage = usageOf(reply, { request, fragments });
      await response.write(chunk([], {
        usage: {
          prompt_tokens: usage.inputTokens,
          completion_tokens: usage.outputTokens,
          total_tokens: usage.inputTokens + usage.outputTokens,
        },
      }));
    }
    await response.write("data: [DONE]\n\n");
    await response.end();
  });
  return {
    url: `${server.origin}/v1`,
    requests: server.requests,
    get openConnections() {
      return server.openConnections;
    },
    close: () => server.close(),
  };
}
