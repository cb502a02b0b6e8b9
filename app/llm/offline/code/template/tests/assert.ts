/** Minimal assertions, so the test needs nothing beyond Deno and the app's own imports. */
export function assert(condition: unknown, message = "assertion failed"): asserts condition {
  if (!condition) throw new Error(message);
}

/** JSON with object keys sorted: equal values, equal text (PostgreSQL reorders jsonb keys). */
function canonical(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, item) =>
      item && typeof item === "object" && !Array.isArray(item)
        ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0))
        : item,
  );
}

export function assertEquals(actual: unknown, expected: unknown, message = ""): void {
  if (canonical(actual) !== canonical(expected)) {
    throw new Error(
      `${message}${message ? ": " : ""}expected ${canonical(expected)}, got ${canonical(actual)}`,
    );
  }
}
