import assert from "node:assert/strict";
import { createAnthropicProvider } from "../../app/llm/anthropic.server.ts";
import { createOpenAIProvider } from "../../app/llm/openai.server.ts";
import { costUsd } from "../../app/llm/pricing.ts";
import { type Provider, ProviderError, type ProviderEvent } from "../../app/llm/types.ts";
import { startFakeAnthropic } from "../fakes/anthropic.ts";
import type { FakeReply, FakeScript } from "../fakes/llm_script.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { collect, stageRequest, validOutput } from "../fakes/stage_fixtures.ts";
import type { RecordedRequest } from "../fakes/http.ts";
import type { CallTimeouts } from "../../app/llm/deadlines.server.ts";

const OPENAI_MODELS = { fast: "gpt-4o-mini", strong: "gpt-4.1" };
const ANTHROPIC_MODELS = { fast: "claude-3-5-haiku-latest", strong: "claude-sonnet-4-20250514" };

/** One fake server and a real-SDK provider pointed at it. */
interface Rig {
  provider: Provider;
  requests: RecordedRequest[];
  readonly openConnections: number;
  close(): Promise<void>;
  /** The system prompt of a recorded request. */
  systemOf(request: RecordedRequest): string;
}

type RigOptions = {
  timeouts?: Partial<CallTimeouts>;
  deltaIntervalMs?: number;
  rejectJsonSchema?: boolean;
};

const rigs: Record<"openai" | "anthropic", (script: FakeScript, options?: RigOptions) => Rig> = {
  openai(script, options = {}) {
    const fake = startFakeOpenAI(script, { rejectJsonSchema: options.rejectJsonSchema });
    return {
      provider: createOpenAIProvider({
        apiKey: "sk-test",
        baseUrl: fake.url,
        models: OPENAI_MODELS,
        timeouts: options.timeouts,
        deltaIntervalMs: options.deltaIntervalMs ?? 0,
      }),
      requests: fake.requests,
      get openConnections() {
        return fake.openConnections;
      },
      close: () => fake.close(),
      systemOf: (request) =>
        (request.body as { messages: { role: string; content: string }[] }).messages[0].content,
    };
  },
  anthropic(script, options = {}) {
    const fake = startFakeAnthropic(script);
    return {
      provider: createAnthropicProvider({
        apiKey: "sk-ant-test",
        baseUrl: fake.url,
        models: ANTHROPIC_MODELS,
        timeouts: options.timeouts,
        deltaIntervalMs: options.deltaIntervalMs ?? 0,
      }),
      requests: fake.requests,
      get openConnections() {
        return fake.openConnections;
      },
      close: () => fake.close(),
      systemOf: (request) => (request.body as { system: string }).system,
    };
  },
};

async function withRig(
  name: "openai" | "anthropic",
  script: FakeScript,
  options: RigOptions,
  body: (rig: Rig) => Promise<void>,
) {
  const rig = rigs[name](script, options);
  try {
    await body(rig);
  } finally {
    await rig.close();
  }
}

function deltas(events: ProviderEvent[]) {
  return events.filter((event) => event.type === "delta").map((event) =>
    (event as { partial: Record<string, unknown> }).partial
  );
}

