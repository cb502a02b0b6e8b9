/**
 * A throwaway PostgreSQL server for tests (docs/architecture.md §10): `initdb` in a temp dir, a random
 * loopback port, removed on stop. `TEST_DATABASE_URL` short-circuits all of it.
 */
import pg from "pg";

/** A running server and how to get rid of it. */
export interface TestPostgres {
  /** Connection URL of a database ready for use. */
  url: string;
  /** Stops the server and removes its files; a no-op for `TEST_DATABASE_URL`. */
  stop(): Promise<void>;
}

const SUPERUSER = "postgres";
const DATABASE = "atlas9_test";
const READY_TIMEOUT_MS = 30_000;

/** Starts a throwaway PostgreSQL cluster, or uses `TEST_DATABASE_URL` when it is set. */
export async function startPostgres(): Promise<TestPostgres> {
  const given = Deno.env.get("TEST_DATABASE_URL");
  if (given) return { url: given, stop: () => Promise.resolve() };
  return await startStoppablePostgres();
}

/** A cluster of the test's own, which it may stop and start again (fault tests). */
export interface StoppablePostgres extends TestPostgres {
  /** Fast shutdown: sessions are terminated, new connections refused; the files stay. */
  halt(): Promise<void>;
  /** Starts the halted server again on the same port. */
  resume(): Promise<void>;
}

