import type { RateLimitResult } from "../kv/rate-limit.server.ts";

/** Where the client's address comes from. */
export interface ClientIpOptions {
  /** The socket peer, from `Deno.serve`'s handler info. */
  remoteAddr?: Deno.Addr;
  /** Behind a reverse proxy that appends to X-Forwarded-For, use the address it saw. */
  trustProxy?: boolean;
}

/** The client's IP address, or null when unknown. */
export function clientIp(request: Request, options: ClientIpOptions = {}): string | null {
  if (options.trustProxy) {
    // Our proxy appends the peer it saw; entries before it are client-supplied and forgeable.
    const hops = request.headers.get("x-forwarded-for")?.split(",").map((hop) => hop.trim()).filter(
      Boolean,
    );
    if (hops?.length) return hops[hops.length - 1];
  }
  const addr = options.remoteAddr;
  return addr && (addr.transport === "tcp" || addr.transport === "udp") ? addr.hostname : null;
}

/**
 * The rate-limit subject for an IP: IPv4 as is, IPv6 by its /64 prefix, because one
 * client usually controls a whole /64 and could otherwise rotate through addresses.
 */
export function ipRateLimitSubject(ip: string | null): string {
  if (ip === null) return "unknown";
  const address = ip.replace(/^\[|\]$/g, "").replace(/%.*$/, "").toLowerCase();
  if (!address.includes(":")) return address;
  const mappedV4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mappedV4) return mappedV4[1];
  const [head, tail = ""] = address.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = address.includes("::") && tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array(Math.max(0, missing)).fill("0"), ...tailGroups];
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/** Response headers for a rate-limited endpoint: RateLimit-* always, Retry-After when refused. */
export function rateLimitHeaders(result: RateLimitResult, options: { now?: number } = {}): Headers {
  const now = options.now ?? Date.now();
  const headers = new Headers({
    "RateLimit-Limit": String(result.limit),
    "RateLimit-Remaining": String(result.remaining),
    "RateLimit-Reset": String(Math.max(0, Math.ceil((result.resetAt - now) / 1000))),
  });
  if (!result.allowed) headers.set("Retry-After", String(result.retryAfterSeconds));
  return headers;
}
