import assert from "node:assert/strict";
import { createAnthropicProvider } from "../../app/llm/anthropic.server.ts";
import { BudgetExceededError, createSpendLedger } from "../../app/llm/budget.server.ts";
import type { CallTimeouts } from "../../app/llm/deadlines.server.ts";
import { createOpenAIProvider } from "../../app/llm/openai.server.ts";
import { createRouter, type RouterOptions } from "../../app/llm/router.server.ts";
import { ProviderError, type ProviderEvent } from "../../app/llm/types.ts";
import { type FakeAnthropic, startFakeAnthropic } from "../fakes/anthropic.ts";
import type { RecordedRequest } from "../fakes/http.ts";
import type { FakeReply, FakeScript } from "../fakes/llm_script.ts";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai.ts";
import { collect, otherOutput, stageRequest, validOutput } from "../fakes/stage_fixtures.ts";

/** Two fakes, real-SDK providers on them, a router over [openai, anthropic] (or reversed). */
async function withChain(
  scripts: { openai: FakeScript; anthropic: FakeScript },
  options: {
    order?: ("openai" | "anthropic")[];
    router?: Partial<RouterOptions>;
    timeouts?: Partial<CallTimeouts>;
    rejectJsonSchema?: boolean;
  },
  body: (chain: {
    router: ReturnType<typeof createRouter>;
    openai: FakeOpenAI;
    anthropic: FakeAnthropic;
    kv: Deno.Kv;
    sleeps: number[];
  }) => Promise<void>,
) {
  const openai = startFakeOpenAI(scripts.openai, { rejectJsonSchema: options.rejectJsonSchema });
  const anthropic = startFakeAnthropic(scripts.anthropic);
  const kv = await Deno.openKv(":memory:");
  const sleeps: number[] = [];
  const providers = {
    openai: createOpenAIProvider({
      apiKey: "sk-test",
      baseUrl: openai.url,
      models: { fast: "gpt-4o-mini", strong: "gpt-4.1" },
      timeouts: options.timeouts,
      deltaIntervalMs: 0,
    }),
    anthropic: createAnthropicProvider({
      apiKey: "sk-ant-test",
      baseUrl: anthropic.url,
      models: { fast: "claude-3-5-haiku-latest", strong: "claude-sonnet-4-20250514" },
      timeouts: options.timeouts,
      deltaIntervalMs: 0,
    }),
  };
  const router = createRouter({
    providers: (options.order ?? ["openai", "anthropic"]).map((name) => providers[name]),
    kv,
    cache: false,
    // Records the wait instead of sleeping: the tests assert what was honoured.
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    retry: { maxRetryAfterMs: 5_000 },
    ...options.router,
  });
  try {
    await body({ router, openai, anthropic, kv, sleeps });
  } finally {
    kv.close();
    await openai.close();
    await anthropic.close();
  }
}

const ok: FakeReply = { output: validOutput, chunkChars: 12 };
const okOther: FakeReply = { output: otherOutput, chunkChars: 12 };

function starts(events: ProviderEvent[]) {
  return events.filter((e) => e.type === "started").map((e) =>
    (e as { provider: string }).provider
  );
}

function completedOf(events: ProviderEvent[]) {
  const last = events.at(-1);
  assert.equal(last?.type, "completed");
  return last as ProviderEvent & { type: "completed" };
}

Deno.test("router: 429 with retry-after within the bound waits and retries the same provider", async () => {
  const rateLimited: FakeReply = {
    status: 429,
    error: { type: "rate_limit_error" },
    headers: { "retry-after": "1" },
  };
  await withChain({ openai: [rateLimited, ok], anthropic: [okOther] }, {}, async (c) => {
    const { events, error } = await collect(c.router.generate(stageRequest()));
    assert.equal(error, undefined);
    assert.deepEqual(c.sleeps, [1000]);
    assert.equal(c.openai.requests.length, 2);
    assert.equal(c.anthropic.requests.length, 0);
    assert.deepEqual(starts(events), ["openai", "openai"]);
    assert.deepEqual(completedOf(events).output, validOutput);
  });
});

Deno.test("router: a second 429 after the retry moves to the next provider", async () => {
  const rateLimited: FakeReply = {
    status: 429,
    error: { type: "rate_limit_error" },
    headers: { "retry-after": "1" },
  };
  await withChain(
    { openai: [rateLimited, rateLimited], anthropic: [okOther] },
    {},
    async (c) => {
      const { events } = await collect(c.router.generate(stageRequest()));
      assert.equal(c.openai.requests.length, 2);
      assert.equal(c.anthropic.requests.length, 1);
      assert.deepEqual(completedOf(events).output, otherOutput);
    },
  );
});