/** Starts a throwaway cluster of its own, even when `TEST_DATABASE_URL` is set. */
export async function startStoppablePostgres(): Promise<StoppablePostgres> {
  const binDir = await findBinDir();
  const runAs = await osUserFor();
  const root = await Deno.makeTempDir({ prefix: "atlas9-pg-" });
  const dataDir = `${root}/data`;
  if (runAs) await Deno.chown(root, runAs.uid, runAs.gid);

  try {
    await run(runAs, [
      `${binDir}/initdb`,
      ...["-D", dataDir, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--no-locale"],
      "--no-sync",
    ]);
    let { server, port } = await startServer({ binDir, runAs, root, dataDir });
    let running = true;
    const adminUrl = `postgresql://${SUPERUSER}@127.0.0.1:${port}/postgres`;
    try {
      await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${DATABASE}`));
    } catch (error) {
      await shutdown(server, dataDir);
      throw error;
    }
    return {
      url: `postgresql://${SUPERUSER}@127.0.0.1:${port}/${DATABASE}`,
      halt: async () => {
        if (!running) return;
        running = false;
        await shutdown(server, dataDir);
      },
      resume: async () => {
        if (running) return;
        server = spawn(runAs, postmasterArgs({ binDir, root, dataDir, port }));
        await waitUntilReady(adminUrl, server);
        running = true;
      },
      stop: async () => {
        if (running) await shutdown(server, dataDir);
        running = false;
        await Deno.remove(root, { recursive: true });
      },
    };
  } catch (error) {
    await Deno.remove(root, { recursive: true }).catch(() => {});
    throw error;
  }
}

function postmasterArgs(
  options: { binDir: string; root: string; dataDir: string; port: number },
): string[] {
  const { binDir, root, dataDir, port } = options;
  return [
    `${binDir}/postgres`,
    ...["-D", dataDir, "-p", String(port), "-k", root, "-c", "listen_addresses=127.0.0.1"],
    // Durability is worthless for a database that is deleted after the run.
    ...["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
  ];
}

/** Starts the postmaster on a free port; retries because another process may grab the port. */
async function startServer(
  options: { binDir: string; runAs: OsUser | undefined; root: string; dataDir: string },
): Promise<{ server: Deno.ChildProcess; port: number }> {
  const { binDir, runAs, root, dataDir } = options;
  for (let attempt = 1;; attempt++) {
    const port = freePort();
    const server = spawn(runAs, postmasterArgs({ binDir, root, dataDir, port }));
    try {
      await waitUntilReady(`postgresql://${SUPERUSER}@127.0.0.1:${port}/postgres`, server);
      return { server, port };
    } catch (error) {
      await shutdown(server, dataDir);
      if (attempt >= 3) throw error;
    }
  }
}

/** Creates an empty database next to the one in `url`, so each suite starts clean. */
export async function createScratchDatabase(
  url: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `atlas9_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await withClient(url, (client) => client.query(`CREATE DATABASE ${name}`));
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    drop: () =>
      withClient(url, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
        .then(() => {}),
  };
}

interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

/** initdb and postgres refuse to run as root, so root runs them as the `postgres` user. */
async function osUserFor(): Promise<OsUser | undefined> {
  if (Deno.uid() !== 0) return undefined;
  const passwd = await Deno.readTextFile("/etc/passwd");
  for (const line of passwd.split("\n")) {
    const [name, , uid, gid] = line.split(":");
    if (name === SUPERUSER) return { name, uid: Number(uid), gid: Number(gid) };
  }
  throw new Error("running as root needs a `postgres` OS user to run PostgreSQL as");
}

async function findBinDir(): Promise<string> {
  const base = "/usr/lib/postgresql";
  const versions: number[] = [];
  try {
    for await (const entry of Deno.readDir(base)) {
      const version = Number(entry.name);
      if (entry.isDirectory && Number.isFinite(version)) versions.push(version);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  for (const version of versions.sort((a, b) => b - a)) {
    const dir = `${base}/${version}/bin`;
    if (await exists(`${dir}/initdb`)) return dir;
  }
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir && await exists(`${dir}/initdb`) && await exists(`${dir}/postgres`)) return dir;
  }
  throw new Error("PostgreSQL binaries (initdb, postgres) not found: install `postgresql`");
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

function command(runAs: OsUser | undefined, argv: string[], piped: boolean): Deno.Command {
  const [program, ...args] = runAs ? ["runuser", "-u", runAs.name, "--", ...argv] : argv;
  return new Deno.Command(program, {
    args,
    stdin: "null",
    stdout: piped ? "piped" : "null",
    stderr: "piped",
    // The server's locale must not depend on whoever runs the tests.
    env: { LC_ALL: "C", LANG: "C" },
  });
}

async function run(runAs: OsUser | undefined, argv: string[]): Promise<void> {
  const result = await command(runAs, argv, true).output();
  if (!result.success) {
    const stderr = new TextDecoder().decode(result.stderr).trim();
    throw new Error(`${argv[0]} failed (${result.code}): ${stderr}`);
  }
}

/** Starts the server; stderr is drained into a buffer so a full pipe never blocks it. */
function spawn(runAs: OsUser | undefined, argv: string[]): Deno.ChildProcess {
  const child = command(runAs, argv, false).spawn();
  logs.set(child, collect(child.stderr));
  return child;
}

const logs = new WeakMap<Deno.ChildProcess, Promise<string>>();

async function collect(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream) {
    // Keep only the tail: it is what explains a failed start.
    text = (text + decoder.decode(chunk, { stream: true })).slice(-8_000);
  }
  return text;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function waitUntilReady(url: string, server: Deno.ChildProcess): Promise<void> {
  let exited = false;
  server.status.then(() => exited = true);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      await withClient(url, (client) => client.query("SELECT 1"));
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const log = exited ? await logs.get(server) : "";
  throw new Error(`PostgreSQL did not become ready${log ? `:\n${log}` : ""}`);
}

/** Fast shutdown (SIGINT) of the postmaster itself: runuser does not forward SIGINT. */
async function shutdown(server: Deno.ChildProcess, dataDir: string): Promise<void> {
  const pidFile = await Deno.readTextFile(`${dataDir}/postmaster.pid`).catch(() => "");
  const postmasterPid = Number(pidFile.split("\n")[0]) || server.pid;
  try {
    Deno.kill(postmasterPid, "SIGINT");
  } catch {
    // Already exited.
  }
  await server.status;
  await logs.get(server);
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Whether the PostgreSQL server binaries are installed. */
export async function hasPostgresBinaries(): Promise<boolean> {
  try {
    await findBinDir();
    return true;
  } catch {
    return false;
  }
}
