import assert from "node:assert/strict";
import { clientIp, ipRateLimitSubject, rateLimitHeaders } from "./rate-limit.server.ts";

const tcp = (hostname: string): Deno.NetAddr => ({ transport: "tcp", hostname, port: 50000 });

const ipCases: Array<
  {
    name: string;
    headers?: Record<string, string>;
    remote?: string;
    trustProxy?: boolean;
    ip: string | null;
  }
> = [
  { name: "socket peer", remote: "198.51.100.7", ip: "198.51.100.7" },
  {
    name: "forwarded header ignored by default",
    headers: { "x-forwarded-for": "1.2.3.4" },
    remote: "10.0.0.2",
    ip: "10.0.0.2",
  },
  {
    name: "trusted proxy: the hop it appended, not a forged first entry",
    headers: { "x-forwarded-for": "6.6.6.6, 203.0.113.9" },
    remote: "10.0.0.2",
    trustProxy: true,
    ip: "203.0.113.9",
  },
  {
    name: "trusted proxy without header falls back to the peer",
    remote: "10.0.0.2",
    trustProxy: true,
    ip: "10.0.0.2",
  },
  { name: "unknown", ip: null },
];

for (const { name, headers = {}, remote, trustProxy, ip } of ipCases) {
  Deno.test(`clientIp: ${name}`, () => {
    const request = new Request("http://atlas9.test/login", { headers });
    assert.equal(
      clientIp(request, { remoteAddr: remote ? tcp(remote) : undefined, trustProxy }),
      ip,
    );
  });
}

const subjectCases: Array<[string | null, string]> = [
  ["198.51.100.7", "198.51.100.7"],
  ["2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd:12::/64"],
  ["2001:db8:abcd:12::99", "2001:db8:abcd:12::/64"],
  ["2001:DB8::1", "2001:db8:0:0::/64"],
  ["[2001:db8:0:0:ffff::1]", "2001:db8:0:0::/64"],
  ["::1", "0:0:0:0::/64"],
  ["::ffff:192.0.2.10", "192.0.2.10"],
  ["fe80::1%eth0", "fe80:0:0:0::/64"],
  ["2001:0db8:0000:0012::5", "2001:db8:0:12::/64"],
  [null, "unknown"],
];

for (const [ip, subject] of subjectCases) {
  Deno.test(`ipRateLimitSubject(${ip}) = ${subject}`, () => {
    assert.equal(ipRateLimitSubject(ip), subject);
  });
}

Deno.test("rateLimitHeaders: Retry-After only when refused", () => {
  const now = Date.UTC(2025, 0, 1);
  const allowed = rateLimitHeaders({
    allowed: true,
    limit: 10,
    remaining: 3,
    resetAt: now + 30_500,
    retryAfterSeconds: 0,
  }, { now });
  assert.deepEqual(Object.fromEntries(allowed), {
    "ratelimit-limit": "10",
    "ratelimit-remaining": "3",
    "ratelimit-reset": "31",
  });
  const refused = rateLimitHeaders({
    allowed: false,
    limit: 10,
    remaining: 0,
    resetAt: now + 30_500,
    retryAfterSeconds: 31,
  }, { now });
  assert.equal(refused.get("retry-after"), "31");
});
