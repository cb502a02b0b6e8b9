import { spendKey } from "../kv/keys.ts";
import { ProviderError } from "./types.ts";

/** The user's LLM spend for today reached the daily budget; no upstream call was made. */
export class BudgetExceededError extends ProviderError {
  readonly spentUsd: number;
  readonly limitUsd: number;

  constructor(options: { userId: string; spentUsd: number; limitUsd: number }) {
    super(
      "quota_exhausted",
      `Daily AI budget of $${options.limitUsd.toFixed(2)} reached ` +
        `($${options.spentUsd.toFixed(2)} spent today). It resets at 00:00 UTC.`,
      { provider: "budget" },
    );
    this.name = "BudgetExceededError";
    this.spentUsd = options.spentUsd;
    this.limitUsd = options.limitUsd;
  }

  /** Retrying before the day ends cannot succeed. */
  override get retryable(): boolean {
    return false;
  }
}

/** The UTC day (YYYY-MM-DD) a timestamp falls on: spend is counted per UTC day. */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** Per-user, per-UTC-day spend in KV, as micro-dollars in a Deno.KvU64 (summed atomically). */
export function createSpendLedger(kv: Deno.Kv, options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const keyOf = (userId: string) => spendKey(userId, utcDay(now()));
  return {
    /** USD the user spent today. */
    async spentUsd(userId: string): Promise<number> {
      const entry = await kv.get<Deno.KvU64>(keyOf(userId));
      return entry.value instanceof Deno.KvU64 ? Number(entry.value.value) / 1_000_000 : 0;
    },
    /** Throws BudgetExceededError when today's spend is at or over `limitUsd`. */
    async assertWithin(userId: string, limitUsd: number): Promise<void> {
      const spentUsd = await this.spentUsd(userId);
      if (spentUsd >= limitUsd) throw new BudgetExceededError({ userId, spentUsd, limitUsd });
    },
    /** Adds a call's cost to today's spend. */
    async add(userId: string, usd: number): Promise<void> {
      const micro = BigInt(Math.round(usd * 1_000_000));
      if (micro <= 0n) return;
      const result = await kv.atomic().sum(keyOf(userId), micro).commit();
      if (!result.ok) throw new Error("Recording LLM spend failed.");
    },
  };
}
