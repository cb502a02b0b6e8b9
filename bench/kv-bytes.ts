/**
 * KV bytes written per generation (issue 14 item 2): one full generation through the real
 * pipeline on an in-memory KV wrapped to count every key and value it writes, with a provider
 * streaming each stage's (offline engine) output as ~4-character tokens at 80 tokens/s on a
 * virtual clock, so the figure is the same on a busy machine and takes no wall time.
 * `deno run -A bench/kv-bytes.ts` prints the row alone.
 */
import { openDatabase } from "../app/db/client.server.ts";
import { migrate } from "../app/db/migrate.server.ts";
import { createRepositories } from "../app/db/repositories.server.ts";
import { createPipeline } from "../app/generation/pipeline.server.ts";
import type { GenerateStage } from "../app/generation/pipeline.server.ts";
import { makeSlug } from "../app/projects/projects.server.ts";
import { createPartialJsonParser } from "../app/llm/partial_json.ts";
import { generateStage } from "../app/llm/offline/mod.ts";
import type { Row } from "./table.ts";

const TOKENS_PER_SECOND = 80;
const CHARS_PER_TOKEN = 4;
const GOAL_RATIO = 3;
const DIRECTIVE = "a marketplace where local farmers sell vegetable boxes";

const encoder = new TextEncoder();
function sizeOf(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength;
  return encoder.encode(JSON.stringify(value ?? null)).byteLength;
}

/** Counts the bytes of every key and value written through `kv` (set, sum, delete). */
export function countingKv(kv: Deno.Kv) {
  const counted = { bytes: 0, commits: 0, sets: 0, byPrefix: {} as Record<string, number> };
  const note = (key: unknown, n: number) => {
    const prefix = String((key as unknown[])[0]);
    counted.byPrefix[prefix] = (counted.byPrefix[prefix] ?? 0) + n;
    counted.bytes += n;
  };
  const wrapOp = (op: Deno.AtomicOperation): Deno.AtomicOperation =>
    new Proxy(op, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (prop === "set") {
            counted.sets++;
            note(args[0], sizeOf(args[0]) + sizeOf(args[1]));
          } else if (prop === "sum" || prop === "delete" || prop === "max" || prop === "min") {
            note(args[0], sizeOf(args[0]) + (args.length > 1 ? 8 : 0));
          } else if (prop === "commit") {
            counted.commits++;
          }
          const result = value.apply(target, args);
          return result === target ? receiverOf(target) : result;
        };
      },
    });
  const wrapped = new WeakMap<Deno.AtomicOperation, Deno.AtomicOperation>();
  const receiverOf = (op: Deno.AtomicOperation) => {
    let proxy = wrapped.get(op);
    if (!proxy) wrapped.set(op, proxy = wrapOp(op));
    return proxy;
  };
  const proxy = new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "atomic") return () => receiverOf(target.atomic());
      if (prop === "set") {
        return (key: Deno.KvKey, v: unknown, options?: unknown) => {
          note(key, sizeOf(key) + sizeOf(v));
          counted.sets++;
          counted.commits++;
          return target.set(key, v, options as never);
        };
      }
      if (prop === "delete") {
        return (key: Deno.KvKey) => {
          note(key, sizeOf(key));
          counted.commits++;
          return target.delete(key);
        };
      }
      return value.bind(target);
    },
  });
  return { kv: proxy, counted };
}

/** Measures one generation; resolves to bytes written, commits and the final output size. */
export async function measureKvBytes(): Promise<
  { bytes: number; commits: number; outputBytes: number; events: number }
> {
  const base = await Deno.openKv(":memory:");
  const { kv, counted } = countingKv(base);
  const dataDir = await Deno.makeTempDir({ prefix: "atlas9-bench-kv-" });
  const database = await openDatabase({ url: "memory://", dataDir });
  try {
    await migrate(database.db);
    const repos = createRepositories({ db: database.db, readDb: database.readDb });
    let clock = Date.now();
    let streaming = 0;
    let outputBytes = 0;
    const generate: GenerateStage = async function* (request) {
      yield { type: "started", provider: "paced", model: "paced-80" };
      const output = generateStage(request.stage, request.directive, request.inputs as never);
      const text = JSON.stringify(output);
      outputBytes += encoder.encode(text).byteLength;
      const parser = createPartialJsonParser();
      streaming++;
      try {
        for (let i = 0; i < text.length; i += CHARS_PER_TOKEN) {
          parser.push(text.slice(i, i + CHARS_PER_TOKEN));
          // Parallel stages share the clock: each stream still sees 80 tokens/s.
          clock += 1000 / TOKENS_PER_SECOND / streaming;
          yield {
            type: "delta",
            get partial() {
              return parser.snapshot();
            },
          };
        }
      } finally {
        streaming--;
      }
      yield {
        type: "completed",
        output,
        usage: {
          provider: "paced",
          model: "paced-80",
          inputTokens: 1,
          outputTokens: Math.ceil(text.length / CHARS_PER_TOKEN),
          costUsd: 0,
          ttftMs: 0,
          durationMs: 0,
          cached: false,
        },
      };
    };
    const pipeline = createPipeline({ kv, repos, generate, now: () => clock });
    const user = await repos.users.create({ email: "kv-bench@example.com", passwordHash: "x" });
    const project = await repos.projects.create({
      userId: user.id,
      directive: DIRECTIVE,
      title: DIRECTIVE,
      slug: makeSlug(DIRECTIVE),
    });
    await pipeline.startGeneration({
      projectId: project.id,
      userId: user.id,
      directive: DIRECTIVE,
    });
    await pipeline.idle();
    const events = await pipeline.readEvents((await pipeline.currentJob(project.id))!.id, 0);
    await pipeline.close();
    if (Deno.env.get("KV_BYTES_DEBUG")) console.error(counted.byPrefix);
    return { bytes: counted.bytes, commits: counted.commits, outputBytes, events: events.length };
  } finally {
    await database.close();
    base.close();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
}

/** The bench row. */
export async function kvBytesRows(): Promise<Row[]> {
  const m = await measureKvBytes();
  const ratio = m.bytes / m.outputBytes;
  return [{
    section: "Generation",
    measure: "KV bytes written per generation, 80 tok/s stream (keys + values)",
    result: `${(m.bytes / 1024).toFixed(1)} KiB for ${
      (m.outputBytes / 1024).toFixed(1)
    } KiB of output (${ratio.toFixed(2)}×), ${m.commits} commits, ${m.events} events`,
    goal: `≤ ${GOAL_RATIO}× the final output`,
    status: ratio <= GOAL_RATIO ? "pass" : "fail",
    values: { ...m, ratio },
  }];
}

if (import.meta.main) {
  for (const row of await kvBytesRows()) console.log(`${row.measure}: ${row.result}`);
}
