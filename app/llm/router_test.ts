import assert from "node:assert/strict";
import { z } from "zod";
import { createRouter } from "./router.server.ts";
import { type Provider, ProviderError, type ProviderEvent, type StageRequest } from "./types.ts";

const schema = z.object({ name: z.string() });

function request(signal = new AbortController().signal): StageRequest {
  return { stage: "product", directive: "d", inputs: {}, schema, schemaVersion: 1, signal };
}

function completed(provider: string, name: string): ProviderEvent {
  return {
    type: "completed",
    output: { name },
    usage: {
      provider,
      model: "m",
      inputTokens: 1,
      outputTokens: 1,
      costUsd: 0,
      ttftMs: 1,
      durationMs: 1,
      cached: false,
    },
  };
}

/** An in-process provider that answers from a list of behaviours, one per call. */
function scripted(name: string, calls: ((r: StageRequest) => AsyncIterable<ProviderEvent>)[]) {
  let count = 0;
  const provider: Provider & { calls: () => number } = {
    name,
    calls: () => count,
    generate: (r) => calls[count++](r),
  };
  return provider;
}

async function collect(events: AsyncIterable<ProviderEvent>) {
  const seen: ProviderEvent[] = [];
  try {
    for await (const event of events) seen.push(event);
    return { events: seen };
  } catch (error) {
    return { events: seen, error };
  }
}

async function withKv(body: (kv: Deno.Kv) => Promise<void>) {
  const kv = await Deno.openKv(":memory:");
  try {
    await body(kv);
  } finally {
    kv.close();
  }
}

Deno.test("a provider that ignores its signal is still cut off by the router's deadline", async () => {
  let release: () => void = () => {};
  const hung = new Promise<void>((resolve) => (release = resolve));
  const stuck = scripted("stuck", [async function* () {
    yield { type: "started", provider: "stuck", model: "m" };
    await hung;
  }]);
  const good = scripted("good", [async function* () {
    yield { type: "started", provider: "good", model: "m" };
    yield completed("good", "ok");
  }]);
  await withKv(async (kv) => {
    const router = createRouter({
      providers: [stuck, good],
      kv,
      cache: false,
      timeouts: { firstTokenMs: 50 },
    });
    const started = performance.now();
    const promise = collect(router.generate(request()));
    const { events, error } = await promise;
    release();
    assert.equal(error, undefined);
    assert.ok(performance.now() - started < 2_000);
    assert.deepEqual((events.at(-1) as { output: unknown }).output, { name: "ok" });
  });
});

Deno.test("every attempt starts with a started event, even from a provider that omits it", async () => {
  const bare = scripted("bare", [async function* () {
    yield { type: "delta", partial: { name: "o" } };
    yield completed("bare", "ok");
  }]);
  await withKv(async (kv) => {
    const router = createRouter({ providers: [bare], kv, cache: false });
    const { events } = await collect(router.generate(request()));
    assert.deepEqual(events.map((e) => e.type), ["started", "delta", "completed"]);
    assert.equal((events[0] as { provider: string }).provider, "bare");
  });
});

Deno.test("a provider bug is a server failure: the chain moves on", async () => {
  const buggy = scripted("buggy", [async function* () {
    yield { type: "started", provider: "buggy", model: "m" };
    throw new TypeError("undefined is not a function");
  }]);
  const silent = scripted("silent", [async function* () {
    yield { type: "started", provider: "silent", model: "m" };
  }]);
  await withKv(async (kv) => {
    const router = createRouter({ providers: [buggy, silent], kv, cache: false });
    const { error } = await collect(router.generate(request()));
    assert.ok(error instanceof ProviderError);
    assert.equal(error.kind, "server");
    assert.match(error.message, /buggy \(server\), silent \(server\)/);
  });
});

Deno.test("a provider without describeCall (the offline engine) is never cached", async () => {
  const make = async function* () {
    yield { type: "started", provider: "offline", model: "offline" } as ProviderEvent;
    yield completed("offline", "same");
  };
  const offline = scripted("offline", [make, make]);
  await withKv(async (kv) => {
    const router = createRouter({ providers: [offline], kv, cache: true });
    await collect(router.generate(request()));
    const second = await collect(router.generate(request()));
    assert.equal(offline.calls(), 2);
    assert.equal((second.events.at(-1) as { usage: { cached: boolean } }).usage.cached, false);
    assert.equal((await Array.fromAsync(kv.list({ prefix: ["llm"] }))).length, 0);
  });
});

Deno.test("a cancel during a retry-after wait ends the stage as aborted", async () => {
  const limited = scripted("limited", [async function* (): AsyncGenerator<ProviderEvent> {
    yield { type: "started", provider: "limited", model: "m" };
    throw new ProviderError("rate_limited", "429", { provider: "limited", retryAfterMs: 5_000 });
  }]);
  await withKv(async (kv) => {
    const controller = new AbortController();
    const router = createRouter({ providers: [limited], kv, cache: false });
    setTimeout(() => controller.abort(), 20);
    const { error } = await collect(router.generate(request(controller.signal)));
    assert.ok(error instanceof ProviderError);
    assert.equal(error.kind, "aborted");
    assert.equal(limited.calls(), 1);
  });
});

Deno.test("createRouter refuses an empty chain", async () => {
  await withKv((kv) => {
    assert.throws(() => createRouter({ providers: [], kv, cache: false }), /chain is empty/);
    return Promise.resolve();
  });
});