Deno.test("router: 429 without retry-after, or one past the bound, falls back at once", async () => {
  for (const headers of [{}, { "retry-after": "60" }] as Record<string, string>[]) {
    const reply: FakeReply = { status: 429, error: { type: "rate_limit_error" }, headers };
    await withChain({ openai: [reply, ok], anthropic: [okOther] }, {}, async (c) => {
      const { events } = await collect(c.router.generate(stageRequest()));
      assert.deepEqual(c.sleeps, []);
      assert.equal(c.openai.requests.length, 1);
      assert.deepEqual(starts(events), ["openai", "anthropic"]);
      assert.deepEqual(completedOf(events).output, otherOutput);
    });
  }
});

Deno.test("router: insufficient_quota falls back after exactly one call, retry-after ignored", async () => {
  const quota: FakeReply = {
    status: 429,
    error: { type: "insufficient_quota", code: "insufficient_quota" },
    headers: { "retry-after": "1" },
  };
  await withChain({ openai: [quota, ok], anthropic: [okOther] }, {}, async (c) => {
    const { events } = await collect(c.router.generate(stageRequest()));
    assert.equal(c.openai.requests.length, 1);
    assert.deepEqual(c.sleeps, []);
    assert.equal(c.anthropic.requests.length, 1);
    assert.deepEqual(completedOf(events).output, otherOutput);
  });
});

Deno.test("router: 500, 529 and auth errors fall back to the next provider", async () => {
  const replies: FakeReply[] = [
    { status: 500, error: { type: "server_error" } },
    { status: 529, error: { type: "overloaded_error" } },
    { status: 401, error: { type: "authentication_error" } },
  ];
  for (const reply of replies) {
    await withChain({ openai: [reply, ok], anthropic: [okOther] }, {}, async (c) => {
      const { events, error } = await collect(c.router.generate(stageRequest()));
      assert.equal(error, undefined);
      assert.equal(c.openai.requests.length, 1, `status ${reply.status}`);
      assert.deepEqual(completedOf(events).output, otherOutput);
    });
  }
});

Deno.test("router: overloaded mid-stream restarts cleanly on the next provider", async () => {
  const overloaded: FakeReply = {
    output: validOutput,
    chunkChars: 12,
    streamError: { afterChunks: 6, type: "overloaded_error" },
  };
  await withChain(
    { anthropic: [overloaded], openai: [okOther] },
    { order: ["anthropic", "openai"] },
    async (c) => {
      const { events, error } = await collect(c.router.generate(stageRequest()));
      assert.equal(error, undefined);
      assert.deepEqual(starts(events), ["anthropic", "openai"]);
      const restart = events.findIndex((e, i) => i > 0 && e.type === "started");
      const before = events.slice(0, restart).filter((e) => e.type === "delta");
      const after = events.slice(restart).filter((e) => e.type === "delta") as {
        partial: { workingName?: string };
      }[];
      assert.ok(before.length > 0, "the first provider had streamed partial output");
      assert.ok(after.length > 0);
      // Each partial after the restart is a prefix of the second answer alone.
      for (const { partial } of after) {
        if (partial.workingName !== undefined) {
          assert.ok(otherOutput.workingName.startsWith(partial.workingName), partial.workingName);
        }
      }
      const completed = completedOf(events);
      assert.deepEqual(completed.output, otherOutput);
      assert.equal(completed.usage.provider, "openai");
    },
  );
});

Deno.test("router: a slow first token times out and falls back; the slow connection is closed", async () => {
  await withChain(
    { openai: [{ output: validOutput, firstTokenDelayMs: 3_000 }], anthropic: [okOther] },
    { timeouts: { firstTokenMs: 150 } },
    async (c) => {
      const started = performance.now();
      const { events, error } = await collect(c.router.generate(stageRequest()));
      assert.equal(error, undefined);
      assert.ok(performance.now() - started < 2_000);
      assert.deepEqual(starts(events), ["openai", "anthropic"]);
      assert.deepEqual(completedOf(events).output, otherOutput);
      await c.openai.requests[0].finished;
      assert.equal(c.openai.requests[0].clientClosed, true);
    },
  );
});

Deno.test("router: its own first-token timeout guards every provider", async () => {
  await withChain(
    { openai: [{ output: validOutput, firstTokenDelayMs: 3_000 }], anthropic: [okOther] },
    { router: { timeouts: { firstTokenMs: 150 } } },
    async (c) => {
      const { events, error } = await collect(c.router.generate(stageRequest()));
      assert.equal(error, undefined);
      assert.deepEqual(completedOf(events).output, otherOutput);
      await c.openai.requests[0].finished;
      assert.equal(c.openai.requests[0].clientClosed, true);
    },
  );
});

