/**
 * Smallest schema-valid variants of real stage outputs, for the paced-provider row: at a
 * realistic 80 tokens/s, full-size outputs would take minutes per stage.
 */
import type { z } from "zod";

/** Greedily truncates every array and long string of `value` while `schema` still accepts it. */
export function shrink<T>(value: T, schema: z.ZodType, options: { maxString?: number } = {}): T {
  const maxString = options.maxString ?? 48;
  const root = { value: structuredClone(value) as unknown };
  const valid = () => schema.safeParse(root.value).success;
  if (!valid()) throw new Error("shrink: the starting value does not match its schema");
  const visit = (holder: Record<string | number, unknown>, key: string | number) => {
    const node = holder[key];
    if (Array.isArray(node)) {
      const original = node.length;
      for (let length = 1; length < original; length++) {
        const kept = node.slice(0, length);
        holder[key] = kept;
        if (valid()) break;
        holder[key] = node;
      }
      const current = holder[key] as unknown[];
      for (let i = 0; i < current.length; i++) visit(current as never, i);
    } else if (node !== null && typeof node === "object") {
      for (const child of Object.keys(node)) visit(node as never, child);
    } else if (typeof node === "string" && node.length > maxString) {
      holder[key] = node.slice(0, maxString);
      if (!valid()) holder[key] = node;
    }
  };
  visit(root as never, "value");
  return root.value as T;
}
