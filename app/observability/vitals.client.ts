/**
 * Reports this page load's web vitals (LCP, INP, CLS, FCP, TTFB) to `/api/analytics` with
 * sendBeacon, batched until the page is hidden. Loaded after hydration, in its own chunk.
 */
import { type Metric, onCLS, onFCP, onINP, onLCP, onTTFB } from "web-vitals";

const ENDPOINT = "/api/analytics";

/** Starts collecting; `route` is the id of the Remix route the page landed on. */
export function reportWebVitals(route: string): void {
  const queue = new Map<string, number>();
  const add = (metric: Metric) => void queue.set(metric.name, metric.value);
  const send = () => {
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
}