Deno.test("router: a stream cut without its end falls back", async () => {
  const cut: FakeReply = { output: validOutput, chunkChars: 12, cutAfterChunks: 4 };
  await withChain({ openai: [cut], anthropic: [okOther] }, {}, async (c) => {
    const { events, error } = await collect(c.router.generate(stageRequest()));
    assert.equal(error, undefined);
    assert.deepEqual(starts(events), ["openai", "anthropic"]);
    assert.deepEqual(completedOf(events).output, otherOutput);
  });
});

Deno.test("router: invalid JSON is repaired on the same provider", async () => {
  const broken: FakeReply = { output: '{"workingName": "Harvest Box", "features": [' };
  await withChain({ openai: [broken, ok], anthropic: [okOther] }, {}, async (c) => {
    const { events, error } = await collect(c.router.generate(stageRequest()));
    assert.equal(error, undefined);
    assert.equal(c.openai.requests.length, 2);
    assert.equal(c.anthropic.requests.length, 0);
    assert.match(JSON.stringify(c.openai.requests[1].body), /not valid JSON/);
    assert.deepEqual(completedOf(events).output, validOutput);
  });
});

Deno.test("router: a cached output replays with zero upstream calls, cached and free", async () => {
  await withChain(
    { openai: [{ ...ok, usage: { inputTokens: 500, outputTokens: 200 } }], anthropic: [] },
    { router: { cache: true } },
    async (c) => {
      const first = await collect(c.router.generate(stageRequest()));
      assert.ok(completedOf(first.events).usage.costUsd > 0);
      assert.equal(c.openai.requests.length, 1);

      const second = await collect(c.router.generate(stageRequest()));
      assert.equal(second.error, undefined);
      assert.equal(c.openai.requests.length, 1);
      assert.equal(c.anthropic.requests.length, 0);
      assert.equal(second.events[0].type, "started");
      assert.ok(second.events.some((e) => e.type === "delta"));
      const completed = completedOf(second.events);
      assert.deepEqual(completed.output, validOutput);
      assert.equal(completed.usage.cached, true);
      assert.equal(completed.usage.costUsd, 0);
      assert.equal(completed.usage.provider, "openai");

      // A different directive is a different call.
      await collect(
        c.router.generate(stageRequest({ directive: "a booking app for dog walkers" })),
      );
      assert.equal(c.openai.requests.length, 2);
    },
  );
});

Deno.test("router: cancelling stops the stage without fallback and closes the upstream connection", async () => {
  const slow: FakeReply = { output: validOutput, chunkChars: 4, tokensPerSecond: 20 };
  await withChain({ openai: [slow], anthropic: [okOther] }, {}, async (c) => {
    const controller = new AbortController();
    let error: unknown;
    try {
      for await (const event of c.router.generate(stageRequest({ signal: controller.signal }))) {
        if (event.type === "delta") controller.abort();
      }
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ProviderError);
    assert.equal(error.kind, "aborted");
    assert.equal(c.anthropic.requests.length, 0);
    await c.openai.requests[0].finished;
    assert.equal(c.openai.requests[0].clientClosed, true);
    assert.equal(c.openai.openConnections, 0);
  });
});

Deno.test("router: a consumer that stops reading closes the upstream connection", async () => {
  const slow: FakeReply = { output: validOutput, chunkChars: 4, tokensPerSecond: 20 };
  await withChain({ openai: [slow], anthropic: [] }, {}, async (c) => {
    for await (const event of c.router.generate(stageRequest())) {
      if (event.type === "delta") break;
    }
    await c.openai.requests[0].finished;
    assert.equal(c.openai.requests[0].clientClosed, true);
  });
});

Deno.test("router: an exhausted daily budget makes no upstream call", async () => {
  await withChain({ openai: [ok], anthropic: [okOther] }, {
    router: { budget: { userDailyUsd: 1 } },
  }, async (c) => {
    await createSpendLedger(c.kv).add("user-1", 1.25);
    const { error } = await collect(c.router.generate({ ...stageRequest(), userId: "user-1" }));
    assert.ok(error instanceof BudgetExceededError);
    assert.ok(error instanceof ProviderError);
    assert.equal(error.retryable, false);
    assert.match(error.message, /Daily AI budget of \$1\.00 reached/);
    assert.equal(c.openai.requests.length + c.anthropic.requests.length, 0);

    // Another user is unaffected, and their spend is recorded.
    const { events } = await collect(c.router.generate({ ...stageRequest(), userId: "user-2" }));
    const spent = await createSpendLedger(c.kv).spentUsd("user-2");
    assert.equal(spent, completedOf(events).usage.costUsd);
    assert.ok(spent > 0);
  });
});

