/**
 * HTTP load at a fixed number of connections: wrk (Debian's `wrk`) when installed, else an
 * in-process generator on Deno's fetch. Both report throughput and p50/p99 latency.
 */

/** One load run's outcome. */
export interface LoadResult {
  tool: "wrk" | "deno";
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx/3xx answers and socket errors. */
  errors: number;
}

/** What to load. */
export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
}

/** Which generator this machine uses; BENCH_LOADGEN=deno forces the fallback. */
export async function loadTool(): Promise<"wrk" | "deno"> {
  if (Deno.env.get("BENCH_LOADGEN") === "deno") return "deno";
  try {
    // `wrk --version` exits 1 after printing its version: that it ran at all is the answer.
    await new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" }).output();
    return "wrk";
  } catch {
    return "deno";
  }
}

/** Runs one load test with the given tool. */
export function runLoad(tool: "wrk" | "deno", options: LoadOptions): Promise<LoadResult> {
  return tool === "wrk" ? runWrk(options) : runDeno(options);
}

async function runWrk(options: LoadOptions): Promise<LoadResult> {
  // wrk needs at least one connection per thread.
  const threads = Math.max(
    1,
    Math.min(2, navigator.hardwareConcurrency ?? 2, options.connections),
  );
  const args = [
    `-t${threads}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    "--latency",
    "--timeout",
    "10s",
  ];
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    args.push("-H", `${name}: ${value}`);
  }
  args.push(options.url);
  const output = await new Deno.Command("wrk", { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(output.stdout);
  if (!output.success) throw new Error(`wrk failed: ${new TextDecoder().decode(output.stderr)}`);
  const number = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
  const latency = (label: string) => {
    const match = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(text);
    if (!match) return NaN;
    const scale = { us: 0.001, ms: 1, s: 1000 }[match[2] as "us" | "ms" | "s"];
    return Number(match[1]) * scale;
  };
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    text,
  );
  const errors = (number(/Non-2xx or 3xx responses: (\d+)/) || 0) +
    (socketErrors ? socketErrors.slice(1).reduce((n, v) => n + Number(v), 0) : 0);
  return {
    tool: "wrk",
    requests: number(/(\d+) requests in/),
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: latency("50"),
    p99Ms: latency("99"),
    errors,
  };
}

async function runDeno(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: options.connections });
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        const response = await fetch(options.url, {
          headers: options.headers,
          client,
          redirect: "manual",
        });
        await response.arrayBuffer();
        if (response.status >= 400) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  client.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
  return {
    tool: "deno",
    requests: latencies.length,
    rps: latencies.length / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors,
  };
}
