import { z } from "zod";
import { rateLimitKey } from "./keys.ts";
import { readEntry } from "./values.server.ts";

/** Outcome of a rate-limit decision, enough to answer 429 with Retry-After. */
export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch ms at which the current window ends. */
  resetAt: number;
  /** Seconds to wait before a retry can succeed; 0 when allowed. */
  retryAfterSeconds: number;
}

/** One fixed window of one limit: `limit` units per `windowMs` for a scope and subject. */
export interface RateLimitWindow {
  kv: Deno.Kv;
  /** What is limited, e.g. "login-ip", "api-write". */
  scope: string;
  /** Who is limited, e.g. an IP bucket or a user id. */
  subject: string;
  limit: number;
  windowMs: number;
  /** Epoch ms; defaults to Date.now(). */
  now?: number;
}

const counterSchema = z.number().int().nonnegative();

// Resets and refunds can also conflict with a consume; a few spare attempts cover them.
const SPARE_ATTEMPTS = 8;

function windowOf(options: RateLimitWindow) {
  const { scope, subject, limit, windowMs } = options;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }
  if (!Number.isInteger(windowMs) || windowMs < 1) {
    throw new RangeError(`windowMs must be a positive integer`);
  }
  const now = options.now ?? Date.now();
  const windowStart = Math.floor(now / windowMs) * windowMs;
  return { key: rateLimitKey(scope, subject, windowStart), now, resetAt: windowStart + windowMs };
}

function decide(
  count: number,
  allowed: boolean,
  limit: number,
  now: number,
  resetAt: number,
): RateLimitResult {
  return {
    allowed,
    limit,
    remaining: Math.max(0, limit - count),
    resetAt,
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((resetAt - now) / 1000)),
  };
}

/**
 * Takes one unit from a fixed-window limit; exact under concurrency.
 * Each failed commit means another request's increment landed, and a window holds at most
 * `limit` increments, so `limit + 1` attempts always end in a decision (spares cover resets).
 */
export async function consume(options: RateLimitWindow): Promise<RateLimitResult> {
  const { kv, limit } = options;
  const { key, now, resetAt } = windowOf(options);
  for (let attempt = 0; attempt < limit + 1 + SPARE_ATTEMPTS; attempt++) {
    const entry = await readEntry(kv, key, counterSchema);
    const count = entry.value ?? 0;
    if (count >= limit) return decide(count, false, limit, now, resetAt);
    const committed = await kv.atomic()
      .check({ key, versionstamp: entry.versionstamp })
      .set(key, count + 1, { expireIn: resetAt - now + 1000 })
      .commit();
    if (committed.ok) return decide(count + 1, true, limit, now, resetAt);
  }
  // Only reachable under a storm of resets: refusing is the safe side.
  return decide(limit, false, limit, now, resetAt);
}

/** Reads a limit's state without taking a unit. */
export async function peek(options: RateLimitWindow): Promise<RateLimitResult> {
  const { key, now, resetAt } = windowOf(options);
  const count = (await readEntry(options.kv, key, counterSchema)).value ?? 0;
  return decide(count, count < options.limit, options.limit, now, resetAt);
}

/** Gives back one unit taken in the current window (e.g. a login attempt that succeeded). */
export async function refund(options: RateLimitWindow): Promise<void> {
  const { kv, limit } = options;
  const { key, now, resetAt } = windowOf(options);
  for (let attempt = 0; attempt < limit + 1 + SPARE_ATTEMPTS; attempt++) {
    const entry = await readEntry(kv, key, counterSchema);
    if (!entry.value) return;
    const committed = await kv.atomic()
      .check({ key, versionstamp: entry.versionstamp })
      .set(key, entry.value - 1, { expireIn: resetAt - now + 1000 })
      .commit();
    if (committed.ok) return;
  }
}

/** Clears the current window of a limit. */
export async function reset(options: RateLimitWindow): Promise<void> {
  await options.kv.delete(windowOf(options).key);
}
