/**
 * The browser bundle stays within docs/architecture.md §9: initial JS for `/` ≤ 95 KB gzip (manifest, entry,
 * root, the landing route and every shared chunk they import), any route's own chunk ≤ 20 KB,
 * all JS ≤ 150 KB, CSS ≤ 8 KB. Reads `public/build` as `deno task build` left it.
 */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";

const PUBLIC = new URL("../../public/", import.meta.url);
const KB = 1024;

/** The budgets, in gzip bytes. */
export const BUDGETS = { initial: 95 * KB, route: 20 * KB, total: 150 * KB, css: 8 * KB };

interface ManifestEntry {
  module: string;
  imports?: string[];
}

interface Manifest {
  url: string;
  entry: ManifestEntry;
  routes: Record<string, ManifestEntry & { id: string }>;
}

async function readManifest(): Promise<Manifest> {
  const dir = new URL("build/", PUBLIC);
  let name: string | undefined;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (/^manifest-[A-Z0-9]+\.js$/.test(entry.name)) name = entry.name;
    }
  } catch {
    // Reported below with what to do.
  }
  assert.ok(name, "public/build has no manifest: run `deno task build` first");
  const source = await Deno.readTextFile(new URL(name!, dir));
  const json = source.replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, "");
  return { url: `/build/${name}`, ...JSON.parse(json) };
}

async function gzipSize(url: string): Promise<number> {
  const bytes = await Deno.readFile(new URL(`.${url}`, PUBLIC));
  return gzipSync(bytes, { level: 9 }).byteLength;
}

async function* files(dir: URL): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) yield* files(new URL(`${entry.name}/`, dir));
    else yield new URL(entry.name, dir).pathname;
  }
}

/** Gzip sizes of the built browser assets, grouped as the budgets count them. */
export async function measureBundle(): Promise<{
  initial: number;
  initialFiles: string[];
  routes: Record<string, number>;
  total: number;
  css: number;
}> {
  const manifest = await readManifest();
  const root = manifest.routes.root;
  const index = manifest.routes["routes/_index"];
  const initialFiles = [
    ...new Set([
      manifest.url,
      manifest.entry.module,
      ...(manifest.entry.imports ?? []),
      root.module,
      ...(root.imports ?? []),
      index.module,
      ...(index.imports ?? []),
    ]),
  ];
  let initial = 0;
  for (const url of initialFiles) initial += await gzipSize(url);
  const routes: Record<string, number> = {};
  for (const [id, route] of Object.entries(manifest.routes)) {
    routes[id] = await gzipSize(route.module);
  }
  let total = 0;
  let css = 0;
  const base = new URL("build/", PUBLIC).pathname;
  for await (const path of files(new URL("build/", PUBLIC))) {
    const url = `/build/${path.slice(base.length)}`;
    if (url.endsWith(".js")) total += await gzipSize(url);
    if (url.endsWith(".css")) css += await gzipSize(url);
  }
  return { initial, initialFiles, routes, total, css };
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

type Sizes = Awaited<ReturnType<typeof measureBundle>>;

/** Every budget the sizes break, as one line each; empty when all fit. */
export function overBudget(sizes: Sizes, budgets = BUDGETS): string[] {
  const out: string[] = [];
  if (sizes.initial > budgets.initial) {
    out.push(`initial JS ${kb(sizes.initial)} > ${kb(budgets.initial)}`);
  }
  for (const [id, size] of Object.entries(sizes.routes)) {
    if (size > budgets.route) out.push(`route ${id} ${kb(size)} > ${kb(budgets.route)}`);
  }
  if (sizes.total > budgets.total) out.push(`all JS ${kb(sizes.total)} > ${kb(budgets.total)}`);
  if (sizes.css > budgets.css) out.push(`CSS ${kb(sizes.css)} > ${kb(budgets.css)}`);
  return out;
}

Deno.test("bundle budget: initial JS, route chunks, total JS and CSS within docs/architecture.md §9", async () => {
  const sizes = await measureBundle();
  const heaviest = Object.entries(sizes.routes).sort((a, b) => b[1] - a[1]);
  console.log(
    [
      `initial JS for /: ${kb(sizes.initial)} of ${
        kb(BUDGETS.initial)
      } (${sizes.initialFiles.length} files)`,
      `heaviest route chunk: ${heaviest[0][0]} ${kb(heaviest[0][1])} of ${kb(BUDGETS.route)}`,
      `all JS: ${kb(sizes.total)} of ${kb(BUDGETS.total)}`,
      `CSS: ${kb(sizes.css)} of ${kb(BUDGETS.css)}`,
    ].join("\n"),
  );
  assert.deepEqual(overBudget(sizes), []);
});

Deno.test("bundle budget: the check reports each budget the build would break", async () => {
  const sizes = await measureBundle();
  const tight = {
    initial: sizes.initial - 1,
    route: 1,
    total: sizes.total - 1,
    css: sizes.css - 1,
  };
  const broken = overBudget(sizes, tight);
  assert.ok(broken.some((line) => line.startsWith("initial JS")));
  assert.ok(broken.some((line) => line.startsWith("route routes/projects.$id ")));
  assert.ok(broken.some((line) => line.startsWith("all JS")));
  assert.ok(broken.some((line) => line.startsWith("CSS")));
});
