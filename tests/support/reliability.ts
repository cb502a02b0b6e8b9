/**
 * Helpers of the reliability suite (docs/reliability.md): real server processes, figures,
 * database snapshots, console capture and resource counts.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import type { TestApp } from "./app.ts";
import { Browser } from "./app.ts";
import type { RecordedRequest } from "../fakes/http.ts";
import type { StageName } from "../../app/blueprint/stages.ts";
import { stageSchemas } from "../../app/blueprint/schemas.ts";
import { isHex } from "../../app/blueprint/colour.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** The password of every account the suite creates. */
export { PASSWORD, signedIn } from "./web.ts";

/** A directive the offline engine and the fakes handle quickly. */
export const DIRECTIVE = "A marketplace where local farmers sell vegetable boxes";

/** Prints a measured figure as `reliability: <name> = <value>`; docs/reliability.md quotes them. */
export function report(name: string, value: string | number): void {
  console.log(`reliability: ${name} = ${value}`);
}

/** The p-th percentile (0–100) of unsorted samples, nearest-rank. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** The median of samples. */
export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A free loopback port (the server binds it a moment later). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A server process started by the test. */
export interface ServerProcess {
  origin: string;
  pid: number;
  child: Deno.ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /**
   * Heap and RSS after a full garbage collection, in bytes: only for `gc_server.ts` started
   * with `v8Flags: "--expose-gc"`.
   */
  collectedMemory(): Promise<{ heapUsed: number; rss: number }>;
  /** Resident set size of the process, in bytes (Linux /proc). */
  rss(): Promise<number>;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `entry` (default: the production server.ts, as `deno task start` runs it) with `env`
 * on a free loopback port; resolves once it listens.
 */
export async function spawnServer(
  options: { env: Record<string, string>; entry?: string; v8Flags?: string },
): Promise<ServerProcess> {
  const entry = options.entry ?? "server.ts";
  for (let attempt = 1;; attempt++) {
    const port = freePort();
    const args = ["run", "-A", "--unstable-no-legacy-abort"];
    if (options.v8Flags) args.push(`--v8-flags=${options.v8Flags}`);
    const child = new Deno.Command(Deno.execPath(), {
      args: [...args, entry],
      cwd: ROOT,
      env: { HOST: "127.0.0.1", PORT: String(port), ...options.env },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let errText = "";
    const errDone = (async () => {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        errText = (errText + chunk).slice(-200_000);
      }
    })();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    let listening = false;
    while (!listening) {
      const { done, value } = await reader.read();
      if (done) break;
      out += value;
      listening = /listening (on http:\/\/\S+:)?\d+/.test(out);
    }
    if (!listening) {
      await child.status;
      await errDone;
      if (attempt < 3 && /AddrInUse|address already in use/i.test(errText)) continue;
      throw new Error(`server exited before listening:\n${out}\n${errText}`);
    }
    // Keep draining stdout so the child never blocks on a full pipe; pick out memory reports.
    let partial = "";
    const waiting: { resolve?: (line: string) => void } = {};
    (async () => {
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        const lines = (partial + value).split("\n");
        partial = lines.pop()!;
        for (const line of lines) {
          if (line.startsWith("memory ")) waiting.resolve?.(line.slice(7));
        }
      }
    })().catch(() => {});
    const match = /listening (?:on http:\/\/[^:]+:)?(\d+)/.exec(out)!;
    const actualPort = Number(match[1]) || port;
    return {
      origin: `http://127.0.0.1:${actualPort}`,
      pid: child.pid,
      child,
      stderr: () => errText,
      collectedMemory: async () => {
        const line = new Promise<string>((resolve) => (waiting.resolve = resolve));
        child.kill("SIGUSR2");
        const usage = JSON.parse(await line);
        waiting.resolve = undefined;
        return { heapUsed: usage.heapUsed, rss: usage.rss };
      },
      rss: async () => {
        const status = await Deno.readTextFile(`/proc/${child.pid}/status`);
        return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
      },
      async stop() {
        try {
          child.kill("SIGTERM");
        } catch {
          // Already gone.
        }
        await child.status;
        await errDone;
      },
    };
  }
}

/** Creates a project from the form; returns its id. */
export async function createProject(browser: Browser, directive = DIRECTIVE): Promise<string> {
  const res = await browser.post("/projects", { directive });
  assert.equal(res.status, 302, `create answered ${res.status}`);
  await res.body?.cancel();
  const id = /^\/projects\/([0-9A-Z]{26})$/.exec(res.headers.get("location") ?? "")?.[1];
  assert.ok(id, `redirected to ${res.headers.get("location")}`);
  return id;
}

/** Every row of every table of the app's database, for before/after comparisons. */
export async function snapshotDatabase(
  app: TestApp,
  options: { ignoreColumns?: string[] } = {},
): Promise<Record<string, unknown[]>> {
  const db = app.services.database.db;
  const rowsOf = (result: unknown) => (result as { rows: Record<string, unknown>[] }).rows;
  const tables = rowsOf(
    await db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    ),
  ).map((row) => String(row.table_name));
  const ignore = new Set(options.ignoreColumns ?? []);
  const snapshot: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = rowsOf(await db.execute(sql.raw(`select * from "${table}"`)));
    snapshot[table] = rows
      .map((row) =>
        JSON.stringify(
          Object.fromEntries(
            Object.entries(row).filter(([column]) => !ignore.has(`${table}.${column}`)),
          ),
        )
      )
      .sort();
  }
  return snapshot;
}

