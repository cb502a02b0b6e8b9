/**
 * `GET /api/health` (issue 15 item 5): the health monitor's latest result, serialized once per
 * result, so a load balancer's probe is a memory read and a write of ready bytes.
 */
import type { HealthReport } from "../observability/health.server.ts";
import type { HealthMonitor } from "../observability/health-monitor.server.ts";
import { fixedResponse } from "./fixed.server.ts";

/** The serialized answer of each report. */
const answers = new WeakMap<HealthReport, { body: Uint8Array<ArrayBuffer>; status: number }>();

const HEALTHY_HEADERS = [
  ["Content-Type", "application/json"],
  ["Cache-Control", "no-store"],
] as const;
const DEGRADED_HEADERS = [...HEALTHY_HEADERS, ["Retry-After", "5"]] as const;

/** `GET /api/health[?deep=1]`: the report as JSON, 503 with `Retry-After` when degraded. */
export async function healthResponse(monitor: HealthMonitor, url: URL): Promise<Response> {
  const report = await monitor.report({ deep: url.searchParams.get("deep") === "1" });
  let answer = answers.get(report);
  if (!answer) {
    answer = {
      body: new TextEncoder().encode(JSON.stringify(report)),
      status: report.status === "ok" ? 200 : 503,
    };
    answers.set(report, answer);
  }
  return fixedResponse(
    answer.body,
    answer.status,
    answer.status === 200 ? HEALTHY_HEADERS : DEGRADED_HEADERS,
  );
}
