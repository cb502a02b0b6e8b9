/**
 * Maps a URL path to the Remix route that serves it, by the build's route table, so metrics
 * are kept per route pattern (`/projects/:id`), never per raw URL.
 */

/** The fields of a build route this module reads (`ServerBuild["routes"][id]`). */
export interface RouteEntry {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
}

/** The label of files served from `public/`. */
export const STATIC_ROUTE = "static";

/** A matched route: its id and its full path pattern. */
export interface RouteMatch {
  id: string;
  pattern: string;
}

/** Route lookup by path and by id. */
export interface RouteTable {
  /** The best-ranked route for a path; unmatched paths fall back to "/*". */
  match(pathname: string): RouteMatch;
  /** The pattern of a route id, or null for ids the build does not have. */
  patternOf(id: string): string | null;
}

/** Paths whose match is remembered (the map is emptied when full). */
const MATCH_CACHE_SIZE = 1_000;

interface CompiledRoute extends RouteMatch {
  regex: RegExp;
  score: number;
}

/** Builds the lookup once per build; matching is a scan of precompiled regexes, remembered per path. */
export function createRouteTable(routes: Record<string, RouteEntry | undefined>): RouteTable {
  const entries = Object.values(routes).filter((r): r is RouteEntry => r !== undefined);
  const byId = new Map(entries.map((r) => [r.id, r]));
  const fullPath = (route: RouteEntry): string[] => {
    const parent = route.parentId ? byId.get(route.parentId) : undefined;
    const own = (route.path ?? "").split("/").filter((s) => s !== "");
    return parent ? [...fullPath(parent), ...own] : own;
  };
  const compiled: CompiledRoute[] = entries
    .filter((route) => route.id !== "root")
    .map((route) => {
      const segments = fullPath(route);
      return {
        id: route.id,
        pattern: "/" + segments.join("/"),
        regex: compile(segments),
        score: scoreOf(segments, Boolean(route.index)),
      };
    })
    .sort((a, b) => b.score - a.score);
  const patterns = new Map(compiled.map((r) => [r.id, r.pattern]));
  const fallback: RouteMatch = { id: "routes/$", pattern: "/*" };
  const matched = new Map<string, RouteMatch>();

  return {
    match(pathname) {
      const known = matched.get(pathname);
      if (known) return known;
      let found = fallback;
      for (const route of compiled) {
        if (route.regex.test(pathname)) {
          found = { id: route.id, pattern: route.pattern };
          break;
        }
      }
      // Hot paths (public pages, health) are matched once; any path at all cannot grow it.
      if (matched.size >= MATCH_CACHE_SIZE) matched.clear();
      matched.set(pathname, found);
      return found;
    },
    patternOf(id) {
      return patterns.get(id) ?? (id === "root" ? "/" : null);
    },
  };
}

function compile(segments: string[]): RegExp {
  let source = "";
  for (const segment of segments) {
    const optional = segment.endsWith("?");
    const name = optional ? segment.slice(0, -1) : segment;
    let part: string;
    if (name === "*") part = "(?:/.*)?";
    else if (name.startsWith(":")) part = "/[^/]+";
    else part = "/" + name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    source += optional && name !== "*" ? `(?:${part})?` : part;
  }
  return new RegExp(`^${source}/?$`, "i");
}

/** React Router's ranking: static segments beat dynamic ones, index routes beat layouts. */
function scoreOf(segments: string[], index: boolean): number {
  let score = segments.length;
  if (segments.includes("*")) score -= 2;
  if (index) score += 2;
  for (const segment of segments) {
    if (segment === "*") continue;
    score += segment.startsWith(":") ? 3 : 10;
  }
  return score;
}
