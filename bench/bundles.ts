/** Bundle rows: gzip sizes of the browser build per docs/architecture.md §9, from the Remix asset manifest. */
import { gzipSync } from "node:zlib";
import type { Row } from "./table.ts";

const PUBLIC = new URL("../public/", import.meta.url);

interface ManifestEntry {
  module: string;
  imports?: string[];
  css?: string[];
}

interface Manifest {
  entry: ManifestEntry;
  routes: Record<string, ManifestEntry & { id: string; parentId?: string }>;
  url?: string;
}

async function gzipSize(path: string, cache: Map<string, number>): Promise<number> {
  const known = cache.get(path);
  if (known !== undefined) return known;
  const bytes = await Deno.readFile(new URL("." + path, PUBLIC));
  const size = gzipSync(bytes, { level: 9 }).byteLength;
  cache.set(path, size);
  return size;
}

async function* files(dir: URL): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yield* files(url);
    else yield "/" + url.href.slice(PUBLIC.href.length);
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Initial JS of `/`, the largest route chunk, total JS, the web-vitals chunk and CSS. */
export async function bundleRows(): Promise<Row[]> {
  const all: string[] = [];
  for await (const path of files(new URL("build/", PUBLIC))) all.push(path);
  const manifestPath = all.find((p) => /\/manifest-[\w]+\.js$/.test(p));
  if (!manifestPath) {
    return [{
      section: "Bundle",
      measure: "sizes",
      result: "skipped: no public/build manifest (run deno task build)",
      goal: "",
      status: "skipped",
    }];
  }
  const source = await Deno.readTextFile(new URL("." + manifestPath, PUBLIC));
  const manifest: Manifest = JSON.parse(
    source.replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, ""),
  );
  const cache = new Map<string, number>();
  const sum = async (paths: Iterable<string>) => {
    let total = 0;
    for (const path of new Set(paths)) total += await gzipSize(path, cache);
    return total;
  };
  const chunksOf = (entry: ManifestEntry) => [entry.module, ...(entry.imports ?? [])];
  const shell = new Set([
    manifestPath,
    ...chunksOf(manifest.entry),
    ...chunksOf(manifest.routes.root),
  ]);
  const index = manifest.routes["routes/_index"];
  const initial = await sum([...shell, ...(index ? chunksOf(index) : [])]);

  const perRoute: Record<string, number> = {};
  for (const [id, route] of Object.entries(manifest.routes)) {
    if (id === "root") continue;
    perRoute[id] = await sum(chunksOf(route).filter((path) => !shell.has(path)));
  }
  const [largestId, largest] = Object.entries(perRoute).sort((a, b) => b[1] - a[1])[0] ??
    ["none", 0];

  const js = all.filter((p) => p.endsWith(".js"));
  const total = await sum(js);
  const vitals = js.find((p) => /\/vitals\.client-\w+\.js$/.test(p));
  const vitalsSize = vitals ? await gzipSize(vitals, cache) : 0;
  const css = all.filter((p) => p.endsWith(".css"));
  const cssSize = await sum(css);

  return [
    {
      section: "Bundle",
      measure: "initial JS of / (manifest, entry, root, route; gzip)",
      result: kb(initial),
      goal: "≤ 95 KB",
      status: initial <= 95 * 1024 ? "pass" : "fail",
      values: { bytes: initial },
    },
    {
      section: "Bundle",
      measure: `largest route chunk beyond the shell (${largestId})`,
      result: kb(largest),
      goal: "≤ 20 KB per route",
      status: largest <= 20 * 1024 ? "pass" : "fail",
      values: { bytes: largest, ...perRoute },
    },
    {
      section: "Bundle",
      measure: `total JS (${js.length} files, gzip)`,
      result: kb(total),
      goal: "≤ 150 KB",
      status: total <= 150 * 1024 ? "pass" : "fail",
      values: { bytes: total },
    },
    {
      section: "Bundle",
      measure: "web-vitals chunk (loaded after hydration, not initial)",
      result: vitals ? kb(vitalsSize) : "not found",
      goal: "a few KB, separate chunk",
      status: vitals && vitalsSize <= 5 * 1024 ? "pass" : "fail",
      values: { bytes: vitalsSize },
    },
    {
      section: "Bundle",
      measure: `CSS (${css.length} file${css.length === 1 ? "" : "s"}, gzip)`,
      result: kb(cssSize),
      goal: "critical CSS ≤ 8 KB",
      status: cssSize <= 8 * 1024 ? "pass" : "fail",
      values: { bytes: cssSize },
    },
  ];
}
