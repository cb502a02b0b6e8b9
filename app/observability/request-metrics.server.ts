/**
 * Request metrics (docs/architecture.md §8): per route pattern and minute, latency and TTFB histograms and
 * counts by status class. Requests only touch an in-memory aggregate; `flush` turns it into
 * KV sums every few seconds, so many instances add up and a request pays almost nothing.
 */
import {
  requestMetricsHourKey,
  requestMetricsHourPrefix,
  requestMetricsKey,
  requestMetricsPrefix,
} from "../kv/keys.ts";
import { BUCKET_COUNT, bucketOf, emptyHistogram, type Histogram, mergeInto } from "./histogram.ts";
import {
  createRouteTable,
  type RouteEntry,
  type RouteMatch,
  type RouteTable,
  STATIC_ROUTE,
} from "./routes.ts";

/** One finished request. */
export interface RequestSample {
  /** Route pattern, e.g. `/projects/:id`, or `static`. */
  route: string;
  status: number;
  /** Until the last byte of the body was sent. */
  durationMs: number;
  /** Until the status and headers were ready. */
  ttfbMs: number;
}

/** Counters of one route in one time slot, as stored in KV. */
export interface RouteCounters {
  count: number;
  /** Responses by status class: index 0 is 1xx … index 4 is 5xx. */
  status: number[];
  /** 304 responses (revalidations answered from the client's cache). */
  notModified: number;
  duration: Histogram;
  ttfb: Histogram;
}

/** Time slots (epoch minutes or hours) → route pattern → counters. */
export type MetricsSeries = Map<number, Map<string, RouteCounters>>;

/** The request metrics service: route labels, cheap recording, periodic flush to KV. */
export interface RequestMetrics {
  /** Gives the service the build's route table (called once by the request handler). */
  bindRoutes(routes: Record<string, RouteEntry | undefined>): void;
  /** The route serving a path: its id and pattern. */
  routeOf(pathname: string): RouteMatch;
  /** The pattern of a route id, or null for an id the build does not have. */
  patternOf(routeId: string): string | null;
  /** Adds one finished request to the in-memory aggregate (no I/O). */
  record(sample: RequestSample): void;
  /**
   * Records `response` once its body is fully sent (event streams and static files: at their
   * headers) and returns the body to send in its place.
   */
  observe(
    response: Response,
    options: { route: string; startedAt: number },
  ): ReadableStream<Uint8Array> | null;
  /** Samples recorded and not yet flushed. */
  pending(): number;
  /** Writes the aggregate to KV as atomic sums; resolves to the number of commits. */
  flush(): Promise<number>;
}

/** Mutations per atomic commit; KV allows 1000. */
const MAX_MUTATIONS = 900;
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The epoch minute of a time. */
export const minuteOf = (ms: number) => Math.floor(ms / MINUTE_MS);

/** The epoch hour of a time. */
export const hourOf = (ms: number) => Math.floor(ms / HOUR_MS);

/** Empty counters. */
export function emptyCounters(): RouteCounters {
  return {
    count: 0,
    status: [0, 0, 0, 0, 0],
    notModified: 0,
    duration: emptyHistogram(),
    ttfb: emptyHistogram(),
  };
}

/** Adds `from` into `into` in place. */
export function mergeCounters(into: RouteCounters, from: RouteCounters): void {
  into.count += from.count;
  for (let i = 0; i < 5; i++) into.status[i] += from.status[i];
  into.notModified += from.notModified;
  mergeInto(into.duration, from.duration);
  mergeInto(into.ttfb, from.ttfb);
}

interface Aggregate {
  minute: number;
  route: string;
  counters: RouteCounters;
}

