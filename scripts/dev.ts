/** `deno task dev`: builds, serves, and rebuilds and restarts whenever a source file changes. */
const ROOT = new URL("../", import.meta.url).pathname;

function build(): Promise<Deno.CommandOutput> {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/build.ts"],
    cwd: ROOT,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
}

function serve(): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-no-legacy-abort", "server.ts"],
    cwd: ROOT,
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
}

let server: Deno.ChildProcess | null = null;
async function restart(): Promise<void> {
  if (server) {
    server.kill("SIGTERM");
    await server.status;
    server = null;
  }
  if ((await build()).success) server = serve();
  else console.error("dev: build failed; waiting for the next change");
}

await restart();
let timer: ReturnType<typeof setTimeout> | undefined;
for await (
  const event of Deno.watchFs([`${ROOT}app`, `${ROOT}server.ts`, `${ROOT}remix.config.js`])
) {
  if (event.paths.every((p) => p.endsWith("~") || p.includes("/."))) continue;
  clearTimeout(timer);
  timer = setTimeout(() => void restart(), 150);
}
