/**
 * Fault: clients disconnecting mid-stream over real loopback TCP (aborted fetches and raw
 * sockets closed without a word): the server's stream resources (KV watches, heartbeat
 * timers) are released at once, generations still finish for their owners, no upstream LLM
 * request is left running, no rejection goes unhandled, and nothing is left open.
 */
import assert from "node:assert/strict";
import { startTestApp } from "../support/app.ts";
import type { TestApp } from "../support/app.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import type { FakeReply } from "../fakes/llm_script.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";
import { issueToken } from "../../app/api/tokens.server.ts";
import {
  captureConsole,
  createProject,
  DIRECTIVE,
  eventually,
  openResources,
  report,
  signedIn,
  stageOf,
} from "../support/reliability.ts";

/** Serves an in-process app on a loopback port, passing each request's abort signal through. */
function serve(app: TestApp): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const url = new URL(request.url);
    return app.fetch(url.pathname + url.search, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
      redirect: "manual",
    });
  });
}

/** Live intervals created through `setInterval` since `trackIntervals()`. */
function trackIntervals(): { live: Set<unknown>; restore(): void } {
  const live = new Set<unknown>();
  const set = globalThis.setInterval;
  const clear = globalThis.clearInterval;
  globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
    const id = set(...args);
    live.add(id);
    return id;
  }) as typeof setInterval;
  globalThis.clearInterval = ((id?: Parameters<typeof clearInterval>[0]) => {
    live.delete(id);
    clear(id);
  }) as typeof clearInterval;
  return {
    live,
    restore() {
      globalThis.setInterval = set;
      globalThis.clearInterval = clear;
    },
  };
}

