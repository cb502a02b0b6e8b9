/** Geometry of the small server-rendered SVG charts on `/status` (no client code). */

/** The drawing area of a chart, in SVG user units. */
export interface Frame {
  width: number;
  height: number;
}

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten, at least `floor`. */
export function niceMax(values: readonly (number | null)[], floor = 1): number {
  const max = Math.max(floor, ...values.map((v) => v ?? 0));
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= max) return step * power;
  }
  return 10 * power;
}

/** The y of a value on a frame whose top is `max`. */
export function yOf(value: number, frame: Frame, max: number): number {
  return round(frame.height - (Math.min(value, max) / max) * frame.height);
}

/**
 * An SVG path through the values, left to right; nulls leave gaps. Each run starts with a
 * zero-length segment, so a lone point still shows as a dot under round line caps.
 */
export function linePath(values: readonly (number | null)[], frame: Frame, max: number): string {
  const step = values.length > 1 ? frame.width / (values.length - 1) : 0;
  let path = "";
  let drawing = false;
  values.forEach((value, i) => {
    if (value === null) {
      drawing = false;
      return;
    }
    const point = `${round(i * step)},${yOf(value, frame, max)}`;
    path += drawing ? `L${point}` : `M${point}h0`;
    drawing = true;
  });
  return path;
}

/** One bar per value, evenly spaced, with a small gap. */
export function bars(
  values: readonly number[],
  frame: Frame,
  max: number,
): { x: number; y: number; width: number; height: number }[] {
  const slot = frame.width / Math.max(1, values.length);
  const width = round(Math.max(1, slot * 0.8));
  return values.map((value, i) => {
    const y = yOf(value, frame, max);
    return { x: round(i * slot + (slot - width) / 2), y, width, height: round(frame.height - y) };
  });
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
