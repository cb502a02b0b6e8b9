/**
 * The layers of `app/`, lowest first (docs/architecture.md). A module may import from its own
 * layer and from lower ones, never from a higher one. `tests/architecture/layers_test.ts` reads
 * every import under `app/` and fails on an upward arrow or an import cycle.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ["blueprint", "config", "styles"],
  ["kv", "db", "render", "llm"],
  ["export", "observability"],
  ["http"],
  ["auth"],
  ["generation"],
  ["projects"],
  ["api", "components", "background"],
  ["routes", "server", "root"],
];

/**
 * The services bag is passed in (loaders get it from the request context). Its type is the one
 * reference any layer may make to the composition root, and only as `import type`.
 */
export const TYPE_ONLY_UPWARD: readonly string[] = [
  "app/server/services.server.ts",
  "app/server/context.ts",
];

/** The layer a path under `app/` belongs to (`root` for app/*.ts(x) such as root.tsx). */
export function layerOf(path: string): string {
  const parts = path.replace(/^\.?\/?/, "").split("/");
  if (parts[0] !== "app") return "outside";
  return parts.length > 2 ? parts[1] : "root";
}

/** The rank of a layer (lower is more basic); -1 when the layer is not in the table. */
export function rankOf(layer: string): number {
  return LAYERS.findIndex((group) => group.includes(layer));
}
