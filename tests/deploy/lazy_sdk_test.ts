/**
 * Issue 14 item 6: the OpenAI and Anthropic SDKs load on first use. server.ts's static module
 * graph does not contain them, a start with both keys set does not import them, and the
 * first call does.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { createAnthropicProvider } from "../../app/llm/anthropic.server.ts";
import { createOpenAIProvider } from "../../app/llm/openai.server.ts";
import { loadedSdks } from "../../app/llm/sdk.server.ts";
import type { Provider } from "../../app/llm/types.ts";

const ROOT = new URL("../../", import.meta.url);
const SDKS = /^npm:\/?(openai|@anthropic-ai\/sdk)@/;

interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

Deno.test("server.ts's static module graph holds neither SDK; they are dynamic imports", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "server.ts"],
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const info = JSON.parse(new TextDecoder().decode(stdout));
  const modules = new Map<string, InfoModule>(
    (info.modules as InfoModule[]).map((m) => [m.specifier, m]),
  );
  const redirects: Record<string, string> = info.redirects ?? {};
  const resolve = (specifier: string) => redirects[specifier] ?? specifier;
  const staticGraph = new Set<string>();
  const dynamic: string[] = [];
  const queue = [...(info.roots as string[])];
  while (queue.length) {
    const specifier = resolve(queue.pop()!);
    if (staticGraph.has(specifier)) continue;
    staticGraph.add(specifier);
    for (const dep of modules.get(specifier)?.dependencies ?? []) {
      if (!dep.code) continue; // type-only
      if (dep.isDynamic) dynamic.push(dep.code.specifier);
      else queue.push(dep.code.specifier);
    }
  }
  assert.ok(staticGraph.size > 50, `walked ${staticGraph.size} modules`);
  assert.ok(
    [...staticGraph].some((s) => s.endsWith("/app/llm/openai.server.ts")),
    "the providers themselves are loaded",
  );
  assert.deepEqual([...staticGraph].filter((s) => SDKS.test(s)), []);
  const lazy = new Set(dynamic.map((s) => SDKS.exec(resolve(s))?.[1]).filter(Boolean));
  assert.deepEqual([...lazy].sort(), ["@anthropic-ai/sdk", "openai"]);
});

Deno.test("a start with both API keys set does not import either SDK", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--preload",
        new URL("tests/deploy/sdk_stub.ts", ROOT).pathname,
        new URL("server.ts", ROOT).pathname,
      ],
      cwd: ROOT.pathname,
      env: {
        DATA_DIR: dataDir,
        KV_PATH: ":memory:",
        PORT: "8000",
        OPENAI_API_KEY: "sk-test",
        ANTHROPIC_API_KEY: "sk-ant-test",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(stdout);
    const line = out.split("\n").find((l) => l.startsWith("SDK_STUB "));
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    assert.ok(line, out);
    assert.deepEqual(JSON.parse(line.slice("SDK_STUB ".length)), {
      openai: false,
      anthropic: false,
    });
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("each SDK loads on its provider's first call, and the call fails as a provider error", async () => {
  // A port that refuses connections: the call reaches the SDK and fails fast.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const origin = `http://127.0.0.1:${listener.addr.port}`;
  listener.close();
  const openai = createOpenAIProvider({
    apiKey: "sk-test",
    baseUrl: `${origin}/v1`,
    models: { fast: "gpt-4o-mini", strong: "gpt-4o" },
  });
  const anthropic = createAnthropicProvider({
    apiKey: "sk-ant-test",
    baseUrl: origin,
    models: { fast: "claude-fast", strong: "claude-strong" },
  });
  assert.deepEqual(loadedSdks(), { openai: false, anthropic: false }, "configured, not loaded");
  const call = async (provider: Provider) => {
    const request = {
      stage: "product" as const,
      directive: "a marketplace where local farmers sell vegetable boxes",
      inputs: {},
      schema: z.object({ name: z.string() }),
      schemaVersion: 1,
      signal: new AbortController().signal,
    };
    try {
      for await (const _ of provider.generate(request)) { /* drain */ }
    } catch (error) {
      return error as { kind?: string };
    }
    return null;
  };
  const failed = await call(openai);
  assert.equal(failed?.kind, "connection");
  assert.deepEqual(loadedSdks(), { openai: true, anthropic: false });
  assert.equal((await call(anthropic))?.kind, "connection");
  assert.deepEqual(loadedSdks(), { openai: true, anthropic: true });
});