/** Console output captured while `capture` is active; `restore` puts the console back. */
export interface CapturedConsole {
  lines: { level: string; text: string }[];
  restore(): void;
}

/** Records (and still prints) everything written through console.log/info/warn/error/debug. */
export function captureConsole(options: { quiet?: boolean } = {}): CapturedConsole {
  const levels = ["log", "info", "warn", "error", "debug"] as const;
  const originals = Object.fromEntries(levels.map((level) => [level, console[level]]));
  const lines: { level: string; text: string }[] = [];
  for (const level of levels) {
    console[level] = (...args: unknown[]) => {
      lines.push({
        level,
        text: args.map((a) =>
          typeof a === "string" ? a : Deno.inspect(a, { depth: 8, colors: false })
        ).join(" "),
      });
      if (!options.quiet) originals[level](...args);
    };
  }
  return {
    lines,
    restore() {
      for (const level of levels) console[level] = originals[level];
    },
  };
}

/** Open resources of this process (sockets, files, KV watches, streams), by kind. */
export function openResources(): Record<string, number> {
  const core =
    (Deno as unknown as Record<symbol, { core: { resources(): Record<string, string> } }>)[
      (Deno as unknown as { internal: symbol }).internal
    ].core;
  const counts: Record<string, number> = {};
  for (const name of Object.values(core.resources())) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/** Waits until `condition` holds, polling; fails after `timeoutMs`. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting: ${options.message ?? "condition"}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}

/** The stage a request to a fake LLM server asks for (OpenAI schema name or Anthropic tool). */
export function stageOf(request: RecordedRequest): StageName {
  const body = request.body as {
    response_format?: { json_schema?: { name?: string } };
    tool_choice?: { name?: string };
  };
  const name = body.response_format?.json_schema?.name?.replace(/_stage$/, "") ??
    body.tool_choice?.name?.replace(/^emit_/, "");
  return name as StageName;
}

/** One route of the built app, with its full URL pattern. */
export interface RouteInfo {
  id: string;
  /** e.g. `/projects/:id/export.zip`, `/api/v1/*`. */
  path: string;
  loader: boolean;
  action: boolean;
  /** Renders a page (has a default export), as opposed to a resource route. */
  page: boolean;
}

/** Every route of build/index.js (what `deno task build` produced), root excluded. */
export async function routeTable(): Promise<RouteInfo[]> {
  const build = await import(new URL("build/index.js", `file://${ROOT}`).href) as {
    routes: Record<
      string,
      {
        path?: string;
        parentId?: string;
        module: { loader?: unknown; action?: unknown; default?: unknown };
      }
    >;
  };
  const fullPath = (id: string): string => {
    const route = build.routes[id];
    const parent = route.parentId && route.parentId !== "root" ? fullPath(route.parentId) : "";
    return route.path ? `${parent}/${route.path}` : parent || "/";
  };
  return Object.entries(build.routes)
    .filter(([id]) => id !== "root")
    .map(([id, route]) => ({
      id,
      path: fullPath(id),
      loader: typeof route.module.loader === "function",
      action: typeof route.module.action === "function",
      page: typeof route.module.default === "function",
    }));
}

/** A route pattern with its `:params` (and `*`) replaced from `values`. */
export function fillPath(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/:(\w+)|\*/g, (token, name) => {
    const value = values[name ?? "*"];
    if (value === undefined) throw new Error(`no value for ${token} in ${pattern}`);
    return value;
  });
}

/** Keys whose values are references or identifiers: left alone, so the blueprint stays coherent. */
const REFERENCE_KEY = /^(id|.*Id|.*Ids|entity|target|references|entrypoint|path|route)$/;

/**
 * A copy of a stage output with `valueAt(i)` in every text field whose schema accepts it
 * (fields with a format — enums, lengths, colours — keep their value); and how many changed.
 */
export function injectText<T>(
  stage: StageName,
  output: T,
  valueAt: (index: number) => string,
): { output: T; count: number } {
  const copy = structuredClone(output) as unknown;
  type Slot = { parent: Record<string | number, unknown>; key: string | number };
  const slots: Slot[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) =>
        typeof item === "string"
          ? slots.push({ parent: node as unknown as Slot["parent"], key: i })
          : walk(item)
      );
    } else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (typeof value !== "string") walk(value);
        else if (!REFERENCE_KEY.test(key) && !isHex(value)) {
          slots.push({ parent: node as Slot["parent"], key });
        }
      }
    }
  };
  walk(copy);
  const originals = slots.map(({ parent, key }) => parent[key]);
  slots.forEach(({ parent, key }, i) => (parent[key] = valueAt(i)));
  const schema = stageSchemas[stage];
  for (let round = 0; round < 20; round++) {
    const parsed = schema.safeParse(copy);
    if (parsed.success) break;
    for (const issue of parsed.error.issues) {
      let parent: unknown = copy;
      for (const part of issue.path.slice(0, -1)) {
        parent = (parent as Record<PropertyKey, unknown>)?.[part as PropertyKey];
      }
      const last = issue.path.at(-1);
      let i = slots.findIndex((slot) => slot.parent === parent && slot.key === last);
      // An issue about a whole array (too many items…) names the array: restore its items.
      if (i < 0) i = slots.findIndex((slot) => slot.parent === (parent as never)?.[last as never]);
      if (i >= 0) slots[i].parent[slots[i].key] = originals[i];
    }
  }
  assert.ok(schema.safeParse(copy).success, `${stage}: the injected output still fits the schema`);
  const count = slots.filter(({ parent, key }, i) => parent[key] !== originals[i]).length;
  return { output: copy as T, count };
}
