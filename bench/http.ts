/**
 * HTTP rows of the bench: the real server (`server.ts`, offline engine) in its own process,
 * seeded through its own API, loaded at 1 and at 50 connections beside a bare Deno.serve
 * answering the same bytes in the same run. The database is embedded PGlite, or a real
 * PostgreSQL server through `pg` when `startApp` is given its URL; on PostgreSQL only the
 * rows that read the database (signed-in pages) are measured.
 */
import type { BareFixture } from "./bare-server.ts";
import { type LoadResult, loadTool, runLoad } from "./loadgen.ts";
import { type Row, SERVER_GOAL } from "./table.ts";

const ROOT = new URL("../", import.meta.url);
/** Connection counts each endpoint is loaded at. */
const CONNECTIONS = [1, 50];

/** A child process serving HTTP on loopback. */
interface Served {
  origin: string;
  stop(): Promise<void>;
}

/** What the seeded app offers to measure. */
export interface Seed {
  slug: string;
  /** A finished project of the signed-in user (public, its page is `/p/:slug`). */
  projectId: string;
  /** `__session=…` of a signed-in user with a few projects. */
  cookie: string;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function spawn(args: string[], env: Record<string, string>): Deno.ChildProcess {
  const keep = ["PATH", "HOME", "DENO_DIR", "TMPDIR", "XDG_CACHE_HOME"];
  const inherited = Object.fromEntries(
    keep.flatMap((name) => Deno.env.get(name) ? [[name, Deno.env.get(name)!]] : []),
  );
  return new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { ...inherited, ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
}

function stopper(child: Deno.ChildProcess, cleanup: () => Promise<void> = async () => {}) {
  return async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // Already gone.
    }
    await child.status;
    await cleanup();
  };
}

/**
 * Starts `server.ts` in a fresh DATA_DIR, offline engine only: on embedded PGlite, or on the
 * PostgreSQL database at `databaseUrl` (through `pg`).
 */