/** Creates the service; `now` is injectable for tests. */
export function createRequestMetrics(
  options: { kv: Deno.Kv; now?: () => number },
): RequestMetrics {
  const { kv } = options;
  const now = options.now ?? Date.now;
  let routes: RouteTable = createRouteTable({});
  let pendingAggregates = new Map<string, Aggregate>();
  let pendingSamples = 0;

  function record(sample: RequestSample): void {
    const minute = minuteOf(now());
    const slot = `${minute} ${sample.route}`;
    let aggregate = pendingAggregates.get(slot);
    if (!aggregate) {
      aggregate = { minute, route: sample.route, counters: emptyCounters() };
      pendingAggregates.set(slot, aggregate);
    }
    const { counters } = aggregate;
    counters.count++;
    const statusClass = Math.min(5, Math.max(1, Math.floor(sample.status / 100)));
    counters.status[statusClass - 1]++;
    if (sample.status === 304) counters.notModified++;
    counters.duration[bucketOf(sample.durationMs)]++;
    counters.ttfb[bucketOf(sample.ttfbMs)]++;
    pendingSamples++;
  }

  function restore(aggregates: Aggregate[]): void {
    for (const aggregate of aggregates) {
      const slot = `${aggregate.minute} ${aggregate.route}`;
      const existing = pendingAggregates.get(slot);
      if (existing) mergeCounters(existing.counters, aggregate.counters);
      else pendingAggregates.set(slot, aggregate);
      pendingSamples += aggregate.counters.count;
    }
  }

  return {
    bindRoutes(table) {
      routes = createRouteTable(table);
    },
    routeOf: (pathname) => routes.match(pathname),
    patternOf: (routeId) => routes.patternOf(routeId),
    record,
    observe(response, { route, startedAt }) {
      const ttfbMs = performance.now() - startedAt;
      const body = response.body;
      const status = response.status;
      const streaming = response.headers.get("content-type")?.startsWith("text/event-stream");
      // Static files stay resource-backed (Deno sends them without a JS copy): closed at TTFB.
      if (!body || streaming || route === STATIC_ROUTE) {
        record({ route, status, durationMs: ttfbMs, ttfbMs });
        return body;
      }
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        record({ route, status, durationMs: performance.now() - startedAt, ttfbMs });
      };
      // A pull-through stream: a few µs per response, where pipeThrough costs about 20.
      const reader = body.getReader();
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const chunk = await reader.read();
            if (!chunk.done) return controller.enqueue(chunk.value);
            finish();
            controller.close();
          } catch (error) {
            finish();
            controller.error(error);
          }
        },
        cancel(reason) {
          finish();
          return reader.cancel(reason);
        },
      }, { highWaterMark: 0 });
    },
    pending: () => pendingSamples,
    async flush() {
      if (pendingAggregates.size === 0) return 0;
      const batch = [...pendingAggregates.values()];
      pendingAggregates = new Map();
      pendingSamples = 0;
      // Whole aggregates per commit, so a failed commit can be put back without double counting.
      const commits: { aggregates: Aggregate[]; mutations: Deno.KvMutation[] }[] = [];
      for (const aggregate of batch) {
        const mutations = mutationsOf(aggregate);
        const last = commits.at(-1);
        if (last && last.mutations.length + mutations.length <= MAX_MUTATIONS) {
          last.aggregates.push(aggregate);
          last.mutations.push(...mutations);
        } else {
          commits.push({ aggregates: [aggregate], mutations });
        }
      }
      for (let i = 0; i < commits.length; i++) {
        try {
          await kv.atomic().mutate(...commits[i].mutations).commit();
        } catch (error) {
          restore(commits.slice(i).flatMap((c) => c.aggregates));
          throw error;
        }
      }
      return commits.length;
    },
  };
}

/** The KV sums of one aggregate: its minute slot and its hour rollup, non-zero fields only. */
function mutationsOf(aggregate: Aggregate): Deno.KvMutation[] {
  const { minute, route, counters } = aggregate;
  const hour = Math.floor(minute / 60);
  const fields: [string, number][] = [["n", counters.count], ["304", counters.notModified]];
  counters.status.forEach((n, i) => fields.push([`s${i + 1}`, n]));
  for (let i = 0; i < BUCKET_COUNT; i++) {
    fields.push([`d${i}`, counters.duration[i]], [`t${i}`, counters.ttfb[i]]);
  }
  const mutations: Deno.KvMutation[] = [];
  for (const [field, n] of fields) {
    if (n === 0) continue;
    const value = new Deno.KvU64(BigInt(n));
    mutations.push(
      { type: "sum", key: requestMetricsKey(minute, route, field), value },
      { type: "sum", key: requestMetricsHourKey(hour, route, field), value },
    );
  }
  return mutations;
}

/**
 * Reads stored counters for slots `from` ≤ slot < `to`: epoch minutes, or epoch hours from
 * the hourly rollup.
 */
export async function readRequestMetrics(
  kv: Deno.Kv,
  options: { resolution: "minute" | "hour"; from: number; to: number },
): Promise<MetricsSeries> {
  const prefix = options.resolution === "minute" ? requestMetricsPrefix : requestMetricsHourPrefix;
  const series: MetricsSeries = new Map();
  const entries = kv.list<Deno.KvU64>(
    { start: prefix(options.from), end: prefix(options.to) },
    { batchSize: 500 },
  );
  for await (const entry of entries) {
    const [, , slot, route, field] = entry.key;
    if (typeof slot !== "number" || typeof route !== "string" || typeof field !== "string") {
      continue;
    }
    if (!(entry.value instanceof Deno.KvU64)) continue;
    let routes = series.get(slot);
    if (!routes) series.set(slot, routes = new Map());
    let counters = routes.get(route);
    if (!counters) routes.set(route, counters = emptyCounters());
    applyField(counters, field, Number(entry.value.value));
  }
  return series;
}

function applyField(counters: RouteCounters, field: string, n: number): void {
  if (field === "n") counters.count = n;
  else if (field === "304") counters.notModified = n;
  else if (/^s[1-5]$/.test(field)) counters.status[Number(field[1]) - 1] = n;
  else if (/^[dt]\d+$/.test(field)) {
    const index = Number(field.slice(1));
    if (index >= BUCKET_COUNT) return;
    (field[0] === "d" ? counters.duration : counters.ttfb)[index] = n;
  }
}
