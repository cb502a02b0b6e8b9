/** The web vitals Atlas9 collects and their thresholds (shared by server and `/status`). */

/** The Core Web Vitals and companions the client reports. */
export const VITAL_NAMES = ["LCP", "INP", "CLS", "FCP", "TTFB"] as const;

/** One reported web vital. */
export type VitalName = (typeof VITAL_NAMES)[number];

/** Good/poor boundaries of each vital at p75 (web.dev); CLS is unitless, the rest in ms. */
export const VITAL_THRESHOLDS: Record<VitalName, { good: number; poor: number }> = {
  LCP: { good: 2500, poor: 4000 },
  INP: { good: 200, poor: 500 },
  CLS: { good: 0.1, poor: 0.25 },
  FCP: { good: 1800, poor: 3000 },
  TTFB: { good: 800, poor: 1800 },
};

/** A vital in its unit: CLS unitless, the rest in ms. */
export function formatVital(name: VitalName, value: number): string {
  return name === "CLS" ? value.toFixed(3) : `${Math.round(value)} ms`;
}

/** A ratio as a percentage. */
export function percent(ratio: number, digits = 1): string {
  return `${(ratio * 100).toFixed(digits)} %`;
}

/** Milliseconds, rounded; a dash without data. */
export function formatMs(value: number | null): string {
  return value === null ? "—" : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}