export async function startApp(options: { databaseUrl?: string } = {}): Promise<Served> {
  const dataDir = await Deno.makeTempDir({ prefix: "atlas9-bench-" });
  const port = freePort();
  // As `deno task start` runs it.
  const child = spawn(["run", "-A", "--unstable-no-legacy-abort", "server.ts"], {
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LLM_PROVIDERS: "offline",
    LOG_LEVEL: "warn",
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  const origin = `http://127.0.0.1:${port}`;
  const stop = stopper(child, () => Deno.remove(dataDir, { recursive: true }).catch(() => {}));
  try {
    await waitFor(`${origin}/api/health`, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, stop };
}

/** Creates a user with three public projects (API v1) and a browser session (login form). */
export async function seed(origin: string): Promise<Seed> {
  const email = "bench@example.com";
  const password = "bench horse battery staple";
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(origin + path, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  const signup = await post("/api/v1/users", { email, password });
  if (signup.status !== 201) {
    throw new Error(`sign-up answered ${signup.status}: ${await signup.text()}`);
  }
  const { token } = await signup.json();
  const auth = { Authorization: `Bearer ${token}` };
  let slug = "";
  let projectId = "";
  for (
    const directive of [
      "a marketplace where local farmers sell vegetable boxes",
      "a booking app for independent dog groomers",
      "an invoicing tool for freelance translators",
    ]
  ) {
    const created = await post("/api/v1/projects", { directive, visibility: "public" }, auth);
    if (created.status !== 201) {
      throw new Error(`create answered ${created.status}: ${await created.text()}`);
    }
    const project = await created.json();
    slug ||= project.slug;
    projectId ||= project.id;
    const deadline = Date.now() + 30_000;
    while (true) {
      const state =
        await (await fetch(`${origin}/api/v1/projects/${project.id}`, { headers: auth })).json();
      if (state.status === "completed") break;
      if (state.status === "failed" || Date.now() > deadline) {
        throw new Error(`generation of "${directive}" ended ${state.status}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const login = await fetch(`${origin}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
    body: new URLSearchParams({ email, password }),
    redirect: "manual",
  });
  await login.body?.cancel();
  const session = login.headers.getSetCookie().map((c) => c.split(";")[0])
    .find((c) => c.startsWith("__session="));
  if (!session) throw new Error(`login answered ${login.status} without a session cookie`);
  return { slug, projectId, cookie: session };
}

/** One benchmarked endpoint. */
interface Endpoint {
  name: string;
  path: string;
  headers: Record<string, string>;
  /** Reads the database on every request (measured on each database). */
  database?: boolean;
}

/** SSR and API rows: app against bare Deno.serve, same bytes, same load. */
export async function httpRows(
  app: Served,
  seeded: Seed,
  options: {
    seconds: number;
    /** The database under the app, named in each row. */
    database: "PGlite" | "PostgreSQL (pg)";
    /** Only the endpoints that read the database. */
    databaseOnly?: boolean;
  },
): Promise<Row[]> {
  // As browsers send it: the app answers in brotli, and so does the bare baseline.
  const browser = { "Accept-Encoding": "gzip, br" };
  const signedIn = { ...browser, Cookie: seeded.cookie };
  const all: Endpoint[] = [
    { name: "/ (signed out)", path: "/", headers: browser },
    { name: "/p/:slug", path: `/p/${seeded.slug}`, headers: browser },
    {
      name: "/api/v1/public/projects/:slug",
      path: `/api/v1/public/projects/${seeded.slug}`,
      headers: browser,
    },
    { name: "/projects (signed in)", path: "/projects", headers: signedIn, database: true },
    {
      name: "/projects/:id (signed in)",
      path: `/projects/${seeded.projectId}`,
      headers: signedIn,
      database: true,
    },
    { name: "/api/health", path: "/api/health", headers: browser },
  ];
  const endpoints = options.databaseOnly ? all.filter((e) => e.database) : all;
  const on = `, ${options.database}`;
  const rows: Row[] = [];
  const fixtureDir = await Deno.makeTempDir({ prefix: "atlas9-bare-" });
  const fixtures: BareFixture[] = [];
  const sizes = new Map<string, number>();
  const measurable: Endpoint[] = [];
  for (const endpoint of endpoints) {
    const response = await fetch(app.origin + endpoint.path, {
      headers: endpoint.headers,
      redirect: "manual",
    });
    const body = new Uint8Array(await response.arrayBuffer());
    if (response.status !== 200) {
      rows.push({
        section: "Server",
        measure: `GET ${endpoint.name}${on}`,
        result: `skipped: answered ${response.status}`,
        goal: SERVER_GOAL,
        status: "skipped",
      });
      continue;
    }
    measurable.push(endpoint);
    const file = `${fixtureDir}/${fixtures.length}.body`;
    await Deno.writeFile(file, body);
    sizes.set(endpoint.path, body.byteLength);
    fixtures.push({
      path: endpoint.path,
      contentType: response.headers.get("content-type") ?? "text/plain",
      file,
    });
  }
  if (measurable.length === 0) return rows;

  const fixtureFile = `${fixtureDir}/fixtures.json`;
  await Deno.writeTextFile(fixtureFile, JSON.stringify(fixtures));
  const barePort = freePort();
  const bareChild = spawn(["run", "-A", "bench/bare-server.ts", String(barePort), fixtureFile], {});
  const bare: Served = {
    origin: `http://127.0.0.1:${barePort}`,
    stop: stopper(bareChild, () => Deno.remove(fixtureDir, { recursive: true }).catch(() => {})),
  };
  try {
    await waitFor(bare.origin + measurable[0].path, 30_000);
    const tool = await loadTool();
    for (const endpoint of measurable) {
      for (const connections of CONNECTIONS) {
        const load = async (origin: string): Promise<LoadResult> => {
          const options_ = {
            url: origin + endpoint.path,
            headers: endpoint.headers,
            connections,
          };
          await runLoad(tool, { ...options_, seconds: 1 }); // warm-up (JIT, caches, connections)
          return await runLoad(tool, { ...options_, seconds: options.seconds });
        };
        const appResult = await load(app.origin);
        const bareResult = await load(bare.origin);
        const ok = appResult.p50Ms < 30 && appResult.p99Ms < 200 && appResult.errors === 0;
        rows.push({
          section: "Server",
          measure: `GET ${endpoint.name} @${connections} conn${
            connections > 1 ? "s" : ""
          }${on} (${tool})`,
          result: describe(appResult),
          baseline: describe(bareResult),
          ratio: `${(appResult.rps / bareResult.rps).toFixed(2)}× rps, ${
            (appResult.p50Ms / bareResult.p50Ms).toFixed(1)
          }× p50`,
          goal: SERVER_GOAL,
          status: ok ? "pass" : "fail",
          values: {
            rps: round(appResult.rps),
            p50Ms: round(appResult.p50Ms),
            p99Ms: round(appResult.p99Ms),
            errors: appResult.errors,
            bareRps: round(bareResult.rps),
            bareP50Ms: round(bareResult.p50Ms),
            bareP99Ms: round(bareResult.p99Ms),
            bytes: sizes.get(endpoint.path) ?? 0,
            connections,
          },
        });
      }
    }
  } finally {
    await bare.stop();
  }
  return rows;
}

function describe(result: LoadResult): string {
  const errors = result.errors ? `, ${result.errors} errors` : "";
  return `${Math.round(result.rps)} req/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${
    result.p99Ms.toFixed(1)
  } ms${errors}`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
