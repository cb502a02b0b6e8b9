/**
 * `deno task bench`: one suite measuring DESIGN §9 — server throughput and latency beside a
 * bare Deno.serve, KV cache hits, offline and paced generation, bundle sizes and Lighthouse.
 * Prints a table and writes bench/results/latest.json. BENCH_SECONDS sets the length of each
 * HTTP load (default 5); BENCH_LOADGEN=deno forces the in-process load generator.
 */
import { bundleRows } from "./bundles.ts";
import { generationRows } from "./generation.ts";
import { httpRows, type Seed, seed, startApp } from "./http.ts";
import { loadTool } from "./loadgen.ts";
import { formatTable, type Row } from "./table.ts";

const ROOT = new URL("../", import.meta.url);
const seconds = Number(Deno.env.get("BENCH_SECONDS") ?? 5);
const started = performance.now();
const load = Deno.loadavg();
const cores = navigator.hardwareConcurrency;

function step(message: string) {
  console.error(`bench: ${message} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

/** Rows from bench/lighthouse.ts (the Web experience issue) when it exists. */
async function lighthouseRows(origin: string, seeded: Seed): Promise<Row[]> {
  const skipped = (reason: string): Row[] => [{
    section: "Lighthouse",
    measure: "/, /p/:slug, /projects",
    result: `skipped: ${reason}`,
    goal: "100 on these pages",
    status: "skipped",
  }];
  const module = new URL("./lighthouse.ts", import.meta.url);
  if (!await Deno.stat(module).then(() => true, () => false)) {
    return skipped("bench/lighthouse.ts is not there");
  }
  // A computed specifier: the module is optional, so type checking must not require it.
  const { runLighthouse } = await import(module.href);
  if (typeof runLighthouse !== "function") {
    return skipped("bench/lighthouse.ts has no runLighthouse()");
  }
  const pages = [
    { name: "/", path: "/" },
    { name: "/p/:slug", path: `/p/${seeded.slug}` },
    { name: "/projects", path: "/projects", cookie: seeded.cookie },
  ];
  try {
    const result = await runLighthouse({
      baseUrl: origin,
      origin,
      pages,
      cookie: seeded.cookie,
      slug: seeded.slug,
    });
    return lighthouseResultRows(result);
  } catch (error) {
    return skipped(`runLighthouse() failed: ${error instanceof Error ? error.message : error}`);
  }
}

/** Accepts bench rows as they are, or per-page score objects, or anything printable. */
function lighthouseResultRows(result: unknown): Row[] {
  const items = Array.isArray(result) ? result : result ? [result] : [];
  return items.map((item): Row => {
    const record = item as Record<string, unknown>;
    if (typeof record.measure === "string" && typeof record.result === "string") {
      return { section: "Lighthouse", goal: "100", status: "info", ...record } as Row;
    }
    const page = String(record.name ?? record.path ?? record.url ?? "page");
    const scores = (record.scores ?? record.categories ?? record) as Record<string, unknown>;
    const numbers = Object.entries(scores).filter(([, v]) => typeof v === "number") as [
      string,
      number,
    ][];
    const categories = numbers.filter(([k]) => !/lcp|cls|tbt|fcp|inp|ms$/i.test(k));
    const all100 = categories.length > 0 && categories.every(([, v]) => v >= 100 || v === 1);
    return {
      section: "Lighthouse",
      measure: page,
      result: numbers.map(([k, v]) => `${k} ${v}`).join(", ") || JSON.stringify(item),
      goal: "100 (≥ 95 elsewhere)",
      status: categories.length === 0 ? "info" : all100 ? "pass" : "fail",
      values: Object.fromEntries(numbers),
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
step("bundle sizes");
rows.push(...await bundleRows());

step("starting the app (server.ts, embedded defaults) and seeding it");
const app = await startApp();
try {
  const seeded = await seed(app.origin);
  step(`HTTP load, ${seconds} s per run with ${await loadTool()}`);
  rows.push(...await httpRows(app, seeded, { seconds }));
  step("Lighthouse");
  rows.push(...await lighthouseRows(app.origin, seeded));
} finally {
  await app.stop();
}

step("generation, KV and paced provider");
rows.push(...await generationRows());

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
