/**
 * Increments between two partial outputs of a stage (issue 14 item 2): the event log stores
 * `stage.delta` as the change since the stage's previous logged partial, so storage and replay
 * are proportional to the output rather than to its square. Streamed JSON grows at its end:
 * text appended to a string, keys added to an object, items pushed to an array. Anything else
 * (a value replaced) is carried whole at its path.
 */
import { z } from "zod";

type Path = (string | number)[];

/** One change: `a` appends text to the string at `p`, `v` sets the value at `p` (`[]` = root). */
export type PatchOp = { p: Path; a: string } | { p: Path; v: unknown };

const pathSchema = z.array(z.union([z.string(), z.number().int().nonnegative()])).max(64);

/** A stored patch, validated when read back from KV. */
export const patchSchema = z.array(
  z.union([
    z.object({ p: pathSchema, a: z.string() }).strict(),
    z.object({ p: pathSchema, v: z.unknown() }).strict(),
  ]),
).max(100_000);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The ops that turn `prev` into `next` (both JSON values); empty when they are equal. */
export function diffPartial(prev: unknown, next: unknown): PatchOp[] {
  const ops: PatchOp[] = [];
  diff(prev, next, [], ops);
  return ops;
}

function diff(prev: unknown, next: unknown, path: Path, ops: PatchOp[]): void {
  if (prev === next) return;
  if (typeof prev === "string" && typeof next === "string" && next.startsWith(prev)) {
    ops.push({ p: path, a: next.slice(prev.length) });
    return;
  }
  if (isRecord(prev) && isRecord(next) && Object.keys(prev).every((key) => key in next)) {
    for (const [key, value] of Object.entries(next)) {
      if (key in prev) diff(prev[key], value, [...path, key], ops);
      else ops.push({ p: [...path, key], v: value });
    }
    return;
  }
  if (Array.isArray(prev) && Array.isArray(next) && next.length >= prev.length) {
    for (let i = 0; i < next.length; i++) {
      if (i < prev.length) diff(prev[i], next[i], [...path, i], ops);
      else ops.push({ p: [...path, i], v: next[i] });
    }
    return;
  }
  if (JSON.stringify(prev) === JSON.stringify(next)) return;
  ops.push({ p: path, v: next });
}

/**
 * `base` with `ops` applied. Containers along each path are copied, never mutated, so a partial
 * handed out earlier keeps its value. Throws on a path that does not fit `base`.
 */
export function applyPatch(base: unknown, ops: readonly PatchOp[]): unknown {
  let root = base;
  for (const op of ops) root = applyAt(root, op, 0);
  return root;
}

function applyAt(node: unknown, op: PatchOp, depth: number): unknown {
  if (depth === op.p.length) {
    if ("a" in op) {
      if (typeof node !== "string") throw new Error("append to a non-string");
      return node + op.a;
    }
    return op.v;
  }
  const part = op.p[depth];
  if (Array.isArray(node) && typeof part === "number" && part <= node.length) {
    const copy = node.slice();
    copy[part] = applyAt(node[part], op, depth + 1);
    return copy;
  }
  if (isRecord(node) && typeof part === "string") {
    return { ...node, [part]: applyAt(node[part], op, depth + 1) };
  }
  throw new Error(`patch path does not fit at ${JSON.stringify(op.p.slice(0, depth + 1))}`);
}
