/**
 * KV bookkeeping that cannot expire by itself (issue 14 item 8): daily spend counters are KV
 * sums, which take no `expireIn`, so days older than SPEND_RETENTION_DAYS are deleted here.
 * Runs with metrics retention (hourly cron, shortly after start, hourly timer).
 */
import { spendPrefix } from "../kv/keys.ts";

/** Today and yesterday are read (the UTC day boundary); older days are history nobody reads. */
export const SPEND_RETENTION_DAYS = 2;

const DELETES_PER_COMMIT = 500;

/** Deletes spend counters of days before the retention window; resolves to the count. */
export async function pruneSpend(kv: Deno.Kv, options: { now?: number } = {}): Promise<number> {
  const now = options.now ?? Date.now();
  const cutoff = new Date(now - SPEND_RETENTION_DAYS * 86_400_000).toISOString().slice(0, 10);
  let deleted = 0;
  let op = kv.atomic();
  let pending = 0;
  for await (const entry of kv.list({ prefix: spendPrefix() })) {
    const day = entry.key[2];
    if (typeof day !== "string" || day >= cutoff) continue;
    op.delete(entry.key);
    pending++;
    if (pending === DELETES_PER_COMMIT) {
      await op.commit();
      deleted += pending;
      op = kv.atomic();
      pending = 0;
    }
  }
  if (pending) {
    await op.commit();
    deleted += pending;
  }
  return deleted;
}