Deno.test({
  name: "disconnect: streams cut by clients release everything; jobs finish; no upstream left open",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const fake = startFakeOpenAI((request): FakeReply => ({
      output: generateStage(stageOf(request), DIRECTIVE),
      chunkChars: 400,
      tokensPerSecond: 2_000,
    }));
    const app = await startTestApp({
      env: { LLM_PROVIDERS: "openai", OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.url },
    });
    const server = serve(app);
    const origin = `http://127.0.0.1:${server.addr.port}`;
    const rejections: unknown[] = [];
    const onRejection = (event: PromiseRejectionEvent) => {
      rejections.push(event.reason);
      event.preventDefault();
    };
    globalThis.addEventListener("unhandledrejection", onRejection);
    const logs = captureConsole();
    const intervals = trackIntervals();
    const client = Deno.createHttpClient({});
    try {
      const baseline = openResources();
      const browsers = [];
      const projects: { id: string; cookie: string; token: string }[] = [];
      for (let u = 0; u < 4; u++) {
        const email = `disconnect-${u}@example.com`;
        const browser = await signedIn(app, email);
        browsers.push(browser);
        const userId = (await app.services.repos.users.findByEmail(email))!.id;
        const { token } = await issueToken({ services: app.services, userId, name: "d" });
        for (let p = 0; p < 2; p++) {
          const id = await createProject(browser, `${DIRECTIVE} (${u}-${p})`);
          projects.push({ id, cookie: `__session=${browser.cookie()}`, token });
        }
      }

      // 3 cookie streams and 1 API stream per project, each cut after 1–6 events.
      let cut = 0;
      const readers = projects.flatMap(({ id, cookie, token }, index) =>
        [0, 1, 2, 3].map(async (k) => {
          const controller = new AbortController();
          const api = k === 3;
          const res = await fetch(
            `${origin}${api ? `/api/v1/projects/${id}/events` : `/projects/${id}/events`}`,
            {
              headers: api ? { Authorization: `Bearer ${token}` } : { Cookie: cookie },
              signal: controller.signal,
              client,
            },
          );
          assert.equal(res.status, 200);
          const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
          let events = 0;
          const wanted = 1 + ((index + k) % 6);
          while (events < wanted) {
            const { done, value } = await reader.read();
            if (done) break;
            events += value.split("\n\n").filter((block) => block.includes("event:")).length;
          }
          controller.abort();
          await reader.cancel().catch(() => {});
          cut++;
        })
      );
      // And raw sockets closed abruptly mid-response, on a stream and on a streamed page.
      const raw = projects.slice(0, 4).flatMap(({ id, cookie }) =>
        [`/projects/${id}/events`, `/projects/${id}`].map(async (path) => {
          const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
          const request =
            `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nAccept: text/html\r\n\r\n`;
          await conn.write(new TextEncoder().encode(request));
          await conn.read(new Uint8Array(512));
          conn.close();
          cut++;
        })
      );
      await Promise.all([...readers, ...raw]);

      // The server lets go of every cut stream at once, although the jobs are still running.
      await eventually(() => (openResources().databaseWatcher ?? 0) === 0, {
        timeoutMs: 3_000,
        message: "KV watches of cut streams closed",
      });
      const runningAfterCut = (await Promise.all(
        projects.map(({ id }) => app.services.pipeline.currentJob(id)),
      )).filter((job) => job?.status === "running").length;
      assert.ok(runningAfterCut > 0, "streams were cut while generations ran");

      await app.services.pipeline.idle();
      for (const { id } of projects) {
        assert.equal((await app.services.repos.projects.getById(id))!.status, "completed");
      }
      await eventually(() => fake.openConnections === 0, {
        message: "upstream connections closed",
      });

      client.close();
      await eventually(() => {
        const now = openResources();
        return Object.keys({ ...baseline, ...now }).every((kind) =>
          (now[kind] ?? 0) <= (baseline[kind] ?? 0)
        );
      }, { timeoutMs: 5_000, message: `resources back to ${JSON.stringify(baseline)}` });
      await eventually(() => intervals.live.size === 0, { message: "heartbeat timers cleared" });
      assert.deepEqual(rejections, [], "no unhandled rejection");
      const errors = logs.lines.filter((line) => line.level === "error");
      assert.deepEqual(errors, [], "nothing logged as an error");
      report("disconnect: client connections cut mid-response", cut);
      report("disconnect: generations running when the streams were cut", runningAfterCut);
      report(
        "disconnect: open resources before / after",
        `${count(baseline)} / ${count(openResources())}`,
      );
    } finally {
      intervals.restore();
      logs.restore();
      globalThis.removeEventListener("unhandledrejection", onRejection);
      try {
        client.close();
      } catch {
        // Closed above.
      }
      await server.shutdown();
      await app.services.pipeline.idle();
      await app.close();
      await fake.close();
    }
  },
});

Deno.test({
  name: "disconnect: deleting a project mid-generation aborts its upstream request at once",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const fake = startFakeOpenAI((request): FakeReply => ({
      output: generateStage(stageOf(request), DIRECTIVE),
      chunkChars: 100,
      tokensPerSecond: 200,
    }));
    const app = await startTestApp({
      env: { LLM_PROVIDERS: "openai", OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.url },
    });
    try {
      const owner = await signedIn(app, "cancel@example.com");
      const id = await createProject(owner);
      await eventually(() => fake.openConnections > 0, { message: "upstream request started" });
      const started = performance.now();
      const res = await owner.post(`/projects/${id}`, { intent: "delete", confirm: "yes" });
      assert.equal(res.status, 302);
      await res.body?.cancel();
      await eventually(() => fake.openConnections === 0, {
        timeoutMs: 2_000,
        message: "the upstream connection closed",
      });
      const closedMs = Math.round(performance.now() - started);
      assert.ok(
        fake.requests.every((r) => r.clientClosed),
        "the client closed the upstream request",
      );
      const requestsAfter = fake.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(fake.requests.length, requestsAfter, "no further upstream request");
      report("disconnect: upstream closed after a delete (ms)", closedMs);
    } finally {
      await app.services.pipeline.idle();
      await app.close();
      await fake.close();
    }
  },
});

function count(resources: Record<string, number>): number {
  return Object.values(resources).reduce((a, b) => a + b, 0);
}
