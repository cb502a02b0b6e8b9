import type { LoaderFunctionArgs } from "@remix-run/server-runtime";
import { json } from "@remix-run/server-runtime";
import type { MetaFunction } from "@remix-run/react";
import { useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { getUser } from "../http/auth.server.ts";
import { loadStatus } from "../observability/status.server.ts";
import { adminAccess, ensureSetupToken } from "../auth/admin.server.ts";
import type { LatencySummary, SeriesPoint, StatusReport } from "../observability/status.server.ts";
import { bars, type Frame, linePath, niceMax, yOf } from "../observability/charts.ts";
import {
  formatMs,
  formatVital,
  percent,
  VITAL_NAMES,
  VITAL_THRESHOLDS,
} from "../observability/vitals.ts";
import { isConnectionError } from "../db/errors.ts";

export const meta: MetaFunction = () => [
  { title: "Status — Atlas9" },
  { name: "robots", content: "noindex" },
];

/**
 * Admins only: listed in ADMIN_EMAILS and confirmed with the setup token (decision 013);
 * everyone else sees the ordinary 404, a listed account not yet confirmed a 403.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  const access = user ? await adminAccess(context.services, user) : "none";
  if (access === "none") throw new Response("Not found", { status: 404 });
  if (access === "unconfirmed") {
    if (!context.services.env.adminSetupToken) await ensureSetupToken(context.services.kv);
    throw new Response(
      "Confirm administrator access on Settings with the setup token from the server log.",
      { status: 403, headers: { "Cache-Control": "private, no-store" } },
    );
  }
  const report = await context.timing.time("kv", () => loadStatus(context.services)).catch(
    (error) => {
      // LLM figures come from Postgres directly: an outage is a 503 here too, not a 500.
      if (isConnectionError(error)) {
        throw new Response("Database unavailable", {
          status: 503,
          headers: { "Retry-After": "5" },
        });
      }
      throw error;
    },
  );
  return json(report, { headers: { "Cache-Control": "private, no-store" } });
}

export default function Status() {
  const report = useLoaderData<typeof loader>() as unknown as StatusReport;
  const { overall, checks, llm, cache } = report;
  return (
    <>
      <h1>Status</h1>
      <p className="muted">
        Generated {clock(report.generatedAt)}{" "}
        UTC. Server figures exclude static files; the headline judges the last hour.
      </p>

      <section aria-labelledby="targets">
        <h2 id="targets">Targets</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col">Now</th>
              <th scope="col">Target</th>
              <th scope="col">Met</th>
            </tr>
          </thead>
          <tbody>
            {report.verdicts.map((v) => (
              <tr key={v.label}>
                <th scope="row">{v.label}</th>
                <td>{v.value}</td>
                <td>{v.target}</td>
                <td>{v.ok === null ? "no data" : v.ok ? "✓ yes" : "✗ no"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="requests">
        <h2 id="requests">Requests</h2>
        <p>
          Last hour: {overall.hour.count} requests, error rate{" "}
          {rate(overall.hour.errorRate)}. Last 24 hours: {overall.day.count} requests, error rate
          {" "}
          {rate(overall.day.errorRate)}.
        </p>
        <div className="charts">
          <LatencyChart title="Latency per minute, last hour" points={report.charts.hour} />
          <VolumeChart title="Requests per minute, last hour" points={report.charts.hour} />
          <LatencyChart title="Latency per hour, last 24 hours" points={report.charts.day} />
          <VolumeChart title="Requests per hour, last 24 hours" points={report.charts.day} />
        </div>
        <RouteTable caption="Per route, last hour" routes={report.routes} pick="hour" />
        <RouteTable caption="Per route, last 24 hours" routes={report.routes} pick="day" />
      </section>

      <section aria-labelledby="availability">
        <h2 id="availability">Availability</h2>
        <p>
          Synthetic checks every minute: {rate(checks.availabilityHour)} succeeded in the last hour,
          {" "}
          {rate(checks.availabilityDay)} in the last 24 hours. {checks.incidents.length === 0
            ? "No open incidents."
            : `${checks.incidents.length} open incident(s).`}
        </p>
        {checks.incidents.length > 0 && (
          <ul>
            {checks.incidents.map((incident) => (
              <li key={incident.target}>
                <strong>{incident.target}</strong> ({incident.path}): {incident.reason}, since{" "}
                {clock(incident.since)} UTC{incident.alerted ? ", alert sent" : ""}
              </li>
            ))}
          </ul>
        )}
        <CheckChart targets={checks.targets} />
        <table>
          <caption>Checks</caption>
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Path</th>
              <th scope="col">Last</th>
              <th scope="col">p95, 1 h</th>
              <th scope="col">Available, 1 h</th>
              <th scope="col">Available, 24 h</th>
              <th scope="col">Over 1000 ms, 24 h</th>
            </tr>
          </thead>
          <tbody>
            {checks.targets.map((t) => (
              <tr key={t.target}>
                <th scope="row">{t.target}</th>
                <td>
                  <code>{t.path}</code>
                </td>
                <td>
                  {t.last
                    ? `${t.last.status ?? t.last.error ?? "failed"} in ${
                      formatMs(t.last.durationMs)
                    }`
                    : "—"}
                </td>
                <td>{formatMs(t.p95Hour)}</td>
                <td>{rate(t.availabilityHour)}</td>
                <td>{rate(t.availabilityDay)}</td>
                <td>{t.slowDay}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="vitals">
        <h2 id="vitals">Core Web Vitals, p75 over the last 24 hours</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Route</th>
              {VITAL_NAMES.map((name) => (
                <th scope="col" key={name}>
                  {name} (≤ {formatVital(name, VITAL_THRESHOLDS[name].good)})
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[{ route: "All routes", figures: report.vitals.overall }, ...report.vitals.routes].map(
              (
                row,
              ) => (
                <tr key={row.route}>
                  <th scope="row">{row.route}</th>
                  {VITAL_NAMES.map((name) => {
                    const figure = row.figures[name];
                    return (
                      <td key={name}>
                        {figure
                          ? `${formatVital(name, figure.p75)} ${
                            RATING[figure.rating]
                          } (n=${figure.count})`
                          : "—"}
                      </td>
                    );
                  })}
                </tr>
              ),
            )}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="llm">
        <h2 id="llm">LLM cost and latency, last 24 hours</h2>
        <p>
          {llm.calls} stage calls, ${llm.costUsd.toFixed(4)} in total; LLM cache hit rate{" "}
          {rate(cache.llmHitRate)}. HTTP revalidations answered 304:{" "}
          {rate(cache.httpRevalidationRate)}. Model outputs repaired before they validated:{" "}
          {llm.repairs}.
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Stage</th>
              <th scope="col">Calls</th>
              <th scope="col">Cached</th>
              <th scope="col">Repairs</th>
              <th scope="col">Cost</th>
              <th scope="col">Per call</th>
              <th scope="col">Duration p50</th>
              <th scope="col">Duration p95</th>
              <th scope="col">First token p50</th>
            </tr>
          </thead>
          <tbody>
            {llm.stages.map((s) => (
              <tr key={`${s.provider}/${s.stage}`}>
                <th scope="row">{s.provider}</th>
                <td>{s.stage}</td>
                <td>{s.calls}</td>
                <td>{s.cached}</td>
                <td>{s.repairs}</td>
                <td>${s.costUsd.toFixed(4)}</td>
                <td>${(s.calls ? s.costUsd / s.calls : 0).toFixed(5)}</td>
                <td>{formatMs(s.p50DurationMs)}</td>
                <td>{formatMs(s.p95DurationMs)}</td>
                <td>{formatMs(s.p50TtftMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

const RATING = { good: "good", "needs-improvement": "needs improvement", poor: "poor" } as const;

function rate(ratio: number | null): string {
  return ratio === null ? "no data" : percent(ratio, ratio > 0 && ratio < 0.01 ? 2 : 1);
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

function RouteTable(
  props: { caption: string; routes: StatusReport["routes"]; pick: "hour" | "day" },
) {
  const rows = props.routes.filter((r) => r[props.pick].count > 0);
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Route</th>
          <th scope="col">Requests</th>
          <th scope="col">p50</th>
          <th scope="col">p95</th>
          <th scope="col">p99</th>
          <th scope="col">TTFB p75</th>
          <th scope="col">5xx</th>
          <th scope="col">4xx</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={8}>No requests recorded.</td>
          </tr>
        )}
        {rows.map((r) => {
          const s: LatencySummary = r[props.pick];
          return (
            <tr key={r.route}>
              <th scope="row">
                <code>{r.route}</code>
              </th>
              <td>{s.count}</td>
              <td>{formatMs(s.p50)}</td>
              <td>{formatMs(s.p95)}</td>
              <td>{formatMs(s.p99)}</td>
              <td>{formatMs(s.ttfbP75)}</td>
              <td>{rate(s.errorRate)}</td>
              <td>{s.clientErrors}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const FRAME: Frame = { width: 540, height: 120 };
const LEFT = 48;
const TOP = 8;
const BOTTOM = 20;
const COLORS = ["#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c"];

function Axes(props: { max: number; unit: string; labels: [string, string] }) {
  return (
    <g fontSize="11" fill="#475569">
      {[0, props.max / 2, props.max].map((tick) => (
        <g key={tick}>
          <line
            x1={LEFT}
            x2={LEFT + FRAME.width}
            y1={TOP + yOf(tick, FRAME, props.max)}
            y2={TOP + yOf(tick, FRAME, props.max)}
            stroke="#e2e8f0"
          />
          <text x={LEFT - 4} y={TOP + yOf(tick, FRAME, props.max) + 4} textAnchor="end">
            {tick}
            {props.unit}
          </text>
        </g>
      ))}
      <text x={LEFT} y={TOP + FRAME.height + 15}>{props.labels[0]}</text>
      <text x={LEFT + FRAME.width} y={TOP + FRAME.height + 15} textAnchor="end">
        {props.labels[1]}
      </text>
    </g>
  );
}

function Chart(
  props: { title: string; legend: { name: string; color: string }[]; children: ReactNode },
) {
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${LEFT + FRAME.width + 8} ${TOP + FRAME.height + BOTTOM}`}
        role="img"
        aria-label={props.title}
        width="100%"
      >
        {props.children}
      </svg>
      <figcaption>
        {props.title}: {props.legend.map((item, i) => (
          <span key={item.name}>
            {i > 0 && ", "}
            <span style={{ color: item.color }}>■</span> {item.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

function timeLabels(points: SeriesPoint[]): [string, string] {
  return [clock(points[0]?.at ?? 0), clock(points.at(-1)?.at ?? 0)];
}

function LatencyChart(props: { title: string; points: SeriesPoint[] }) {
  const p50 = props.points.map((p) => p.p50);
  const p95 = props.points.map((p) => p.p95);
  const max = niceMax([...p95, ...p50], 10);
  return (
    <Chart
      title={props.title}
      legend={[{ name: "p50", color: COLORS[0] }, { name: "p95", color: COLORS[1] }]}
    >
      <Axes max={max} unit=" ms" labels={timeLabels(props.points)} />
      <g transform={`translate(${LEFT},${TOP})`} fill="none" strokeWidth="2" strokeLinecap="round">
        <path d={linePath(p50, FRAME, max)} stroke={COLORS[0]} />
        <path d={linePath(p95, FRAME, max)} stroke={COLORS[1]} />
      </g>
    </Chart>
  );
}

function VolumeChart(props: { title: string; points: SeriesPoint[] }) {
  const counts = props.points.map((p) => p.count);
  const errors = props.points.map((p) => p.errors);
  const max = niceMax(counts, 10);
  return (
    <Chart
      title={props.title}
      legend={[{ name: "requests", color: "#64748b" }, { name: "5xx", color: "#dc2626" }]}
    >
      <Axes max={max} unit="" labels={timeLabels(props.points)} />
      <g transform={`translate(${LEFT},${TOP})`}>
        {bars(counts, FRAME, max).map((bar, i) => <rect key={`n${i}`} {...bar} fill="#64748b" />)}
        {bars(errors, FRAME, max).map((bar, i) =>
          bar.height > 0 ? <rect key={`e${i}`} {...bar} fill="#dc2626" /> : null
        )}
      </g>
    </Chart>
  );
}

function CheckChart(props: { targets: StatusReport["checks"]["targets"] }) {
  const max = niceMax([...props.targets.flatMap((t) => t.minutes), 1000], 10);
  return (
    <Chart
      title="Check duration per minute, last hour (dashed: 1000 ms alert line)"
      legend={props.targets.map((t, i) => ({ name: t.target, color: COLORS[i % COLORS.length] }))}
    >
      <Axes max={max} unit=" ms" labels={["−60 min", "now"]} />
      <g transform={`translate(${LEFT},${TOP})`} fill="none" strokeWidth="2" strokeLinecap="round">
        <line
          x1={0}
          x2={FRAME.width}
          y1={yOf(1000, FRAME, max)}
          y2={yOf(1000, FRAME, max)}
          stroke="#dc2626"
          strokeDasharray="4 4"
          strokeWidth="1"
        />
        {props.targets.map((t, i) => (
          <path
            key={t.target}
            d={linePath(t.minutes, FRAME, max)}
            stroke={COLORS[i % COLORS.length]}
          />
        ))}
      </g>
    </Chart>
  );
}
