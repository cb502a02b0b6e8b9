/**
 * The repair step (issue 12) on a 50 KB code-stage output: extract, repair and validate the
 * model's text (checkOutput), once clean and once with every value habit of the local-server
 * fake plus prose and a fence. Goal < 5 ms. Run alone: `deno run -A bench/repair.ts`.
 */
import { checkOutput, stageJsonSchema } from "../app/llm/structured_output.server.ts";
import { stageSchemas } from "../app/blueprint/schemas.ts";
import { generateStage } from "../app/llm/offline/mod.ts";
import { applyHabits, fenceInProse, VALUE_HABITS } from "../tests/fakes/habits.ts";
import type { Row } from "./table.ts";

const TARGET_BYTES = 50_000;
const GOAL_MS = 5;

/** A code-stage output of about 50 KB of JSON, grown from the offline engine's files. */
function codeOutput(): { files: { path: string; language: string; content: string }[] } {
  const base = generateStage("code", "a marketplace where local farmers sell vegetable boxes");
  const output = structuredClone(base) as ReturnType<typeof codeOutput> & Record<string, unknown>;
  for (let i = 0; JSON.stringify(output).length < TARGET_BYTES; i++) {
    const file = base.files[i % base.files.length];
    if (output.files.length >= 80) {
      output.files[i % 80].content += "\n" + file.content;
    } else output.files.push({ ...file, path: `copy${i}/${file.path}`.slice(0, 200) });
  }
  return output;
}

function p50(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The bench rows of the repair step. */
export function repairRows(): Row[] {
  const schema = stageSchemas.code;
  const jsonSchema = stageJsonSchema(schema);
  const output = codeOutput();
  const clean = JSON.stringify(output);
  const messy = fenceInProse(JSON.stringify(applyHabits(output, jsonSchema, VALUE_HABITS)));
  const rows: Row[] = [];
  for (const [name, text] of [["clean", clean], ["every habit", messy]] as const) {
    const times: number[] = [];
    let repairs = 0;
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      const check = checkOutput(text, { schema, jsonSchema });
      times.push(performance.now() - started);
      if (!check.ok) throw new Error(`bench/repair: ${name} output did not validate`);
      repairs = Object.values(check.repairs).reduce((n, c) => n + (c ?? 0), 0);
    }
    const median = p50(times);
    rows.push({
      section: "Model-output repair",
      measure: `code stage, ${(text.length / 1000).toFixed(0)} KB, ${name} (${repairs} repairs)`,
      result: `p50 ${median.toFixed(2)} ms`,
      goal: `< ${GOAL_MS} ms`,
      status: median < GOAL_MS ? "pass" : "fail",
      values: { p50Ms: median, bytes: text.length, repairs },
    });
  }
  return rows;
}

if (import.meta.main) {
  for (const row of repairRows()) console.log(`${row.measure}: ${row.result} (goal ${row.goal})`);
}
