/** LLM cost and latency per provider and stage, from the `generations` table (docs/architecture.md §5.2). */
import { gte, sql } from "drizzle-orm";
import type { Db } from "../db/client.server.ts";
import { generations } from "../db/schema.ts";

/** Accounting of one provider's calls for one stage over a window. */
export interface LlmStageStats {
  provider: string;
  stage: string;
  calls: number;
  /** Calls answered from the LLM cache. */
  cached: number;
  /** Repairs the outputs needed before they validated (ADR 012). */
  repairs: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  /** Percentiles over uncached calls; null when every call was cached. */
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  p50TtftMs: number | null;
}

/** One row per provider and stage for generations created since `since`. */
export async function readLlmStats(db: Db, options: { since: Date }): Promise<LlmStageStats[]> {
  const live = sql`not ${generations.cached}`;
  const rows = await db
    .select({
      provider: generations.provider,
      stage: generations.stage,
      calls: sql<string>`count(*)`,
      cached: sql<string>`count(*) filter (where ${generations.cached})`,
      repairs: sql<string>`coalesce(sum(${generations.repairs}), 0)`,
      costUsd: sql<string>`coalesce(sum(${generations.costUsd}), 0)`,
      inputTokens: sql<string>`coalesce(sum(${generations.inputTokens}), 0)`,
      outputTokens: sql<string>`coalesce(sum(${generations.outputTokens}), 0)`,
      p50DurationMs: sql<string | null>`percentile_cont(0.5) within group
        (order by ${generations.durationMs}) filter (where ${live})`,
      p95DurationMs: sql<string | null>`percentile_cont(0.95) within group
        (order by ${generations.durationMs}) filter (where ${live})`,
      p50TtftMs: sql<string | null>`percentile_cont(0.5) within group
        (order by ${generations.ttftMs}) filter (where ${live})`,
    })
    .from(generations)
    .where(gte(generations.createdAt, options.since))
    .groupBy(generations.provider, generations.stage)
    .orderBy(generations.provider, generations.stage);
  const num = (value: string | number | null) => value === null ? null : Number(value);
  return rows.map((row) => ({
    provider: row.provider,
    stage: row.stage,
    calls: Number(row.calls),
    cached: Number(row.cached),
    repairs: Number(row.repairs),
    costUsd: Number(row.costUsd),
    inputTokens: Number(row.inputTokens),
    outputTokens: Number(row.outputTokens),
    p50DurationMs: num(row.p50DurationMs),
    p95DurationMs: num(row.p95DurationMs),
    p50TtftMs: num(row.p50TtftMs),
  }));
}
