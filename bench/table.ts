/** Rows of the bench and how they are printed (a table) and stored (JSON). */

/** One measured figure beside its goal from docs/architecture.md §9. */
export interface Row {
  section: string;
  measure: string;
  result: string;
  /** The bare Deno.serve figure of the same run, for HTTP rows. */
  baseline?: string;
  ratio?: string;
  goal: string;
  /** `info` rows have no budget of their own; `skipped` says why in `result`. */
  status: "pass" | "fail" | "info" | "skipped";
  values?: Record<string, number>;
}

/** docs/architecture.md §9's server budget (stated for a public page; applied to each endpoint). */
export const SERVER_GOAL = "p50 < 30 ms, p99 < 200 ms";

const MARK: Record<Row["status"], string> = { pass: "✓", fail: "✗", info: "·", skipped: "–" };

/** A GitHub-flavoured Markdown table, readable in a terminal and pasteable into the README. */
export function formatTable(rows: Row[]): string {
  const header = [
    "",
    "Measure",
    "Result",
    "Bare Deno.serve",
    "Ratio",
    "Goal (docs/architecture.md §9)",
  ];
  const lines = rows.map((row) => [
    MARK[row.status],
    `${row.section}: ${row.measure}`,
    row.result,
    row.baseline ?? "",
    row.ratio ?? "",
    row.goal,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`;
  return [
    format(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...lines.map(format),
  ].join("\n");
}
