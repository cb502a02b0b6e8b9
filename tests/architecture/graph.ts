/** Reads the static imports of every module under app/ into a graph of repo-relative paths. */
import { layerOf, rankOf, TYPE_ONLY_UPWARD } from "../../app/layers.ts";

export interface Edge {
  to: string;
  typeOnly: boolean;
}

const IMPORT =
  /(?:^|[\s;])(import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

/** Module path (relative to the repo, e.g. "app/blueprint/stages.ts") → its relative imports. */
export async function importGraph(appDir: URL): Promise<Map<string, Edge[]>> {
  const root = new URL("../", appDir);
  const graph = new Map<string, Edge[]>();
  async function visit(dir: URL): Promise<void> {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) {
        // The generated project template is a separate program, not part of the app.
        if (entry.name === "template" || entry.name === "node_modules") continue;
        await visit(new URL(`${entry.name}/`, dir));
      } else if (/\.(ts|tsx)$/.test(entry.name) && !/_test\.tsx?$/.test(entry.name)) {
        const url = new URL(entry.name, dir);
        const path = url.pathname.slice(root.pathname.length);
        const source = await Deno.readTextFile(url);
        const edges: Edge[] = [];
        for (const match of source.matchAll(IMPORT)) {
          const specifier = match[3] ?? match[4];
          const target = new URL(specifier, url).pathname.slice(root.pathname.length);
          edges.push({ to: target, typeOnly: Boolean(match[2]) });
        }
        graph.set(path, edges);
      }
    }
  }
  await visit(appDir);
  return graph;
}

export interface UpwardImport {
  from: string;
  fromLayer: string;
  to: string;
  toLayer: string;
}

/** Imports from a lower layer into a higher one (type-only imports of the services bag aside). */
export function upwardImports(graph: Map<string, Edge[]>): UpwardImport[] {
  const found: UpwardImport[] = [];
  for (const [from, edges] of graph) {
    const fromLayer = layerOf(from);
    for (const edge of edges) {
      const toLayer = layerOf(edge.to);
      if (toLayer === "outside") continue;
      if (edge.typeOnly && TYPE_ONLY_UPWARD.includes(edge.to)) continue;
      const a = rankOf(fromLayer);
      const b = rankOf(toLayer);
      if (a < 0 || b < 0 || b > a) found.push({ from, fromLayer, to: edge.to, toLayer });
    }
  }
  return found;
}

/** Every cycle among value imports (type-only imports are erased and cannot form one at run time). */
export function importCycles(graph: Map<string, Edge[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  function visit(node: string): void {
    state.set(node, "open");
    stack.push(node);
    for (const edge of graph.get(node) ?? []) {
      if (edge.typeOnly || !graph.has(edge.to)) continue;
      const seen = state.get(edge.to);
      if (seen === "open") cycles.push([...stack.slice(stack.indexOf(edge.to)), edge.to]);
      else if (!seen) visit(edge.to);
    }
    stack.pop();
    state.set(node, "done");
  }
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}