Deno.test("router: spend is recorded even when the consumer stops at the completion", async () => {
  await withChain(
    { openai: [{ ...ok, usage: { inputTokens: 1000, outputTokens: 1000 } }], anthropic: [] },
    { router: { budget: { userDailyUsd: 1 } } },
    async (c) => {
      let cost = 0;
      for await (const event of c.router.generate({ ...stageRequest(), userId: "u" })) {
        if (event.type === "completed") {
          cost = event.usage.costUsd;
          break;
        }
      }
      assert.ok(cost > 0);
      assert.equal(await createSpendLedger(c.kv).spentUsd("u"), cost);
    },
  );
});

Deno.test("router: a cached output is served free even to a user over budget", async () => {
  await withChain({ openai: [ok], anthropic: [] }, {
    router: { cache: true, budget: { userDailyUsd: 1 } },
  }, async (c) => {
    await collect(c.router.generate({ ...stageRequest(), userId: "u" }));
    await createSpendLedger(c.kv).add("u", 5);
    const cached = await collect(c.router.generate({ ...stageRequest(), userId: "u" }));
    assert.equal(completedOf(cached.events).usage.cached, true);
    const fresh = await collect(
      c.router.generate({ ...stageRequest({ directive: "something new" }), userId: "u" }),
    );
    assert.ok(fresh.error instanceof BudgetExceededError);
    assert.equal(c.openai.requests.length, 1);
  });
});

Deno.test("router: when every provider fails, the error summarises the last one", async () => {
  await withChain(
    {
      openai: [{ status: 500, error: { type: "server_error" } }],
      anthropic: [{ status: 529, error: { type: "overloaded_error" } }],
    },
    {},
    async (c) => {
      const { events, error } = await collect(c.router.generate(stageRequest()));
      assert.deepEqual(starts(events), ["openai", "anthropic"]);
      assert.ok(error instanceof ProviderError);
      assert.equal(error.kind, "overloaded");
      assert.equal(error.provider, "anthropic");
      assert.equal(error.retryable, true);
      assert.match(error.message, /openai \(server\), anthropic \(overloaded\)/);
    },
  );
  await withChain(
    {
      openai: [{ status: 500, error: { type: "server_error" } }],
      anthropic: [{ status: 400, error: { type: "invalid_request_error" } }],
    },
    {},
    async (c) => {
      const { error } = await collect(c.router.generate(stageRequest()));
      assert.ok(error instanceof ProviderError);
      assert.equal(error.kind, "bad_request");
      assert.equal(error.retryable, false);
    },
  );
});

Deno.test("router: a compatible server without json_schema still completes", async () => {
  await withChain({ openai: [ok], anthropic: [] }, { rejectJsonSchema: true }, async (c) => {
    const { events, error } = await collect(c.router.generate(stageRequest()));
    assert.equal(error, undefined);
    assert.deepEqual(completedOf(events).output, validOutput);
    assert.equal(
      (c.openai.requests[1].body as { response_format: { type: string } }).response_format.type,
      "json_object",
    );
  });
});

Deno.test("router: the system prompt never appears in any event, even when the model leaks it", async () => {
  const leakOpenAI = (request: RecordedRequest) => ({
    ...validOutput,
    tagline: (request.body as { messages: { content: string }[] }).messages[0].content,
  });
  const leakAnthropic = (request: RecordedRequest) => ({
    ...otherOutput,
    workingName: (request.body as { system: string }).system,
  });
  await withChain(
    {
      openai: [{ output: leakOpenAI, streamError: { afterChunks: 30, type: "server_error" } }],
      anthropic: [{ output: leakAnthropic, chunkChars: 40 }],
    },
    {},
    async (c) => {
      const { events, error } = await collect(c.router.generate(stageRequest()));
      assert.equal(error, undefined);
      const systems = [
        (c.openai.requests[0].body as { messages: { content: string }[] }).messages[0].content,
        (c.anthropic.requests[0].body as { system: string }).system,
      ];
      const text = JSON.stringify(events);
      for (const system of systems) {
        for (const line of system.split("\n").filter((l) => l.length >= 24)) {
          assert.ok(!text.includes(JSON.stringify(line).slice(1, -1)), `leaked: ${line}`);
        }
      }
    },
  );
});
