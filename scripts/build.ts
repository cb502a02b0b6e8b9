/**
 * Builds the Remix app and precompresses its assets.
 * `--if-stale` skips the build when no source changed since the last one.
 */
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const ROOT = new URL("../", import.meta.url);
const STAMP = new URL("build/.sources", ROOT);
const SOURCE_DIRS = ["app", "public"];
const SOURCE_FILES = ["remix.config.js", "package.json", "deno.json"];
const TEXT = /\.(js|css|json|map|svg|txt)$/;

async function* walk(dir: URL): AsyncGenerator<URL> {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) {
      if (entry.name === "build" && dir.href.endsWith("/public/")) continue;
      yield* walk(url);
    } else yield url;
  }
}

/** A fingerprint of every source file's path, size and mtime. */
async function sourceFingerprint(): Promise<string> {
  const parts: string[] = [];
  for (const dir of SOURCE_DIRS) {
    for await (const file of walk(new URL(dir + "/", ROOT))) {
      const info = await Deno.stat(file);
      parts.push(`${file.pathname}:${info.size}:${info.mtime?.getTime()}`);
    }
  }
  for (const name of SOURCE_FILES) {
    const info = await Deno.stat(new URL(name, ROOT)).catch(() => null);
    parts.push(`${name}:${info?.size}:${info?.mtime?.getTime()}`);
  }
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\n")));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function precompress(): Promise<void> {
  for await (const file of walk(new URL("public/build/", ROOT))) {
    if (!TEXT.test(file.pathname)) continue;
    const data = await Deno.readFile(file);
    await Deno.writeFile(new URL(file.href + ".gz"), gzipSync(data, { level: 9 }));
    await Deno.writeFile(
      new URL(file.href + ".br"),
      brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
  }
}

const ifStale = Deno.args.includes("--if-stale");
const fingerprint = await sourceFingerprint();
const previous = await Deno.readTextFile(STAMP).catch(() => "");
if (ifStale && previous === fingerprint) {
  console.log("build: up to date");
  Deno.exit(0);
}
await Deno.remove(new URL("public/build/", ROOT), { recursive: true }).catch(() => {});
const started = performance.now();
const { code } = await new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "npm:@remix-run/dev@2.17.4/remix", "build"],
  cwd: ROOT,
  env: { NODE_ENV: "production", REMIX_DISABLE_FUTURE_WARNINGS: "1" },
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (code !== 0) Deno.exit(code);
await precompress();
await Deno.writeTextFile(STAMP, fingerprint);
console.log(`build: done in ${Math.round(performance.now() - started)} ms`);
