/**
 * The `/status` report: whether Atlas9 meets its targets right now — request latency and
 * errors per route, availability from the synthetic checks, Core Web Vitals, LLM cost and
 * latency, cache hit rates — for the last hour (per minute) and the last day (per hour).
 */
import type { Services } from "../server/services.server.ts";
import { STAGE_NAMES } from "../blueprint/stages.ts";
import {
  bucketOf,
  countOf,
  emptyHistogram,
  type Histogram,
  mergeInto,
  percentile,
} from "./histogram.ts";
import { type LlmStageStats, readLlmStats } from "./llm-stats.server.ts";
import {
  emptyCounters,
  hourOf,
  mergeCounters,
  type MetricsSeries,
  minuteOf,
  readRequestMetrics,
  type RouteCounters,
} from "./request-metrics.server.ts";
import { STATIC_ROUTE } from "./routes.ts";
import { fromStored, readVitals } from "./rum.server.ts";
import { formatVital, percent, VITAL_NAMES, VITAL_THRESHOLDS, type VitalName } from "./vitals.ts";
import {
  type CheckResult,
  type Incident,
  readCheckResults,
  readCheckRollup,
  readIncidents,
} from "./synthetic.server.ts";

/** The seed's server targets (issue 7, "Done when"). */
export const SERVER_TARGETS = {
  p50Ms: 400,
  p95Ms: 1200,
  p99Ms: 2000,
  ttfbMs: 300,
  errorRate: 0.001,
} as const;

/** Latency and error figures of a set of requests. */
export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  ttfbP75: number | null;
  /** 5xx responses over all responses; null without requests. */
  errorRate: number | null;
  clientErrors: number;
  /** 304 responses over all responses. */
  notModifiedRate: number | null;
}

/** One point of a time chart. */
export interface SeriesPoint {
  /** Epoch ms at the start of the slot. */
  at: number;
  count: number;
  errors: number;
  p50: number | null;
  p95: number | null;
}

/** A target's synthetic-check figures. */
export interface CheckSummary {
  target: string;
  path: string;
  last: CheckResult | null;
  availabilityHour: number | null;
  availabilityDay: number | null;
  p95Hour: number | null;
  slowDay: number;
  /** Duration per minute of the last hour (null where no check ran). */
  minutes: (number | null)[];
}

/** p75 of one vital and how many samples it rests on. */
export interface VitalFigure {
  p75: number;
  count: number;
  rating: "good" | "needs-improvement" | "poor";
}

/** A headline check against a target. */
export interface Verdict {
  label: string;
  value: string;
  target: string;
  /** null when there is no data to judge. */
  ok: boolean | null;
}

