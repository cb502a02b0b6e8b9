import { consumeAll, peek } from "../kv/rate-limit.server.ts";
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

/** One unit to take: which limit, and whose counter. */
export type ApiUnit = readonly [limit: ApiLimit, subject: string];

// Per KV handle and counter: the tail of the queue of consumes waiting in this process.
const queues = new WeakMap<Deno.Kv, Map<string, Promise<unknown>>>();

/**
 * Takes one unit of each counter in one commit, after any other consume of the same counters
 * in this process. `consumeAll` is exact on its own (an atomic check per commit), but a burst
 * of N concurrent consumes costs O(N²) conflicting commits; queueing them locally leaves
 * conflicts to other instances. A consume waits only for consumes queued before it, so the
 * queues of several counters cannot wait on each other in a cycle.
 */
function consumeInTurn(kv: Deno.Kv, units: readonly ApiUnit[]): Promise<RateLimitResult[]> {
  let byCounter = queues.get(kv);
  if (!byCounter) queues.set(kv, byCounter = new Map());
  const queue = byCounter;
  const counters = units.map(([limit, subject]) => `${limit}\u0000${subject}`);
  const before = Promise.all(counters.map((counter) => queue.get(counter)?.catch(() => {})));
  const run = () =>
    consumeAll(units.map(([limit, subject]) => ({ kv, subject, ...API_LIMITS[limit] })));
  const result = before.then(run);
  const tail = result.catch(() => {});
  for (const counter of counters) queue.set(counter, tail);
  void tail.then(() => {
    for (const counter of counters) if (queue.get(counter) === tail) queue.delete(counter);
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

  /**
   * Takes one unit of each limit in a single KV commit (all or none); throws 429 (with the
   * spent limit's headers) when any of them is spent.
   */
  async take(...units: ApiUnit[]): Promise<void> {
    const results = await consumeInTurn(this.#kv, units);
    const refused = results.find((result) => !result.allowed);
    if (refused) throw this.#refuse(refused);
    for (const result of results) {
      if (this.#tightest === null || result.remaining < this.#tightest.remaining) {
        this.#tightest = result;
      }
    }
  }

  /** Throws 429 when a limit is already spent, without taking a unit (one read, no commit). */
  async check(limit: ApiLimit, subject: string): Promise<void> {
    const result = await peek({ kv: this.#kv, subject, ...API_LIMITS[limit] });
    if (!result.allowed) throw this.#refuse(result);
  }

  #refuse(result: RateLimitResult) {
    this.#tightest = result;
    const headers = Object.fromEntries(rateLimitHeaders(result));
    return problem("rate-limited", `Rate limit exceeded; retry in ${result.retryAfterSeconds} s.`, {
      headers,
    });
  }

  /** The per-IP unit for a client address. */
  static ipUnit(clientIp: string): ApiUnit {
    return ["ip", ipRateLimitSubject(clientIp === "unknown" ? null : clientIp)];
  }

  /** Takes a unit of the per-IP limit for a client address. */
  takeIp(clientIp: string): Promise<void> {
    return this.take(RateLimitLedger.ipUnit(clientIp));
  }

  /** Sets RateLimit-* of the tightest limit passed so far (never overrides a 429's own). */
  apply(headers: Headers): void {
    if (this.#tightest === null || headers.has("RateLimit-Limit")) return;
    for (const [name, value] of rateLimitHeaders(this.#tightest)) headers.set(name, value);
  }
}
