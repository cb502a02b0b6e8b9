import type { HealthReport } from "./health.server.ts";

/** How old a health result may be when `/api/health` answers with it. */
export const HEALTH_MAX_AGE_MS = 1_000;

/**
 * The latest health result, refreshed in the background (issue 15 item 5), so a load balancer's
 * probes cost a memory read. A probe that finds the result past half its age starts a refresh
 * in the background and is answered from memory; a result older than `maxAgeMs` is never
 * served: the probe waits for a fresh run (one at a time however many probes wait). `deep`
 * runs the checks now. Without probes nothing runs, so an idle instance never wakes its
 * database (a Neon compute suspends when idle) or writes to KV.
 */
export function createHealthMonitor(
  options: { run: () => Promise<HealthReport>; maxAgeMs?: number; now?: () => number },
) {
  const maxAgeMs = options.maxAgeMs ?? HEALTH_MAX_AGE_MS;
  const now = options.now ?? (() => performance.now());
  let latest: { report: HealthReport; at: number } | null = null;
  let running: Promise<HealthReport> | null = null;
  let started = false;

  const refresh = (): Promise<HealthReport> => {
    running ??= (async () => {
      const startedAt = now();
      try {
        const report = await options.run();
        // A result counts from when its checks began: what it says may have changed since.
        latest = { report, at: startedAt };
        return report;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  return {
    /** A result at most `maxAgeMs` old, or a fresh one when `deep`. */
    report(request: { deep?: boolean } = {}): Promise<HealthReport> {
      const age = latest ? now() - latest.at : Infinity;
      if (!request.deep && latest && age <= maxAgeMs) {
        if (age > maxAgeMs / 2) void refresh().catch(() => {});
        return Promise.resolve(latest.report);
      }
      return refresh();
    },
    /** Primes the first result, so the first probe after start is answered from memory. */
    start(): void {
      if (started) return;
      started = true;
      void refresh().catch(() => {});
    },
    stop(): void {
      started = false;
    },
  };
}

/** The health monitor of one process. */
export type HealthMonitor = ReturnType<typeof createHealthMonitor>;
