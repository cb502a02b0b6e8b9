/**
 * Token, cost and timing accounting of one stage call (docs/architecture.md §4 `usage`): the one
 * declaration, its schema (events, API v1) and the one mapper from a stored stage row.
 */
import { z } from "zod";

/** Usage of one stage (docs/architecture.md §4 `stage.completed.usage`). */
export const usageSchema = z.object({
  provider: z.string(),
  model: z.string(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  ttftMs: z.number(),
  durationMs: z.number(),
  cached: z.boolean(),
  /** Repairs the output needed before it validated (issue 12); absent on older rows. */
  repairs: z.number().int().min(0).optional(),
  /** The repairs by kind, when there were any. */
  repairKinds: z.record(z.string(), z.number().int().min(0)).optional(),
});

/** Token, cost and timing accounting of one stage call. */
export type Usage = z.infer<typeof usageSchema>;

/** The usage columns of a stored stage version (a `generations` row). */
export interface UsageRow {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Rows of replayed (cached) output may carry no time to first token. */
  ttftMs: number | null;
  durationMs: number;
  cached: boolean;
  repairs?: number | null;
}

/** The usage of a stored stage version, as `stage.completed`, the pages and API v1 report it. */
export function usageOfRow(row: UsageRow): Usage {
  return {
    provider: row.provider,
    model: row.model,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: row.costUsd,
    ttftMs: row.ttftMs ?? 0,
    durationMs: row.durationMs,
    cached: row.cached,
    repairs: row.repairs ?? 0,
  };
}
