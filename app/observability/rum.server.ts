/**
 * Real-user monitoring (docs/architecture.md §8): web-vitals beacons from `POST /api/analytics`, kept as
 * per-route, per-hour histograms in KV (atomic sums), read back as p75 per route.
 */
import { z } from "zod";
import { consume, type RateLimitResult } from "../kv/rate-limit.server.ts";
import { rumBucketKey, rumHourPrefix } from "../kv/keys.ts";
import { bucketOf, emptyHistogram, type Histogram } from "./histogram.ts";
import { hourOf } from "./request-metrics.server.ts";
import { VITAL_NAMES, type VitalName } from "./vitals.ts";

/** CLS is stored in thousandths so the millisecond buckets resolve it. */
const SCALE: Record<VitalName, number> = { LCP: 1, INP: 1, CLS: 1000, FCP: 1, TTFB: 1 };

/** Largest beacon body accepted, in bytes. */
export const MAX_BEACON_BYTES = 2048;

/** Beacons per client IP per minute. */
export const BEACON_LIMIT_PER_MINUTE = 30;

/** A beacon: the landing route's id and up to one value per vital. */
export const beaconSchema = z.strictObject({
  route: z.string().min(1).max(200),
  metrics: z.array(z.strictObject({
    name: z.enum(VITAL_NAMES),
    value: z.number().min(0).max(600_000),
  })).min(1).max(VITAL_NAMES.length),
}).refine((b) => new Set(b.metrics.map((m) => m.name)).size === b.metrics.length, {
  message: "Each metric may appear once.",
});

/** What became of a beacon. */
export type BeaconOutcome =
  | { kind: "stored" }
  | { kind: "too-large" }
  | { kind: "rate-limited"; limit: RateLimitResult }
  | { kind: "invalid"; message: string };

/** Per route pattern: vital → histogram (CLS in thousandths). */
export type VitalsByRoute = Map<string, Map<VitalName, Histogram>>;

/**
 * Validates, limits and stores one beacon. `patternOf` maps the reported route id to its
 * pattern and refuses ids the build does not have, so clients cannot invent keys.
 */
export async function acceptBeacon(
  input: { body: string; subject: string },
  options: { kv: Deno.Kv; patternOf: (routeId: string) => string | null; now?: number },
): Promise<BeaconOutcome> {
  const { kv } = options;
  const now = options.now ?? Date.now();
  if (new TextEncoder().encode(input.body).byteLength > MAX_BEACON_BYTES) {
    return { kind: "too-large" };
  }
  const limit = await consume({
    kv,
    scope: "analytics-ip",
    subject: input.subject,
    limit: BEACON_LIMIT_PER_MINUTE,
    windowMs: 60_000,
    now,
  });
  if (!limit.allowed) return { kind: "rate-limited", limit };
  let json: unknown;
  try {
    json = JSON.parse(input.body);
  } catch {
    return { kind: "invalid", message: "The body is not JSON." };
  }
  const parsed = beaconSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: "invalid", message: `${issue.path.join(".") || "body"}: ${issue.message}` };
  }
  const pattern = options.patternOf(parsed.data.route);
  if (pattern === null) return { kind: "invalid", message: "route: unknown route id." };
  const hour = hourOf(now);
  const op = kv.atomic();
  for (const { name, value } of parsed.data.metrics) {
    op.sum(rumBucketKey(hour, pattern, name, bucketOf(value * SCALE[name])), 1n);
  }
  await op.commit();
  return { kind: "stored" };
}

/** Vitals histograms per route, summed over hours `fromHour` ≤ h < `toHour`. */
export async function readVitals(
  kv: Deno.Kv,
  options: { fromHour: number; toHour: number },
): Promise<VitalsByRoute> {
  const byRoute: VitalsByRoute = new Map();
  const entries = kv.list<Deno.KvU64>(
    { start: rumHourPrefix(options.fromHour), end: rumHourPrefix(options.toHour) },
    { batchSize: 500 },
  );
  for await (const entry of entries) {
    const [, , , route, name, bucket] = entry.key;
    if (typeof route !== "string" || typeof bucket !== "number") continue;
    if (!(VITAL_NAMES as readonly unknown[]).includes(name)) continue;
    if (!(entry.value instanceof Deno.KvU64)) continue;
    let vitals = byRoute.get(route);
    if (!vitals) byRoute.set(route, vitals = new Map());
    let histogram = vitals.get(name as VitalName);
    if (!histogram) vitals.set(name as VitalName, histogram = emptyHistogram());
    if (bucket < histogram.length) histogram[bucket] += Number(entry.value.value);
  }
  return byRoute;
}

/** Converts a stored quantile back to the vital's unit (CLS from thousandths). */
export function fromStored(name: VitalName, value: number): number {
  return value / SCALE[name];
}