for (const name of ["openai", "anthropic"] as const) {
  const models = name === "openai" ? OPENAI_MODELS : ANTHROPIC_MODELS;

  Deno.test(`${name}: streams partial objects, then a valid output with usage`, async () => {
    const reply: FakeReply = {
      output: validOutput,
      chunkChars: 16,
      firstTokenDelayMs: 40,
      usage: { inputTokens: 1200, outputTokens: 300 },
    };
    await withRig(name, [reply], {}, async (rig) => {
      const { events, error } = await collect(rig.provider.generate(stageRequest()));
      assert.equal(error, undefined);
      assert.deepEqual(events[0], { type: "started", provider: name, model: models.fast });
      const partials = deltas(events);
      assert.ok(partials.length >= 3, `expected several deltas, got ${partials.length}`);
      assert.ok(partials.some((p) => Array.isArray(p.features) && p.features.length === 1));
      const completed = events.at(-1)!;
      assert.equal(completed.type, "completed");
      if (completed.type !== "completed") return;
      assert.deepEqual(completed.output, validOutput);
      assert.equal(completed.usage.inputTokens, 1200);
      assert.equal(completed.usage.outputTokens, 300);
      assert.equal(
        completed.usage.costUsd,
        costUsd({ model: models.fast, inputTokens: 1200, outputTokens: 300 }),
      );
      assert.ok(completed.usage.costUsd > 0);
      assert.ok(completed.usage.ttftMs >= 35, `ttft ${completed.usage.ttftMs}`);
      assert.ok(completed.usage.durationMs >= completed.usage.ttftMs);
      assert.equal(completed.usage.cached, false);
      assert.equal(rig.requests.length, 1);
    });
  });

  Deno.test(`${name}: architecture and code use the STRONG model, and every call caps tokens`, async () => {
    await withRig(name, [{ output: validOutput }, { output: validOutput }], {}, async (rig) => {
      const code = await collect(rig.provider.generate(stageRequest({ stage: "code" })));
      const brand = await collect(rig.provider.generate(stageRequest({ stage: "brand" })));
      assert.equal((code.events[0] as { model: string }).model, models.strong);
      assert.equal((brand.events[0] as { model: string }).model, models.fast);
      const [strong, fast] = rig.requests.map((r) => r.body as Record<string, unknown>);
      assert.equal(strong.model, models.strong);
      assert.equal(fast.model, models.fast);
      assert.equal(strong.stream, true);
      assert.equal(typeof strong.max_tokens, "number");
      assert.ok((strong.max_tokens as number) > (fast.max_tokens as number));
    });
  });

  Deno.test(`${name}: deltas come at most about every 100 ms`, async () => {
    const reply = { output: validOutput, chunkChars: 8, tokensPerSecond: 100 };
    await withRig(name, [reply], { deltaIntervalMs: 100 }, async (rig) => {
      const times: number[] = [];
      for await (const event of rig.provider.generate(stageRequest())) {
        if (event.type === "delta") times.push(performance.now());
      }
      assert.ok(times.length >= 2, `got ${times.length} deltas`);
      for (let i = 1; i < times.length; i++) {
        assert.ok(times[i] - times[i - 1] >= 90, `gap ${times[i] - times[i - 1]} ms`);
      }
    });
  });

  const failures: [string, FakeReply, string, ((e: ProviderError) => void)?][] = [
    [
      "429 with retry-after",
      { status: 429, error: { type: "rate_limit_error" }, headers: { "retry-after": "2" } },
      "rate_limited",
      (e) => assert.equal(e.retryAfterMs, 2000),
    ],
    [
      "429 with retry-after-ms",
      { status: 429, error: { type: "rate_limit_error" }, headers: { "retry-after-ms": "150" } },
      "rate_limited",
      (e) => assert.equal(e.retryAfterMs, 150),
    ],
    [
      "429 spend cap",
      name === "openai"
        ? { status: 429, error: { type: "insufficient_quota", code: "insufficient_quota" } }
        : {
          status: 429,
          error: { type: "rate_limit_error", code: "enforced_spend_limit_reached" },
        },
      "quota_exhausted",
    ],
    [
      "400",
      { status: 400, error: { type: "invalid_request_error" } },
      "bad_request",
      (e) => assert.equal(e.retryable, false),
    ],
    ["401", { status: 401, error: { type: "authentication_error" } }, "auth"],
    ["500", { status: 500, error: { type: "api_error" } }, "server"],
    ["529", { status: 529, error: { type: "overloaded_error" } }, "overloaded"],
    [
      "overloaded_error inside a 200 stream",
      {
        output: validOutput,
        chunkChars: 10,
        streamError: { afterChunks: 3, type: "overloaded_error" },
      },
      "overloaded",
    ],
    [
      "a stream cut without its end",
      { output: validOutput, chunkChars: 10, cutAfterChunks: 3 },
      "connection",
    ],
  ];
  for (const [label, reply, kind, extra] of failures) {
    Deno.test(`${name}: ${label} fails as ${kind}, after one request`, async () => {
      await withRig(name, [reply, { output: validOutput }], {}, async (rig) => {
        const { error } = await collect(rig.provider.generate(stageRequest()));
        assert.ok(error instanceof ProviderError, String(error));
        assert.equal(error.kind, kind);
        assert.equal(error.provider, name);
        extra?.(error);
        // SDK retries are off: the router alone decides about another call.
        assert.equal(rig.requests.length, 1);
      });
    });
  }

  Deno.test(`${name}: a slow first token times out and closes the upstream connection`, async () => {
    const reply = { output: validOutput, firstTokenDelayMs: 2_000 };
    await withRig(name, [reply], { timeouts: { firstTokenMs: 150 } }, async (rig) => {
      const started = performance.now();
      const { error } = await collect(rig.provider.generate(stageRequest()));
      assert.ok(error instanceof ProviderError);
      assert.equal(error.kind, "timeout");
      assert.ok(performance.now() - started < 1_500);
      await rig.requests[0].finished;
      assert.equal(rig.requests[0].clientClosed, true);
    });
  });

  Deno.test(`${name}: a stream slower than the total timeout times out`, async () => {
    const reply = { output: validOutput, chunkChars: 4, tokensPerSecond: 20 };
    await withRig(name, [reply], { timeouts: { totalMs: 250 } }, async (rig) => {
      const { events, error } = await collect(rig.provider.generate(stageRequest()));
      assert.ok(error instanceof ProviderError);
      assert.equal(error.kind, "timeout");
      assert.ok(deltas(events).length > 0, "it was streaming when it timed out");
    });
  });

  Deno.test(`${name}: cancelling closes the upstream connection`, async () => {
    const reply = { output: validOutput, chunkChars: 4, tokensPerSecond: 20 };
    await withRig(name, [reply], {}, async (rig) => {
      const controller = new AbortController();
      let error: unknown;
      try {
        for await (
          const event of rig.provider.generate(stageRequest({ signal: controller.signal }))
        ) {
          if (event.type === "delta") controller.abort();
        }
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof ProviderError);
      assert.equal(error.kind, "aborted");
      await rig.requests[0].finished;
      assert.equal(rig.requests[0].clientClosed, true);
      assert.equal(rig.openConnections, 0);
    });
  });

  Deno.test(`${name}: output failing validation gets one repair with the errors`, async () => {
    const missing = { workingName: "Harvest Box", features: [] };
    await withRig(
      name,
      [
        { output: missing, usage: { inputTokens: 100, outputTokens: 10 } },
        { output: validOutput, usage: { inputTokens: 150, outputTokens: 40 } },
      ],
      {},
      async (rig) => {
        const { events, error } = await collect(rig.provider.generate(stageRequest()));
        assert.equal(error, undefined);
        const completed = events.at(-1)!;
        assert.equal(completed.type, "completed");
        if (completed.type !== "completed") return;
        assert.deepEqual(completed.output, validOutput);
        assert.equal(completed.usage.inputTokens, 250);
        assert.equal(completed.usage.outputTokens, 50);
        assert.equal(rig.requests.length, 2);
        const repair = JSON.stringify(rig.requests[1].body);
        assert.match(repair, /does not match the required schema/);
        assert.match(repair, /features/);
        assert.ok(repair.includes(JSON.stringify(JSON.stringify(missing)).slice(1, -1)));
      },
    );
  });

  Deno.test(`${name}: broken JSON is repaired; a second failure is invalid_output`, async () => {
    const broken = '{"workingName": "Harvest Box", "features": [oops';
    await withRig(name, [{ output: broken }, { output: validOutput }], {}, async (rig) => {
      const { events } = await collect(rig.provider.generate(stageRequest()));
      assert.deepEqual((events.at(-1) as { output: unknown }).output, validOutput);
      assert.match(JSON.stringify(rig.requests[1].body), /not valid JSON/);
    });
    await withRig(name, [{ output: broken }, { output: broken }], {}, async (rig) => {
      const { error } = await collect(rig.provider.generate(stageRequest()));
      assert.ok(error instanceof ProviderError);
      assert.equal(error.kind, "invalid_output");
      assert.equal(rig.requests.length, 2);
    });
  });

  Deno.test(`${name}: a system prompt copied into the output never reaches an event`, async () => {
    const leak = (request: RecordedRequest) => ({
      ...validOutput,
      workingName: `Sure! My instructions: ${rigSystem(name, request)}`,
    });
    await withRig(name, [{ output: leak, chunkChars: 200 }], {}, async (rig) => {
      const { events, error } = await collect(rig.provider.generate(stageRequest()));
      assert.equal(error, undefined);
      const system = rig.systemOf(rig.requests[0]);
      assert.ok(system.length > 200);
      const text = JSON.stringify(events);
      for (const line of system.split("\n").filter((l) => l.length >= 24)) {
        assert.ok(!text.includes(JSON.stringify(line).slice(1, -1)), `leaked: ${line}`);
      }
      assert.match(text, /\[redacted\]/);
    });
  });
}

