import { consume } from "../kv/rate-limit.server.ts";
import type { RateLimitResult } from "../kv/rate-limit.server.ts";
import { ipRateLimitSubject, rateLimitHeaders } from "../http/rate-limit.server.ts";
import { problem } from "./problems.ts";
import { SIGNUP_LIMIT } from "../http/abuse-limits.server.ts";

const MINUTE = 60_000;

/** API v1 limits: every request per client IP, every authenticated request per token, sign-ups per IP. */
export const API_LIMITS = {
  ip: { scope: "api-ip", limit: 600, windowMs: MINUTE },
  token: { scope: "api-token", limit: 300, windowMs: MINUTE },
  // The same counter as the sign-up form's.
  signup: SIGNUP_LIMIT,
} as const;

/** Which limit a unit is taken from. */
export type ApiLimit = keyof typeof API_LIMITS;

// Per KV handle and counter: the tail of the queue of consumes waiting in this process.
const queues = new WeakMap<Deno.Kv, Map<string, Promise<unknown>>>();

/**
 * Takes one unit, after any other consume of the same counter in this process. `consume`
 * is exact on its own (an atomic check per commit), but a burst of N concurrent consumes
 * costs O(N²) conflicting commits; queueing them locally leaves conflicts to other instances.
 */
function consumeInTurn(kv: Deno.Kv, limit: ApiLimit, subject: string): Promise<RateLimitResult> {
  let byCounter = queues.get(kv);
  if (!byCounter) queues.set(kv, byCounter = new Map());
  const counter = `${limit}\u0000${subject}`;
  const run = () => consume({ kv, subject, ...API_LIMITS[limit] });
  const result = (byCounter.get(counter) ?? Promise.resolve()).then(run, run);
  const tail = result.catch(() => {});
  byCounter.set(counter, tail);
  void tail.then(() => {
    if (byCounter.get(counter) === tail) byCounter.delete(counter);
  });
  return result;
}

/** Tracks the limits one request has passed, to report the tightest in its headers. */
export class RateLimitLedger {
  readonly #kv: Deno.Kv;
  #tightest: RateLimitResult | null = null;

  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  /** Takes one unit of a limit; throws 429 (with its headers) when the limit is spent. */
  async take(limit: ApiLimit, subject: string): Promise<void> {
    const result = await consumeInTurn(this.#kv, limit, subject);
    if (!result.allowed) {
      this.#tightest = result;
      const headers = Object.fromEntries(rateLimitHeaders(result));
      throw problem(
        "rate-limited",
        `Rate limit exceeded; retry in ${result.retryAfterSeconds} s.`,
        {
          headers,
        },
      );
    }
    if (this.#tightest === null || result.remaining < this.#tightest.remaining) {
      this.#tightest = result;
    }
  }

  /** Takes a unit of the per-IP limit for a client address. */
  takeIp(clientIp: string): Promise<void> {
    return this.take("ip", ipRateLimitSubject(clientIp === "unknown" ? null : clientIp));
  }

  /** Sets RateLimit-* of the tightest limit passed so far (never overrides a 429's own). */
  apply(headers: Headers): void {
    if (this.#tightest === null || headers.has("RateLimit-Limit")) return;
    for (const [name, value] of rateLimitHeaders(this.#tightest)) headers.set(name, value);
  }
}
