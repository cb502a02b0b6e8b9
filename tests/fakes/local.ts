/**
 * A fake of a local OpenAI-compatible server (Ollama, LM Studio, llama.cpp, vLLM) with the
 * habits issue 12 lists: chatty prose and fences around the JSON, over-long strings, wrong-case
 * enums, no usage block, `finish_reason: "length"` mid-object, SSE keep-alive comments, a long
 * pause mid-stream, and refusals of `stream_options` or of a `response_format` type.
 */
import { type RecordedRequest, startFakeHttpServer } from "./http.ts";
import { applyHabits, fenceInProse, type ValueHabit } from "./habits.ts";
import type { JsonSchema } from "../../app/llm/structured_output.server.ts";

/** Wire habits of the server (value habits are in habits.ts). */
export interface LocalHabits {
  values?: readonly ValueHabit[];
  /** A sentence and a markdown fence around the JSON. */
  prose?: boolean;
  /** No usage chunk, even when `stream_options.include_usage` asks for one. */
  noUsage?: boolean;
  /** The first answer of each stage stops with `finish_reason: "length"` at this share (0-1). */
  cutAt?: number;
  /** An SSE comment line (`: keep-alive`) before every chunk. */
  keepAlive?: boolean;
  /** Halfway through, the stream sends nothing for this long, then continues. */
  pauseMs?: number;
  /** 400 when the request carries `stream_options` (older servers). */
  rejectStreamOptions?: boolean;
  /** 400 for these `response_format` types (LM Studio refuses json_object). */
  rejectFormats?: readonly string[];
}

/** What the fake's "model" answers for a request: a valid output and its schema. */
export type LocalAnswer = (
  request: RecordedRequest,
  index: number,
) => { key: string; output: unknown; jsonSchema: JsonSchema } | { text: string; key?: string };

/** A running local-server fake. */
export interface FakeLocal {
  /** Base URL for the SDK (`…/v1`), like `http://localhost:11434/v1`. */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts the fake; `answer` gives each request's output, `habits` how it is sent. */
export function startFakeLocal(answer: LocalAnswer, habits: LocalHabits = {}): FakeLocal {
  let count = 0;
  const answered = new Set<string>();
  const server = startFakeHttpServer(async (request, response) => {
    if (request.method !== "POST" || request.path !== "/v1/chat/completions") {
      await response.json(404, { error: { message: "not found" } });
      return;
    }
    const body = request.body as {
      model?: string;
      stream_options?: unknown;
      response_format?: { type?: string };
    };
    if (habits.rejectStreamOptions && body.stream_options !== undefined) {
      await response.json(400, {
        error: { message: "Unrecognized request argument supplied: stream_options" },
      });
      return;
    }
    const format = body.response_format?.type;
    if (format && habits.rejectFormats?.includes(format)) {
      await response.json(400, {
        error: { message: `'response_format.type' must be 'json_schema' or 'text', not ${format}` },
      });
      return;
    }
    const given = answer(request, count++);
    let text: string;
    let first = false;
    if ("text" in given) text = given.text;
    else {
      first = !answered.has(given.key);
      answered.add(given.key);
      text = JSON.stringify(applyHabits(given.output, given.jsonSchema, habits.values ?? []));
    }
    let finish = "stop";
    if (habits.cutAt !== undefined && first) {
      text = text.slice(0, Math.floor(text.length * habits.cutAt));
      finish = "length";
    }
    if (habits.prose && finish === "stop") text = fenceInProse(text);
    else if (habits.prose) text = "Sure! Here it is:\n```json\n" + text;

    const id = `chatcmpl-local${count}`;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${
        JSON.stringify({
          id,
          object: "chat.completion.chunk",
          created: Math.floor(Date.now() / 1000),
          model: body.model ?? "local-model",
          choices,
          ...extra,
        })
      }\n\n`;
    const send = async (data: string) => {
      if (habits.keepAlive) await response.write(": keep-alive\n\n");
      await response.write(data);
    };
    await response.start(200, { "content-type": "text/event-stream" });
    await send(
      chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]),
    );
    const size = 200;
    const pauseAt = Math.floor(text.length / size / 2);
    for (let i = 0, n = 0; i < text.length; i += size, n++) {
      if (response.clientGone) return;
      if (habits.pauseMs && n === pauseAt && n > 0) await response.sleep(habits.pauseMs);
      await send(
        chunk([{ index: 0, delta: { content: text.slice(i, i + size) }, finish_reason: null }]),
      );
    }
    await send(chunk([{ index: 0, delta: {}, finish_reason: finish }]));
    if (body.stream_options && !habits.noUsage) {
      await send(chunk([], {
        usage: {
          prompt_tokens: Math.ceil(request.rawBody.length / 4),
          completion_tokens: Math.ceil(text.length / 4),
          total_tokens: Math.ceil((request.rawBody.length + text.length) / 4),
        },
      }));
    }
    await send("data: [DONE]\n\n");
    await response.end();
  });
  return {
    url: `${server.origin}/v1`,
    requests: server.requests,
    close: () => server.close(),
  };
}
