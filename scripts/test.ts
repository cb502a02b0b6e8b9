/**
 * `deno task test`: ensures the prerequisites (Chromium, PostgreSQL binaries, nginx), builds the
 * app, starts a throwaway PostgreSQL cluster unless TEST_DATABASE_URL is set, then runs
 * every test. Extra arguments are passed to `deno test` (e.g. a path to run one file).
 */
import { hasPostgresBinaries, startPostgres } from "../tests/support/postgres.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const chromePath = Deno.env.get("CHROME_PATH") ?? "/usr/bin/chromium";

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

async function run(cmd: string, args: string[], env?: Record<string, string>): Promise<number> {
  const { code } = await new Deno.Command(cmd, {
    args,
    cwd: ROOT,
    env,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  return code;
}

/** Installs Debian packages when we may (root with apt-get); otherwise says what to install. */
async function ensure(what: string, present: () => Promise<boolean>, pkg: string): Promise<void> {
  if (await present()) return;
  const canInstall = Deno.uid() === 0 && await exists("/usr/bin/apt-get");
  if (!canInstall) {
    console.error(
      `${what} is missing: install Debian's '${pkg}' package (apt-get install -y ${pkg}).`,
    );
    Deno.exit(1);
  }
  console.log(`test: installing ${pkg} (${what} is missing)…`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  if (
    await run("apt-get", ["update"], env) !== 0 ||
    await run("apt-get", ["install", "-y", pkg], env) !== 0
  ) {
    console.error(`${what} is missing and 'apt-get install -y ${pkg}' failed.`);
    Deno.exit(1);
  }
  if (!await present()) {
    console.error(`${what} is still missing after installing ${pkg}.`);
    Deno.exit(1);
  }
}

await ensure("Chromium", () => exists(chromePath), "chromium");
// tests/deploy/proxy_deadlines_test.ts runs deploy/nginx.conf in front of the app.
await ensure("nginx", () => exists(Deno.env.get("NGINX_PATH") ?? "/usr/sbin/nginx"), "nginx");
if (!Deno.env.get("TEST_DATABASE_URL")) {
  await ensure("PostgreSQL (initdb)", hasPostgresBinaries, "postgresql");
}

if (await run(Deno.execPath(), ["run", "-A", "scripts/build.ts", "--if-stale"]) !== 0) Deno.exit(1);

const postgres = await startPostgres();
let code = 1;
try {
  code = await run(Deno.execPath(), ["test", "-A", ...(Deno.args.length ? Deno.args : [])], {
    TEST_DATABASE_URL: postgres.url,
    CHROME_PATH: chromePath,
  });
} finally {
  await postgres.stop();
}
Deno.exit(code);
