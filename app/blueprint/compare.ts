/**
 * A field-level comparison of two versions of one stage's output, for the project page's
 * compare view. Pure and client-safe: it runs in the loader, the page only renders rows.
 */

/** One field that differs between the two versions; null means absent in that version. */
export interface FieldChange {
  /** A readable location, e.g. `features › Cart and checkout › priority`. */
  field: string;
  before: string | null;
  after: string | null;
}

/** The differences between two versions, at most `limit` of them. */
export interface StageComparison {
  changes: FieldChange[];
  /** How many fields differ in all (may exceed `changes.length`). */
  total: number;
}

/** Longest value shown in one cell; longer text is cut with an ellipsis. */
export const MAX_CELL_CHARS = 280;

const LABEL_KEYS = ["id", "path", "name", "token", "title", "role"] as const;

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function show(value: unknown): string {
  const text = value === null ? "—" : String(value);
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS - 1)}…` : text;
}

/** A name for an array item: its id, path, name… when it has one, else its position. */
function itemLabel(item: unknown, index: number): string {
  if (item && typeof item === "object" && !Array.isArray(item)) {
    for (const key of LABEL_KEYS) {
      const value = (item as Record<string, unknown>)[key];
      if (typeof value === "string" && value.trim()) return value.trim().slice(0, 60);
    }
  }
  return `#${index + 1}`;
}

/** Leaf fields of a value as `location → shown text`, in document order. */
export function flattenFields(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (node: unknown, path: string[]) => {
    const at = path.join(" › ") || "value";
    if (isPrimitive(node) || node === undefined) {
      out.set(at, show(node ?? null));
    } else if (Array.isArray(node)) {
      if (node.every(isPrimitive)) {
        out.set(at, show(node.map((item) => String(item)).join(" · ") || "—"));
        return;
      }
      const seen = new Map<string, number>();
      node.forEach((item, index) => {
        let label = itemLabel(item, index);
        const count = (seen.get(label) ?? 0) + 1;
        seen.set(label, count);
        if (count > 1) label = `${label} (${count})`;
        visit(item, [...path, label]);
      });
    } else {
      for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
        visit(child, [...path, key]);
      }
    }
  };
  visit(value, []);
  return out;
}

/** The fields that differ between `before` and `after` (changed, added and removed). */
export function compareOutputs(
  before: unknown,
  after: unknown,
  options: { limit?: number } = {},
): StageComparison {
  const limit = options.limit ?? 200;
  const a = flattenFields(before);
  const b = flattenFields(after);
  const changes: FieldChange[] = [];
  let total = 0;
  const add = (change: FieldChange) => {
    total++;
    if (changes.length < limit) changes.push(change);
  };
  for (const [field, value] of b) {
    const old = a.get(field);
    if (old !== value) add({ field, before: old ?? null, after: value });
  }
  for (const [field, value] of a) {
    if (!b.has(field)) add({ field, before: value, after: null });
  }
  return { changes, total };
}
