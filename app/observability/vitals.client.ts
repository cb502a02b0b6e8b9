/**
 * Reports this page load's web vitals (LCP, INP, CLS, FCP, TTFB) to `/api/analytics` with
 * sendBeacon, batched until the page is hidden. Loaded after hydration, in its own chunk.
 */
import { type Metric, onCLS, onFCP, onINP, onLCP, onTTFB } from "web-vitals";

const ENDPOINT = "/api/analytics";

/** Starts collecting; `route` is the id of the Remix route the page landed on. */
export function reportWebVitals(route: string): void {
  const queue = new Map<string, number>();
  const reported = new Set<string>();
  const add = (metric: Metric) => {
    reported.add(metric.name);
    queue.set(metric.name, metric.value);
  };
  const send = () => {
    fillFromTimeline(queue, reported);
    if (queue.size === 0) return;
    const metrics = [...queue].map(([name, value]) => ({ name, value }));
    queue.clear();
    const body = JSON.stringify({ route, metrics });
    if (!navigator.sendBeacon?.(ENDPOINT, body)) {
      fetch(ENDPOINT, { method: "POST", body, keepalive: true }).catch(() => {});
    }
  };
  onLCP(add);
  onINP(add);
  onCLS(add);
  onFCP(add);
  onTTFB(add);
  // Registered after web-vitals' own listeners, so its final values are queued by then.
  addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") send();
  });
  addEventListener("pagehide", send);
  // Says the page is measured (for support sessions and the browser test that waits on it).
  document.documentElement.dataset.vitals = "on";
}

/**
 * web-vitals delivers FCP and TTFB from observer callbacks that run a task later; a tab closed
 * straight after loading would lose them. Before a send, read any not yet reported from the
 * performance timeline (the same entries web-vitals reads), so a quick close still counts.
 */
export function fillFromTimeline(queue: Map<string, number>, reported: Set<string>): void {
  const navigation = performance.getEntriesByType("navigation")[0] as
    | (PerformanceNavigationTiming & { activationStart?: number })
    | undefined;
  const activation = navigation?.activationStart ?? 0;
  if (!reported.has("TTFB") && navigation && navigation.responseStart > 0) {
    reported.add("TTFB");
    queue.set("TTFB", Math.max(navigation.responseStart - activation, 0));
  }
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  if (!reported.has("FCP") && paint) {
    reported.add("FCP");
    queue.set("FCP", Math.max(paint.startTime - activation, 0));
  }
}
