/**
 * Deletes old metrics. KV sums cannot carry `expireIn`, so the counters of request metrics,
 * RUM and check rollups are pruned by an hourly job instead.
 */
import {
  requestMetricsHourPrefix,
  requestMetricsPrefix,
  rumHourPrefix,
  syntheticHourPrefix,
} from "../kv/keys.ts";
import { hourOf, minuteOf } from "./request-metrics.server.ts";

/** Per-minute request metrics are kept two days; hourly rollups and RUM 35 days. */
export const RETENTION = { minuteMs: 2 * 24 * 3_600_000, hourMs: 35 * 24 * 3_600_000 } as const;

const DELETES_PER_COMMIT = 500;

/** Deletes metrics older than RETENTION; resolves to the number of keys deleted. */
export async function pruneMetrics(kv: Deno.Kv, options: { now?: number } = {}): Promise<number> {
  const now = options.now ?? Date.now();
  const minuteCutoff = minuteOf(now - RETENTION.minuteMs);
  const hourCutoff = hourOf(now - RETENTION.hourMs);
  let deleted = 0;
  for (
    const [prefix, cutoff] of [
      [requestMetricsPrefix, minuteCutoff],
      [requestMetricsHourPrefix, hourCutoff],
      [rumHourPrefix, hourCutoff],
      [syntheticHourPrefix, hourCutoff],
    ] as const
  ) {
    deleted += await deleteRange(kv, { start: prefix(0), end: prefix(cutoff) });
  }
  return deleted;
}

async function deleteRange(kv: Deno.Kv, range: { start: Deno.KvKey; end: Deno.KvKey }) {
  let deleted = 0;
  let op = kv.atomic();
  let size = 0;
  for await (const entry of kv.list(range, { batchSize: DELETES_PER_COMMIT })) {
    op.delete(entry.key);
    if (++size === DELETES_PER_COMMIT) {
      await op.commit();
      deleted += size;
      op = kv.atomic();
      size = 0;
    }
  }
  if (size > 0) await op.commit();
  return deleted + size;
}
