/**
 * Synthetic checks (docs/architecture.md §8): every minute, request `/api/health` and key pages, store
 * each duration and outcome, and tell a Slack-compatible webhook when a check fails or is
 * slower than 1000 ms — once per incident — and again when it recovers.
 */
import { z } from "zod";
import {
  incidentKey,
  incidentsPrefix,
  syntheticCheckKey,
  syntheticChecksPrefix,
  syntheticHourKey,
  syntheticHourPrefix,
} from "../kv/keys.ts";
import { readEntry } from "../kv/values.server.ts";
import { bucketOf, emptyHistogram, type Histogram } from "./histogram.ts";
import { hourOf, minuteOf } from "./request-metrics.server.ts";

/** A page or endpoint checked every minute. */
export interface CheckTarget {
  /** Stable name, e.g. "health"; keys and incidents use it. */
  name: string;
  path: string;
}

/** One check's outcome. */
export interface CheckResult {
  target: string;
  path: string;
  /** Answered 2xx within the timeout. */
  ok: boolean;
  /** Took longer than SLOW_CHECK_MS. */
  slow: boolean;
  status: number | null;
  durationMs: number;
  error?: string;
  at: number;
}

/** An open incident of one target. */
export type Incident = z.infer<typeof incidentSchema>;

/** A check slower than this is an incident even when it succeeds. */
export const SLOW_CHECK_MS = 1000;
/** A check is abandoned (and failed) after this long. */
export const CHECK_TIMEOUT_MS = 10_000;
const ALERT_TIMEOUT_MS = 5_000;
const RESULT_TTL_MS = 8 * 24 * 60 * 60 * 1000;

const checkResultSchema = z.object({
  target: z.string(),
  path: z.string(),
  ok: z.boolean(),
  slow: z.boolean(),
  status: z.number().nullable(),
  durationMs: z.number(),
  error: z.string().optional(),
  at: z.number(),
});

const incidentSchema = z.object({
  target: z.string(),
  path: z.string(),
  since: z.number(),
  reason: z.string(),
  /** Whether the webhook was told; an untold incident is retried on the next check. */
  alerted: z.boolean(),
});

/** Options of the synthetic checks. */
export interface SyntheticCheckOptions {
  kv: Deno.Kv;
  /** Answers a request: the in-process handler, or `fetch` against the listening server. */
  fetch: (request: Request) => Promise<Response>;
  /** Where requests are addressed, e.g. `http://localhost`. */
  origin: string;
  /** The targets of one run (key pages can depend on data, e.g. a public project). */
  targets: () => Promise<CheckTarget[]>;
  /** `ALERT_WEBHOOK_URL`; unset means incidents are only recorded. */
  webhookUrl?: string;
  /** Posts alerts; defaults to the global fetch. */
  post?: typeof fetch;
  /** Wall clock, for keys and incident times. */
  now?: () => number;
  /** Monotonic clock, for durations. */
  clock?: () => number;
}

