/**
 * Load: 200 concurrent event streams on loopback against the production server (server.ts in
 * its own process) generating through the OpenAI-wire fake with the real SDK: zero errors, and
 * the server's memory growth bounded and reported.
 */
import assert from "node:assert/strict";
import { createScratchDatabase, startPostgres } from "../support/postgres.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import type { FakeReply } from "../fakes/llm_script.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";
import { STAGE_NAMES } from "../../app/blueprint/stages.ts";
import { DIRECTIVE, PASSWORD, report, spawnServer, stageOf } from "../support/reliability.ts";

const USERS = 50;
const PROJECTS_PER_USER = 2;
const STREAMS_PER_PROJECT = 2;
const STREAMS = USERS * PROJECTS_PER_USER * STREAMS_PER_PROJECT;
/** Each stage streams in 5 fragments 200 ms apart: about a second, like a fast hosted model. */
const FRAGMENTS = 5;
const FRAGMENT_MS = 200;
/** Heap the server may keep after the load (collected), over its warmed-up baseline. */
const MAX_RETAINED_HEAP_MB = 32;
const MB = 1024 * 1024;

type Event = { id: number; event: string; data: any };

/** Reads an event stream to its end (the server closes it after the last event). */
async function readStream(response: Response): Promise<Event[]> {
  const events: Event[] = [];
  let buffer = "";
  for await (const text of response.body!.pipeThrough(new TextDecoderStream())) {
    buffer += text;
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split("\n")) {
        const i = line.indexOf(":");
        if (i > 0) fields[line.slice(0, i)] = line.slice(i + 1).trimStart();
      }
      if (fields.event) {
        events.push({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data) });
      }
    }
  }
  return events;
}

Deno.test({
  name:
    `load: ${STREAMS} concurrent event streams against the fake provider, zero errors, bounded memory`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const fake = startFakeOpenAI((request): FakeReply => {
      const output = generateStage(stageOf(request), DIRECTIVE);
      const chunkChars = Math.ceil(JSON.stringify(output).length / FRAGMENTS);
      // The fake paces fragments at chunkChars / 4 tokens each.
      return { output, chunkChars, tokensPerSecond: (chunkChars / 4) * (1000 / FRAGMENT_MS) };
    });
    const postgres = await startPostgres();
    const scratch = await createScratchDatabase(postgres.url);
    const dataDir = await Deno.makeTempDir({ prefix: "atlas9-load-" });
    const server = await spawnServer({
      entry: "tests/reliability/gc_server.ts",
      v8Flags: "--expose-gc",
      env: {
        DATA_DIR: dataDir,
        DATABASE_URL: scratch.url,
        SESSION_SECRET: "load-test-secret-load-test-secret-012345",
        LLM_PROVIDERS: "openai",
        OPENAI_API_KEY: "sk-load-test",
        OPENAI_BASE_URL: fake.url,
        TRUST_PROXY: "true",
      },
    });
    const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
    const call = (path: string, init: RequestInit & { ip: string; token?: string }) =>
      fetch(`${server.origin}${path}`, {
        ...init,
        client,
        headers: {
          "Content-Type": "application/json",
          "X-Forwarded-For": init.ip,
          ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
          ...init.headers,
        },
      });
    try {
      const users = await Promise.all(
        Array.from({ length: USERS }, async (_, u) => {
          const ip = `10.77.${Math.floor(u / 200)}.${u % 200 + 1}`;
          const res = await call("/api/v1/users", {
            method: "POST",
            ip,
            body: JSON.stringify({ email: `load-${u}@example.com`, password: PASSWORD }),
          });
          assert.equal(res.status, 201, await res.clone().text());
          return { ip, token: (await res.json()).token as string };
        }),
      );

      // Warm-up: one generation end to end, then the baseline.
      const warm = await call("/api/v1/projects", {
        method: "POST",
        ip: users[0].ip,
        token: users[0].token,
        body: JSON.stringify({ directive: `${DIRECTIVE} (warm-up)` }),
      });
      const warmId = (await warm.json()).id;
      await readStream(
        await call(`/api/v1/projects/${warmId}/events`, { ip: users[0].ip, token: users[0].token }),
      );
      const baseline = await server.collectedMemory();

      let peak = baseline.rss;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, await server.rss());
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();

      const started = performance.now();
      const projects = await Promise.all(
        users.flatMap((user, u) =>
          Array.from({ length: PROJECTS_PER_USER }, async (_, p) => {
            const res = await call("/api/v1/projects", {
              method: "POST",
              ip: user.ip,
              token: user.token,
              body: JSON.stringify({ directive: `${DIRECTIVE} for town ${u}-${p}` }),
            });
            assert.equal(res.status, 201, await res.clone().text());
            return { id: (await res.json()).id as string, user };
          })
        ),
      );
      const streams = await Promise.all(
        projects.flatMap(({ id, user }) =>
          Array.from({ length: STREAMS_PER_PROJECT }, async () => {
            const res = await call(`/api/v1/projects/${id}/events`, {
              ip: user.ip,
              token: user.token,
            });
            assert.equal(res.status, 200);
            return await readStream(res);
          })
        ),
      );
      const elapsedS = (performance.now() - started) / 1000;
      sampling = false;
      await sampler;

      assert.equal(streams.length, STREAMS);
      let errors = 0;
      for (const events of streams) {
        const completed = events.filter((e) => e.event === "stage.completed").length;
        const ok = events.at(-1)?.event === "generation.completed" &&
          completed === STAGE_NAMES.length &&
          !events.some((e) => e.event === "stage.failed") &&
          events.every((e, i) => e.id === i + 1);
        if (!ok) errors++;
      }
      assert.equal(errors, 0, "every stream saw its whole generation, in order");
      assert.doesNotMatch(server.stderr(), /error/i, "the server logged no error");

      // Request metrics are held in memory until their periodic flush (5 s): let it run.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      const after = await server.collectedMemory();
      const retainedHeapMb = (after.heapUsed - baseline.heapUsed) / MB;
      report(`load: ${STREAMS} streams: errors`, errors);
      report(
        `load: ${STREAMS} streams: generations / upstream requests`,
        `${projects.length} / ${fake.requests.length}`,
      );
      report(`load: ${STREAMS} streams: wall time (s)`, elapsedS.toFixed(1));
      report(
        `load: ${STREAMS} streams: server heap / RSS before (MB)`,
        `${mb(baseline.heapUsed)} / ${mb(baseline.rss)}`,
      );
      report(`load: ${STREAMS} streams: peak RSS growth (MB)`, mb(peak - baseline.rss));
      report(
        `load: ${STREAMS} streams: heap / RSS after, collected (MB)`,
        `${mb(after.heapUsed)} / ${mb(after.rss)}`,
      );
      report(`load: ${STREAMS} streams: retained heap growth (MB)`, retainedHeapMb.toFixed(1));
      assert.ok(retainedHeapMb < MAX_RETAINED_HEAP_MB, `retained ${retainedHeapMb.toFixed(1)} MB`);
    } finally {
      client.close();
      await server.stop();
      await fake.close();
      await scratch.drop();
      await postgres.stop();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});

function mb(bytes: number): string {
  return (bytes / MB).toFixed(1);
}
