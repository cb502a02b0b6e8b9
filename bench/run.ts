/**
 * `deno task bench`: one suite measuring docs/architecture.md §9 — server throughput and latency beside a
 * bare Deno.serve, KV cache hits, offline and paced generation, bundle sizes and Lighthouse.
 * Prints a table and writes bench/results/latest.json. BENCH_SECONDS sets the length of each
 * HTTP load (default 5); BENCH_LOADGEN=deno forces the in-process load generator.
 * BENCH_ONLY=http,lighthouse,… runs only those sections (http, lighthouse, generation,
 * bundles, history, cold-start); BENCH_POSTGRES=0 skips the HTTP rows on a real PostgreSQL
 * server (run when its binaries are installed, or on TEST_DATABASE_URL).
 */
import { bundleRows } from "./bundles.ts";
import { generationRows } from "./generation.ts";
import { kvBytesRows } from "./kv-bytes.ts";
import { coldStartRows } from "./cold-start.ts";
import { historyRows } from "./history.ts";
import { httpRows, seed, startApp } from "./http.ts";
import { loadTool } from "./loadgen.ts";
import { repairRows } from "./repair.ts";
import { formatTable, type Row } from "./table.ts";
import { hasPostgresBinaries, startPostgres } from "../tests/support/postgres.ts";

const ROOT = new URL("../", import.meta.url);
const seconds = Number(Deno.env.get("BENCH_SECONDS") ?? 5);
const started = performance.now();
const load = Deno.loadavg();
const cores = navigator.hardwareConcurrency;
const SECTIONS = ["bundles", "http", "lighthouse", "generation", "history", "cold-start"] as const;
const only = (Deno.env.get("BENCH_ONLY") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
for (const name of only) {
  if (!(SECTIONS as readonly string[]).includes(name)) {
    console.error(`BENCH_ONLY: unknown section ${name} (known: ${SECTIONS.join(", ")})`);
    Deno.exit(2);
  }
}
const runs = (section: (typeof SECTIONS)[number]) => only.length === 0 || only.includes(section);

function step(message: string) {
  console.error(`bench: ${message} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

/** One audited page, as bench/lighthouse.ts's runLighthouse() returns it. */
interface LighthouseResult {
  page: string;
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  lcpMs: number;
  cls: number;
}

/** Rows from bench/lighthouse.ts (the Web experience issue) when it exists. */
async function lighthouseRows(): Promise<Row[]> {
  const skipped = (reason: string): Row[] => {
    console.error(`bench: Lighthouse skipped: ${reason}`);
    return [{
      section: "Lighthouse",
      measure: "/, /p/:slug, /projects",
      result: `skipped: ${reason}`,
      goal: "100 on these pages",
      status: "skipped",
    }];
  };
  const module = new URL("./lighthouse.ts", import.meta.url);
  if (!await Deno.stat(module).then(() => true, () => false)) {
    return skipped("bench/lighthouse.ts is not there");
  }
  // A computed specifier: the module is optional, so type checking must not require it.
  const { runLighthouse } = await import(module.href);
  if (typeof runLighthouse !== "function") {
    return skipped("bench/lighthouse.ts has no runLighthouse()");
  }
  let results: LighthouseResult[];
  try {
    results = await runLighthouse();
  } catch (error) {
    return skipped(`runLighthouse() failed: ${error instanceof Error ? error.message : error}`);
  }
  return results.map((r) => {
    const scores = [r.performance, r.accessibility, r.bestPractices, r.seo];
    return {
      section: "Lighthouse",
      measure: r.page,
      result:
        `performance ${r.performance}, accessibility ${r.accessibility}, best practices ${r.bestPractices}, SEO ${r.seo}; LCP ${
          Math.round(r.lcpMs)
        } ms, CLS ${r.cls.toFixed(3)}`,
      goal: "100 each (dashboard too)",
      status: scores.every((score) => score >= 100) ? "pass" : "fail",
      values: { ...r } as unknown as Record<string, number>,
    };
  });
}

step("building if sources changed");
const built = await new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "scripts/build.ts", "--if-stale"],
  cwd: ROOT,
  stdout: "null",
  stderr: "inherit",
}).output();
if (!built.success) Deno.exit(built.code);

const rows: Row[] = [];
if (runs("bundles")) {
  step("bundle sizes");
  rows.push(...await bundleRows());
}

if (runs("http")) {
  step("starting the app (server.ts, embedded defaults) and seeding it");
  const app = await startApp();
  try {
    const seeded = await seed(app.origin);
    step(`HTTP load on PGlite, ${seconds} s per run with ${await loadTool()}`);
    rows.push(...await httpRows(app, seeded, { seconds, database: "PGlite" }));
  } finally {
    await app.stop();
  }
  const postgres = Deno.env.get("BENCH_POSTGRES") !== "0" &&
    (Deno.env.get("TEST_DATABASE_URL") || await hasPostgresBinaries());
  if (postgres) {
    step("starting PostgreSQL and the app on it (pg)");
    const server = await startPostgres();
    try {
      const app = await startApp({ databaseUrl: server.url });
      try {
        const seeded = await seed(app.origin);
        step(`HTTP load on PostgreSQL, ${seconds} s per run`);
        rows.push(
          ...await httpRows(app, seeded, {
            seconds,
            database: "PostgreSQL (pg)",
            databaseOnly: true,
          }),
        );
      } finally {
        await app.stop();
      }
    } finally {
      await server.stop();
    }
  }
}
if (runs("lighthouse")) {
  step("Lighthouse");
  rows.push(...await lighthouseRows());
}

if (runs("generation")) {
  step("generation, KV and paced provider");
  rows.push(...await generationRows());
  rows.push(...repairRows());
  rows.push(...await kvBytesRows());
}
if (runs("history")) rows.push(...await historyRows());
if (runs("cold-start")) {
  step("time to healthy");
  rows.push(...await coldStartRows());
}

const table = formatTable(rows);
console.log(table);
const busy = load[0] > cores;
if (busy) {
  console.log(
    `\nNote: load average was ${load[0].toFixed(1)} on ${cores} cores when the bench started; ` +
      "figures are pessimistic. Re-run on an idle machine.",
  );
}
const report = {
  date: new Date().toISOString(),
  machine: {
    deno: Deno.version.deno,
    os: Deno.build.os,
    arch: Deno.build.arch,
    cores,
    loadAverage: load,
    loadGenerator: await loadTool(),
  },
  durationSeconds: Math.round((performance.now() - started) / 1000),
  rows,
  table,
};
await Deno.mkdir(new URL("bench/results/", ROOT), { recursive: true });
await Deno.writeTextFile(
  new URL("bench/results/latest.json", ROOT),
  JSON.stringify(report, null, 2) + "\n",
);
step("wrote bench/results/latest.json");
