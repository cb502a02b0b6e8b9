/**
 * Time to healthy (issue 14 item 6): starts `server.ts` in its own process on a fresh
 * DATA_DIR (embedded defaults: PGlite, file KV, migrations at start) and, separately, on an
 * already-migrated one, and measures from spawn to the first 200 of `/api/health`.
 * `deno run -A bench/cold-start.ts` prints the rows alone.
 */
import type { Row } from "./table.ts";

const ROOT = new URL("../", import.meta.url);

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Milliseconds from spawning the server to its first healthy answer. */
export async function timeToHealthy(
  dataDir: string,
  extraEnv: Record<string, string> = {},
  root: URL = ROOT,
): Promise<number> {
  const port = freePort();
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-no-legacy-abort", "server.ts"],
    cwd: root,
    env: { DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", ...extraEnv },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    while (true) {
      const status = await fetch(`http://127.0.0.1:${port}/api/health`).then(async (r) => {
        await r.body?.cancel();
        return r.status;
      }, () => 0);
      if (status === 200) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error("server never became healthy");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    child.kill("SIGTERM");
    await child.stderr.cancel();
    await child.status;
  }
}

/** The bench rows: first start (migrations) and a restart, median of three each. */
export async function coldStartRows(): Promise<Row[]> {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[1];
  const fresh: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    const dataDir = await Deno.makeTempDir({ prefix: "atlas9-bench-cold-" });
    try {
      fresh.push(await timeToHealthy(dataDir));
      warm.push(await timeToHealthy(dataDir));
    } finally {
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  }
  const row = (measure: string, values: number[]): Row => ({
    section: "Server",
    measure,
    result: `${Math.round(median(values))} ms (median of 3: ${
      values.map((v) => Math.round(v)).join(", ")
    })`,
    goal: "informational (issue 14: 1.46 s measured before)",
    status: "info",
    values: { medianMs: median(values) },
  });
  return [
    row("time to healthy, first start (embedded, migrations at start)", fresh),
    row("time to healthy, restart (embedded, migrated)", warm),
  ];
}

if (import.meta.main) {
  for (const row of await coldStartRows()) console.log(`${row.measure}: ${row.result}`);
}
