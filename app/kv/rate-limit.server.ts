import { z } from "zod";
import { rateLimitKey } from "./keys.ts";
import { readEntry, warnInvalidValue } from "./values.server.ts";

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
  const [result] = await consumeAll([options]);
  return result;
}

/**
 * Takes one unit from each of several windows (of one KV) in a single atomic commit: all or
 * none. When any window is spent, nothing is taken and that window's result says so (the
 * others report their state unchanged). Exact under concurrency like `consume`: a failed
 * commit means an increment landed in one of the windows, so the sum of their limits (plus
 * spares) bounds the attempts.
 */
export async function consumeAll(windows: RateLimitWindow[]): Promise<RateLimitResult[]> {
  if (windows.length === 0) return [];
  const kv = windows[0].kv;
  const resolved = windows.map((options) => ({ ...windowOf(options), limit: options.limit }));
  const attempts = resolved.reduce((sum, w) => sum + w.limit, 1) + SPARE_ATTEMPTS;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const entries = await kv.getMany(resolved.map((w) => w.key));
    const counts = entries.map((entry) => {
      if (entry.versionstamp === null) return 0;
      const parsed = counterSchema.safeParse(entry.value);
      if (parsed.success) return parsed.data;
      warnInvalidValue(entry.key, parsed.error);
      return 0;
    });
    const spent = resolved.findIndex((w, i) => counts[i] >= w.limit);
    if (spent >= 0) {
      return resolved.map((w, i) =>
        decide(counts[i], i !== spent && counts[i] < w.limit, w.limit, w.now, w.resetAt)
      );
    }
    const op = kv.atomic();
    resolved.forEach((w, i) => {
      op.check({ key: w.key, versionstamp: entries[i].versionstamp })
        .set(w.key, counts[i] + 1, { expireIn: w.resetAt - w.now + 1000 });
    });
    if ((await op.commit()).ok) {
      return resolved.map((w, i) => decide(counts[i] + 1, true, w.limit, w.now, w.resetAt));
    }
  }
  // Only reachable under a storm of resets: refusing is the safe side.
  return resolved.map((w) => decide(w.limit, false, w.limit, w.now, w.resetAt));
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