/** Creates the checker; `run` performs one round (the cron calls it every minute). */
export function createSyntheticChecks(options: SyntheticCheckOptions) {
  const { kv } = options;
  const now = options.now ?? Date.now;
  const clock = options.clock ?? (() => performance.now());
  const post = options.post ?? fetch;

  async function check(target: CheckTarget): Promise<CheckResult> {
    const started = clock();
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`));
      }, CHECK_TIMEOUT_MS);
    });
    let status: number | null = null;
    let error: string | undefined;
    try {
      const request = new Request(new URL(target.path, options.origin), {
        signal: controller.signal,
        headers: { "User-Agent": "Atlas9-synthetic-check/1" },
      });
      const response = await Promise.race([options.fetch(request), timeout]);
      status = response.status;
      await Promise.race([response.arrayBuffer(), timeout]);
      if (!response.ok) error = `HTTP ${status}`;
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    } finally {
      clearTimeout(timer);
    }
    const durationMs = clock() - started;
    return {
      target: target.name,
      path: target.path,
      ok: error === undefined,
      slow: durationMs > SLOW_CHECK_MS,
      status,
      durationMs: Math.round(durationMs * 10) / 10,
      ...(error === undefined ? {} : { error }),
      at: now(),
    };
  }

  async function store(result: CheckResult): Promise<void> {
    const hour = hourOf(result.at);
    const op = kv.atomic()
      .set(syntheticCheckKey(minuteOf(result.at), result.target), result, {
        expireIn: RESULT_TTL_MS,
      })
      .sum(syntheticHourKey(hour, result.target, "n"), 1n)
      .sum(syntheticHourKey(hour, result.target, `d${bucketOf(result.durationMs)}`), 1n);
    if (!result.ok) op.sum(syntheticHourKey(hour, result.target, "fail"), 1n);
    if (result.slow) op.sum(syntheticHourKey(hour, result.target, "slow"), 1n);
    await op.commit();
  }

  async function alert(text: string): Promise<boolean> {
    if (!options.webhookUrl) return false;
    try {
      const response = await post(options.webhookUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text }),
        signal: AbortSignal.timeout(ALERT_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (!response.ok) console.error(`alert webhook answered ${response.status}`);
      return response.ok;
    } catch (error) {
      console.error("alert webhook failed:", error instanceof Error ? error.message : error);
      return false;
    }
  }

  /** Opens, alerts or closes the target's incident; atomic, so one instance alerts once. */
  async function reconcile(result: CheckResult): Promise<void> {
    const key = incidentKey(result.target);
    const entry = await readEntry(kv, key, incidentSchema);
    const bad = !result.ok || result.slow;
    if (bad) {
      let incident = entry.value;
      let versionstamp = entry.versionstamp;
      if (!incident) {
        incident = {
          target: result.target,
          path: result.path,
          since: result.at,
          reason: reasonOf(result),
          alerted: false,
        };
        // An unreadable value keeps its versionstamp, so it is replaced rather than stuck.
        const opened = await kv.atomic().check({ key, versionstamp }).set(key, incident).commit();
        if (!opened.ok) return;
        versionstamp = opened.versionstamp;
      }
      if (incident.alerted || !options.webhookUrl) return;
      if (!await alert(failureText(result, incident))) return;
      await kv.atomic().check({ key, versionstamp }).set(key, { ...incident, alerted: true })
        .commit();
    } else if (entry.value) {
      const closed = await kv.atomic().check({ key, versionstamp: entry.versionstamp }).delete(key)
        .commit();
      if (closed.ok && entry.value.alerted) await alert(recoveryText(result, entry.value));
    }
  }

  return {
    /** Checks every target once, in turn; stores results and alerts. */
    async run(): Promise<CheckResult[]> {
      const results: CheckResult[] = [];
      for (const target of await options.targets()) {
        const result = await check(target);
        await store(result);
        await reconcile(result);
        results.push(result);
      }
      return results;
    },
  };
}

function reasonOf(result: CheckResult): string {
  if (!result.ok) return result.error ?? "failed";
  return `took ${Math.round(result.durationMs)} ms (limit ${SLOW_CHECK_MS} ms)`;
}

function failureText(result: CheckResult, incident: Incident): string {
  return `:red_circle: Atlas9 synthetic check *${result.target}* (GET ${result.path}) is failing: ` +
    `${incident.reason}. Since ${new Date(incident.since).toISOString()}.`;
}

function recoveryText(result: CheckResult, incident: Incident): string {
  const minutes = Math.max(1, Math.round((result.at - incident.since) / 60_000));
  return `:large_green_circle: Atlas9 synthetic check *${result.target}* (GET ${result.path}) ` +
    `recovered: HTTP ${result.status} in ${Math.round(result.durationMs)} ms, after about ` +
    `${minutes} min.`;
}

/** Stored check results of minutes `fromMinute` ≤ m < `toMinute`, oldest first. */
export async function readCheckResults(
  kv: Deno.Kv,
  options: { fromMinute: number; toMinute: number },
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const entries = kv.list(
    {
      start: syntheticChecksPrefix(options.fromMinute),
      end: syntheticChecksPrefix(options.toMinute),
    },
    { batchSize: 500 },
  );
  for await (const entry of entries) {
    const parsed = checkResultSchema.safeParse(entry.value);
    if (parsed.success) results.push(parsed.data);
  }
  return results;
}

/** Hourly check counters of one target. */
export interface CheckCounters {
  count: number;
  failed: number;
  slow: number;
  duration: Histogram;
}

/** Hourly counters per target for hours `fromHour` ≤ h < `toHour`: hour → target → counters. */
export async function readCheckRollup(
  kv: Deno.Kv,
  options: { fromHour: number; toHour: number },
): Promise<Map<number, Map<string, CheckCounters>>> {
  const byHour = new Map<number, Map<string, CheckCounters>>();
  const entries = kv.list<Deno.KvU64>(
    { start: syntheticHourPrefix(options.fromHour), end: syntheticHourPrefix(options.toHour) },
    { batchSize: 500 },
  );
  for await (const entry of entries) {
    const [, , hour, target, field] = entry.key;
    if (typeof hour !== "number" || typeof target !== "string" || typeof field !== "string") {
      continue;
    }
    if (!(entry.value instanceof Deno.KvU64)) continue;
    let targets = byHour.get(hour);
    if (!targets) byHour.set(hour, targets = new Map());
    let counters = targets.get(target);
    if (!counters) {
      targets.set(target, counters = { count: 0, failed: 0, slow: 0, duration: emptyHistogram() });
    }
    const n = Number(entry.value.value);
    if (field === "n") counters.count = n;
    else if (field === "fail") counters.failed = n;
    else if (field === "slow") counters.slow = n;
    else if (/^d\d+$/.test(field) && Number(field.slice(1)) < counters.duration.length) {
      counters.duration[Number(field.slice(1))] = n;
    }
  }
  return byHour;
}

/** Every open incident. */
export async function readIncidents(kv: Deno.Kv): Promise<Incident[]> {
  const incidents: Incident[] = [];
  for await (const entry of kv.list({ prefix: incidentsPrefix() })) {
    const parsed = incidentSchema.safeParse(entry.value);
    if (parsed.success) incidents.push(parsed.data);
  }
  return incidents;
}

/** The pages checked by default: health, the start page, login, and the newest public page. */
export async function defaultCheckTargets(
  publicProjects: () => Promise<{ slug: string }[]>,
): Promise<CheckTarget[]> {
  const targets: CheckTarget[] = [
    { name: "health", path: "/api/health" },
    { name: "home", path: "/" },
    { name: "login", path: "/login" },
  ];
  const [newest] = await publicProjects().catch(() => []);
  if (newest) targets.push({ name: "public-page", path: `/p/${encodeURIComponent(newest.slug)}` });
  return targets;
}
