/**
 * Hostile model output (issue 13 items 4, 9 and 12): an answer that never ends is cut at a
 * limit derived from max_tokens; NUL and lone surrogates are cleaned instead of failing the
 * stage as `internal`; a system prompt copied with doubled spaces or other case is redacted.
 */
import assert from "node:assert/strict";
import { createOpenAIProvider } from "../../app/llm/openai.server.ts";
import { createAnthropicProvider } from "../../app/llm/anthropic.server.ts";
import { answerCharLimit } from "../../app/llm/answer_limit.server.ts";
import { ProviderError } from "../../app/llm/types.ts";
import { startFakeHttpServer } from "../fakes/http.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { startFakeLocal } from "../fakes/local.ts";
import { collect, stageRequest, validOutput } from "../fakes/stage_fixtures.ts";
import { Browser, startTestApp } from "../support/app.ts";
import { readSse } from "../support/scripted.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";
import { stageJsonSchema } from "../../app/llm/structured_output.server.ts";
import { stageSchemas } from "../../app/blueprint/schemas.ts";
import type { StageName } from "../../app/blueprint/stages.ts";
import type { RecordedRequest } from "../fakes/http.ts";

/** A server that streams content forever (until the client leaves), counting what it sent. */
function endlessServer(piece: string) {
  let sent = 0;
  const server = startFakeHttpServer(async (_request, response) => {
    await response.start(200, { "content-type": "text/event-stream" });
    const chunk = `data: ${
      JSON.stringify({
        id: "x",
        object: "chat.completion.chunk",
        created: 0,
        model: "m",
        choices: [{ index: 0, delta: { content: piece }, finish_reason: null }],
      })
    }\n\n`;
    await response.write(chunk.replace(piece, '{\\"a\\": \\"'));
    // Far beyond any limit; stops as soon as the client closes the connection.
    for (let i = 0; i < 200_000 && !response.clientGone; i++) {
      await response.write(chunk);
      sent += piece.length;
    }
    await response.end();
  });
  return {
    server,
    get sent() {
      return sent;
    },
  };
}

Deno.test("hostile model: an endless answer is aborted past the max_tokens limit (13.4)", async () => {
  const endless = endlessServer("x".repeat(4_000));
  try {
    const provider = createOpenAIProvider({
      apiKey: "sk-test",
      baseUrl: `${endless.server.origin}/v1`,
      models: { fast: "gpt-4o-mini", strong: "gpt-4o" },
      maxTokens: { fast: 1_000, strong: 1_000 },
    });
    const { error } = await collect(provider.generate(stageRequest()));
    assert.ok(error instanceof ProviderError, String(error));
    assert.equal(error.kind, "invalid_output");
    assert.match(error.message, /exceeded \d+ characters/);
    await endless.server.requests[0].finished;
    assert.ok(endless.server.requests[0].clientClosed, "the upstream request was closed");
    // The server would send 800 MB; it got to send the limit plus what fits in socket buffers.
    console.log(
      `endless answer: limit ${answerCharLimit(1_000)} chars, sent ${endless.sent} bytes`,
    );
    assert.ok(endless.sent < 32_000_000, `sent ${endless.sent}`);
  } finally {
    await endless.server.close();
  }
});

Deno.test("hostile model: a body that grows without content is cut by the wire-byte limit (13.4)", async () => {
  // Keep-alive comments forever: no content token, so only the byte count can stop it.
  const server = startFakeHttpServer(async (_request, response) => {
    await response.start(200, { "content-type": "text/event-stream" });
    const comment = `: ${"k".repeat(16_000)}\n\n`;
    for (let i = 0; i < 100_000 && !response.clientGone; i++) await response.write(comment);
    await response.end();
  });
  try {
    const provider = createAnthropicProvider({
      apiKey: "sk-ant-test",
      baseUrl: server.origin,
      models: { fast: "claude-3-5-haiku-latest", strong: "claude-sonnet-4-20250514" },
      maxTokens: { fast: 500, strong: 500 },
    });
    const { error } = await collect(provider.generate(stageRequest()));
    assert.ok(error instanceof ProviderError, String(error));
    assert.equal(error.kind, "invalid_output");
    assert.match(error.message, /exceeded \d+ bytes/);
    await server.requests[0].finished;
    assert.ok(server.requests[0].clientClosed);
  } finally {
    await server.close();
  }
});