/** Everything `/status` shows. */
export interface StatusReport {
  generatedAt: number;
  verdicts: Verdict[];
  overall: { hour: LatencySummary; day: LatencySummary };
  routes: { route: string; hour: LatencySummary; day: LatencySummary }[];
  charts: { hour: SeriesPoint[]; day: SeriesPoint[] };
  checks: {
    targets: CheckSummary[];
    incidents: Incident[];
    availabilityHour: number | null;
    availabilityDay: number | null;
  };
  vitals: {
    overall: Partial<Record<VitalName, VitalFigure>>;
    routes: { route: string; figures: Partial<Record<VitalName, VitalFigure>> }[];
  };
  llm: {
    stages: LlmStageStats[];
    calls: number;
    costUsd: number;
    cacheHitRate: number | null;
    /** Repairs model outputs needed before they validated (ADR 012). */
    repairs: number;
  };
  cache: { llmHitRate: number | null; httpRevalidationRate: number | null };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Builds the report; unflushed request metrics are flushed first so it is current. */
export async function loadStatus(
  services: Pick<Services, "kv" | "database" | "metrics">,
  options: { now?: number } = {},
): Promise<StatusReport> {
  const { kv } = services;
  await services.metrics.flush().catch((error) => console.error("metrics flush:", error));
  const now = options.now ?? Date.now();
  const minute = minuteOf(now);
  const hour = hourOf(now);
  const [minutes, hours, vitals, results, rollup, incidents, llmStages] = await Promise.all([
    readRequestMetrics(kv, { resolution: "minute", from: minute - 59, to: minute + 1 }),
    readRequestMetrics(kv, { resolution: "hour", from: hour - 23, to: hour + 1 }),
    readVitals(kv, { fromHour: hour - 23, toHour: hour + 1 }),
    readCheckResults(kv, { fromMinute: minute - 59, toMinute: minute + 1 }),
    readCheckRollup(kv, { fromHour: hour - 23, toHour: hour + 1 }),
    readIncidents(kv),
    readLlmStats(services.database.readDb, { since: new Date(now - 24 * HOUR_MS) }),
  ]);

  const hourByRoute = byRoute(minutes);
  const dayByRoute = byRoute(hours);
  const overall = {
    hour: summarise(combine(hourByRoute, (route) => route !== STATIC_ROUTE)),
    day: summarise(combine(dayByRoute, (route) => route !== STATIC_ROUTE)),
  };
  const routes = [...new Set([...dayByRoute.keys(), ...hourByRoute.keys()])]
    .map((route) => ({
      route,
      hour: summarise(hourByRoute.get(route) ?? emptyCounters()),
      day: summarise(dayByRoute.get(route) ?? emptyCounters()),
    }))
    .sort((a, b) => b.day.count - a.day.count || a.route.localeCompare(b.route));

  const checks = summariseChecks({ results, rollup, incidents, minute });
  const vitalFigures = summariseVitals(vitals);
  const llm = summariseLlm(llmStages);
  const allDay = combine(dayByRoute, () => true);
  const cache = {
    llmHitRate: llm.cacheHitRate,
    httpRevalidationRate: allDay.count ? allDay.notModified / allDay.count : null,
  };

  return {
    generatedAt: now,
    verdicts: verdictsOf({ overall: overall.hour, checks, vitals: vitalFigures.overall }),
    overall,
    routes,
    charts: {
      hour: timeline(minutes, { from: minute - 59, count: 60, slotMs: MINUTE_MS }),
      day: timeline(hours, { from: hour - 23, count: 24, slotMs: HOUR_MS }),
    },
    checks,
    vitals: vitalFigures,
    llm,
    cache,
  };
}

function byRoute(series: MetricsSeries): Map<string, RouteCounters> {
  const totals = new Map<string, RouteCounters>();
  for (const routes of series.values()) {
    for (const [route, counters] of routes) {
      let total = totals.get(route);
      if (!total) totals.set(route, total = emptyCounters());
      mergeCounters(total, counters);
    }
  }
  return totals;
}

function combine(routes: Map<string, RouteCounters>, include: (route: string) => boolean) {
  const total = emptyCounters();
  for (const [route, counters] of routes) if (include(route)) mergeCounters(total, counters);
  return total;
}

/** p50/p95/p99, TTFB p75 and error rates of some counters. */
export function summarise(counters: RouteCounters): LatencySummary {
  const { count } = counters;
  return {
    count,
    p50: percentile(counters.duration, 0.5),
    p95: percentile(counters.duration, 0.95),
    p99: percentile(counters.duration, 0.99),
    ttfbP75: percentile(counters.ttfb, 0.75),
    errorRate: count ? counters.status[4] / count : null,
    clientErrors: counters.status[3],
    notModifiedRate: count ? counters.notModified / count : null,
  };
}

function timeline(
  series: MetricsSeries,
  options: { from: number; count: number; slotMs: number },
): SeriesPoint[] {
  return Array.from({ length: options.count }, (_, i) => {
    const slot = options.from + i;
    const routes = series.get(slot) ?? new Map<string, RouteCounters>();
    const counters = combine(routes, (route) => route !== STATIC_ROUTE);
    return {
      at: slot * options.slotMs,
      count: counters.count,
      errors: counters.status[4],
      p50: percentile(counters.duration, 0.5),
      p95: percentile(counters.duration, 0.95),
    };
  });
}

function summariseChecks(input: {
  results: CheckResult[];
  rollup: Map<
    number,
    Map<string, { count: number; failed: number; slow: number; duration: Histogram }>
  >;
  incidents: Incident[];
  minute: number;
}): StatusReport["checks"] {
  const names = new Set(input.results.map((r) => r.target));
  for (const targets of input.rollup.values()) for (const name of targets.keys()) names.add(name);
  let hourCount = 0, hourFailed = 0, dayCount = 0, dayFailed = 0;
  const targets: CheckSummary[] = [...names].sort().map((target) => {
    const mine = input.results.filter((r) => r.target === target);
    const durations = emptyHistogram();
    const minutes: (number | null)[] = new Array(60).fill(null);
    for (const result of mine) {
      const index = minuteOf(result.at) - (input.minute - 59);
      if (index >= 0 && index < 60) minutes[index] = result.durationMs;
      durations[bucketOf(result.durationMs)]++;
    }
    let count = 0, failed = 0, slow = 0;
    for (const targetsOfHour of input.rollup.values()) {
      const counters = targetsOfHour.get(target);
      if (!counters) continue;
      count += counters.count;
      failed += counters.failed;
      slow += counters.slow;
    }
    const failedHour = mine.filter((r) => !r.ok).length;
    hourCount += mine.length;
    hourFailed += failedHour;
    dayCount += count;
    dayFailed += failed;
    return {
      target,
      path: mine.at(-1)?.path ?? input.incidents.find((i) => i.target === target)?.path ?? "",
      last: mine.at(-1) ?? null,
      availabilityHour: mine.length ? 1 - failedHour / mine.length : null,
      availabilityDay: count ? 1 - failed / count : null,
      p95Hour: percentile(durations, 0.95),
      slowDay: slow,
      minutes,
    };
  });
  return {
    targets,
    incidents: input.incidents,
    availabilityHour: hourCount ? 1 - hourFailed / hourCount : null,
    availabilityDay: dayCount ? 1 - dayFailed / dayCount : null,
  };
}

function summariseVitals(byRoute: Map<string, Map<VitalName, Histogram>>): StatusReport["vitals"] {
  const totals = new Map<VitalName, Histogram>();
  const routes = [...byRoute].map(([route, vitals]) => {
    const figures: Partial<Record<VitalName, VitalFigure>> = {};
    for (const name of VITAL_NAMES) {
      const histogram = vitals.get(name);
      if (!histogram) continue;
      let total = totals.get(name);
      if (!total) totals.set(name, total = emptyHistogram());
      mergeInto(total, histogram);
      const figure = vitalFigure(name, histogram);
      if (figure) figures[name] = figure;
    }
    return { route, figures };
  }).sort((a, b) => a.route.localeCompare(b.route));
  const overall: Partial<Record<VitalName, VitalFigure>> = {};
  for (const [name, histogram] of totals) {
    const figure = vitalFigure(name, histogram);
    if (figure) overall[name] = figure;
  }
  return { overall, routes };
}

function vitalFigure(name: VitalName, histogram: Histogram): VitalFigure | null {
  const p75 = percentile(histogram, 0.75);
  if (p75 === null) return null;
  const value = fromStored(name, p75);
  const { good, poor } = VITAL_THRESHOLDS[name];
  const rating = value <= good ? "good" : value <= poor ? "needs-improvement" : "poor";
  return { p75: value, count: countOf(histogram), rating };
}

function summariseLlm(stages: LlmStageStats[]): StatusReport["llm"] {
  const order = (stage: string) => (STAGE_NAMES as readonly string[]).indexOf(stage);
  const sorted = [...stages].sort((a, b) =>
    a.provider.localeCompare(b.provider) || order(a.stage) - order(b.stage)
  );
  const calls = stages.reduce((n, s) => n + s.calls, 0);
  const cached = stages.reduce((n, s) => n + s.cached, 0);
  return {
    stages: sorted,
    calls,
    costUsd: stages.reduce((n, s) => n + s.costUsd, 0),
    cacheHitRate: calls ? cached / calls : null,
    repairs: stages.reduce((n, s) => n + s.repairs, 0),
  };
}

function verdictsOf(input: {
  overall: LatencySummary;
  checks: StatusReport["checks"];
  vitals: Partial<Record<VitalName, VitalFigure>>;
}): Verdict[] {
  const { overall, checks, vitals } = input;
  const ms = (value: number | null) => value === null ? "no data" : `${Math.round(value)} ms`;
  const below = (value: number | null, limit: number) => value === null ? null : value < limit;
  const verdicts: Verdict[] = [
    {
      label: "p50 latency",
      value: ms(overall.p50),
      target: `< ${SERVER_TARGETS.p50Ms} ms`,
      ok: below(overall.p50, SERVER_TARGETS.p50Ms),
    },
    {
      label: "p95 latency",
      value: ms(overall.p95),
      target: `< ${SERVER_TARGETS.p95Ms} ms`,
      ok: below(overall.p95, SERVER_TARGETS.p95Ms),
    },
    {
      label: "p99 latency",
      value: ms(overall.p99),
      target: `< ${SERVER_TARGETS.p99Ms} ms`,
      ok: below(overall.p99, SERVER_TARGETS.p99Ms),
    },
    {
      label: "TTFB p75",
      value: ms(overall.ttfbP75),
      target: `< ${SERVER_TARGETS.ttfbMs} ms`,
      ok: below(overall.ttfbP75, SERVER_TARGETS.ttfbMs),
    },
    {
      label: "Error rate (5xx)",
      value: overall.errorRate === null ? "no data" : percent(overall.errorRate, 2),
      target: "< 0.1 %",
      ok: below(overall.errorRate, SERVER_TARGETS.errorRate),
    },
    {
      label: "Availability",
      value: checks.availabilityHour === null ? "no data" : percent(checks.availabilityHour, 1),
      target: "100 % of checks",
      ok: checks.availabilityHour === null
        ? null
        : checks.availabilityHour === 1 && checks.incidents.length === 0,
    },
  ];
  for (const name of VITAL_NAMES) {
    const figure = vitals[name];
    const { good } = VITAL_THRESHOLDS[name];
    verdicts.push({
      label: `${name} p75`,
      value: figure ? formatVital(name, figure.p75) : "no data",
      target: `≤ ${formatVital(name, good)}`,
      ok: figure ? figure.rating === "good" : null,
    });
  }
  return verdicts;
}
