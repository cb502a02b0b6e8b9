/**
 * Offline engine rows (issue 11): a full five-stage blueprint in-process per directive
 * (no pipeline, no stores) over the directive fixtures, and the cold start of the engine
 * module (a fresh `deno` process importing it, lexicon and knowledge data included, minus
 * the same process importing nothing).
 */
import { STAGE_NAMES } from "../app/blueprint/stages.ts";
import { generateStage } from "../app/llm/offline/mod.ts";
import type { Row } from "./table.ts";

const ROOT = new URL("../", import.meta.url);

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`;

async function directives(): Promise<string[]> {
  const files = ["tests/fixtures/directives.json", "tests/fixtures/corpus_v2.json"];
  const found: string[] = [];
  for (const file of files) {
    try {
      const data = JSON.parse(await Deno.readTextFile(new URL(file, ROOT))) as {
        directives: { directive: string }[];
      };
      found.push(...data.directives.map((d) => d.directive));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return found;
}

function blueprint(directive: string): void {
  const outputs: Record<string, unknown> = {};
  for (const stage of STAGE_NAMES) outputs[stage] = generateStage(stage, directive, outputs);
}

/** Wall time of a fresh `deno eval` of `code`, best of `runs`. */
async function coldStartMs(code: string, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--quiet", code],
      cwd: new URL(".", ROOT).pathname,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    times.push(performance.now() - started);
  }
  return quantile(times, 0.5);
}

export async function offlineEngineRows(): Promise<Row[]> {
  const list = await directives();
  for (const directive of list.slice(0, 5)) blueprint(directive); // warm-up
  const times: number[] = [];
  for (const directive of list) {
    const started = performance.now();
    blueprint(directive);
    times.push(performance.now() - started);
  }
  const p50 = quantile(times, 0.5);
  const p95 = quantile(times, 0.95);
  const base = await coldStartMs("await import('./app/blueprint/stages.ts');", 5);
  const withEngine = await coldStartMs(
    "const m = await import('./app/llm/offline/mod.ts'); m.generateStage('product', 'a booking app for dog groomers');",
    5,
  );
  const startup = Math.max(0, withEngine - base);
  return [
    {
      section: "Generation",
      measure: `offline engine: full five-stage blueprint in-process, ${list.length} directives`,
      result: `p50 ${ms(p50)}, p95 ${ms(p95)}, max ${ms(Math.max(...times))}`,
      goal: "< 200 ms",
      status: p95 < 200 ? "pass" : "fail",
      values: { p50Ms: p50, p95Ms: p95, maxMs: Math.max(...times), runs: times.length },
    },
    {
      section: "Generation",
      measure: "offline engine: cold start (import + first blueprint stage, median of 5)",
      result: `${ms(startup)} over a bare import (${ms(withEngine)} vs ${ms(base)})`,
      goal: "≤ 300 ms added by issue 11",
      status: "info",
      values: { startupMs: startup, withEngineMs: withEngine, baseMs: base },
    },
  ];
}

if (import.meta.main) {
  for (const row of await offlineEngineRows()) console.log(`${row.measure}: ${row.result}`);
}