Deno.test("hostile model: a system prompt copied with doubled spaces and other case is redacted (13.12)", async () => {
  const systemOf = (request: RecordedRequest) =>
    (request.body as { messages: { role: string; content: string }[] }).messages[0].content;
  const fake = startFakeOpenAI([{
    output: (request: RecordedRequest) => {
      const lines = systemOf(request).split("\n").filter((line) => line.length >= 40);
      const mangled = lines.map((line) => line.replace(/ /g, "  ").toUpperCase()).join("\n");
      return { ...validOutput, workingName: "Leak", tagline: `Rules:\n${mangled}` };
    },
    chunkChars: 400,
  }]);
  try {
    const provider = createOpenAIProvider({
      apiKey: "sk-test",
      baseUrl: fake.url,
      models: { fast: "gpt-4o-mini", strong: "gpt-4o" },
    });
    const { events, error } = await collect(provider.generate(stageRequest()));
    assert.equal(error, undefined);
    const system = systemOf(fake.requests[0]);
    const text = JSON.stringify(events).toLowerCase().replace(/\s+/g, " ");
    for (const line of system.split("\n").filter((line) => line.length >= 40)) {
      const words = line.replace(/^- /, "").trim().toLowerCase().replace(/\s+/g, " ");
      assert.ok(!text.includes(JSON.stringify(words).slice(1, -1)), `leaked: ${line}`);
    }
    assert.match(JSON.stringify(events), /\[redacted\]/);
  } finally {
    await fake.close();
  }
});

Deno.test("hostile model: NUL and lone surrogates in model output are cleaned, the stage completes (13.9)", async () => {
  const DIRECTIVE = "A marketplace where local farmers sell vegetable boxes";
  const stageOf = (request: RecordedRequest) =>
    (request.body as { response_format: { json_schema: { name: string } } }).response_format
      .json_schema.name.replace(/_stage$/, "") as StageName;
  const fake = startFakeLocal((request) => ({
    key: stageOf(request),
    output: generateStage(stageOf(request), DIRECTIVE),
    jsonSchema: stageJsonSchema(stageSchemas[stageOf(request)]),
  }), { values: ["controlChars"] });
  const app = await startTestApp({
    env: { OPENAI_API_KEY: "sk-local", OPENAI_BASE_URL: fake.url, LLM_PROVIDERS: "openai" },
  });
  try {
    const browser = new Browser(app);
    await (await browser.post("/signup", {
      email: "nul@example.com",
      password: "correct horse battery staple",
    })).body?.cancel();
    const created = await browser.post("/projects", { directive: DIRECTIVE });
    await created.body?.cancel();
    const id = created.headers.get("location")!.split("/").pop()!;
    const events = await readSse(await browser.request(`/projects/${id}/events`), {
      until: (e) => e.event === "generation.completed" || e.event === "stage.failed",
    });
    assert.equal(events.at(-1)!.event, "generation.completed", JSON.stringify(events.at(-1)));
    const rows = await app.services.repos.generations.list({ projectId: id });
    assert.equal(rows.length, 5);
    for (const row of rows) {
      const text = JSON.stringify(row.output);
      assert.ok(!text.includes("\\u0000") && text.isWellFormed(), row.stage);
    }
    const page = await browser.request(`/projects/${id}`);
    assert.equal(page.status, 200);
    await page.body?.cancel();
  } finally {
    await app.close();
    await fake.close();
  }
});