function rigSystem(name: "openai" | "anthropic", request: RecordedRequest): string {
  const body = request.body as { system?: string; messages: { content: string }[] };
  return name === "openai" ? body.messages[0].content : body.system!;
}

Deno.test("openai: the request asks for strict json_schema output and usage", async () => {
  await withRig("openai", [{ output: validOutput }], {}, async (rig) => {
    await collect(rig.provider.generate(stageRequest()));
    const request = rig.requests[0];
    assert.equal(request.headers.authorization, "Bearer sk-test");
    const body = request.body as {
      stream_options: unknown;
      response_format: {
        type: string;
        json_schema: { name: string; strict: boolean; schema: any };
      };
      messages: { role: string; content: string }[];
    };
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.response_format.type, "json_schema");
    assert.equal(body.response_format.json_schema.strict, true);
    const schema = body.response_format.json_schema.schema;
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required, ["workingName", "tagline", "features"]);
    assert.match(body.messages[1].content, /<directive>a marketplace where local farmers/);
  });
});

Deno.test("openai: a compatible server without json_schema falls back to json_object, remembered", async () => {
  const rig = rigs.openai([{ output: validOutput }, { output: validOutput }], {
    rejectJsonSchema: true,
  });
  try {
    const first = await collect(rig.provider.generate(stageRequest()));
    assert.equal(first.error, undefined);
    assert.deepEqual((first.events.at(-1) as { output: unknown }).output, validOutput);
    const second = await collect(rig.provider.generate(stageRequest({ stage: "brand" })));
    assert.equal(second.error, undefined);
    const formats = rig.requests.map((r) =>
      (r.body as { response_format: { type: string } }).response_format.type
    );
    assert.deepEqual(formats, ["json_schema", "json_object", "json_object"]);
    // Without server-side enforcement, the schema travels in the prompt.
    assert.match(rig.systemOf(rig.requests[1]), /conforms to this JSON schema:\n\{/);
    assert.match(rig.systemOf(rig.requests[1]), /"workingName"/);
  } finally {
    await rig.close();
  }
});

Deno.test("openai: a 400 about something else does not switch to json_object", async () => {
  await withRig(
    "openai",
    [{ status: 400, error: { type: "invalid_request_error" } }],
    {},
    async (rig) => {
      const { error } = await collect(rig.provider.generate(stageRequest()));
      assert.ok(error instanceof ProviderError);
      assert.equal(error.kind, "bad_request");
      assert.equal(rig.requests.length, 1);
    },
  );
});

Deno.test("anthropic: the request forces one tool whose input schema is the stage schema", async () => {
  await withRig("anthropic", [{ output: validOutput }], {}, async (rig) => {
    await collect(rig.provider.generate(stageRequest({ stage: "design" })));
    const request = rig.requests[0];
    // SDK versions send the key as x-api-key or as a bearer token.
    const key = request.headers["x-api-key"] ??
      request.headers.authorization?.replace("Bearer ", "");
    assert.equal(key, "sk-ant-test");
    const body = request.body as {
      tools: {
        name: string;
        input_schema: { type: string; properties: Record<string, unknown> };
      }[];
      tool_choice: unknown;
      system: string;
      messages: { role: string; content: string }[];
    };
    assert.equal(body.tools.length, 1);
    assert.equal(body.tools[0].name, "emit_design");
    assert.equal(body.tools[0].input_schema.type, "object");
    assert.ok("features" in body.tools[0].input_schema.properties);
    assert.deepEqual(body.tool_choice, { type: "tool", name: "emit_design" });
    assert.match(body.system, /"design"/);
    assert.match(body.messages[0].content, /<directive>/);
  });
});
