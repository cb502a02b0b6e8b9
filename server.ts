/**
 * Atlas9 server: Deno.serve with timing, security headers, static files, the Remix
 * handler, background sweeps and graceful shutdown. Configuration comes from the
 * environment (docs/architecture.md §2), parsed once.
 */
// First: Deno Deploy registers only crons created at module load, before serving.
import { attachCronTargets, cronsRegistered } from "./app/background/crons.server.ts";
import type { ServerBuild } from "@remix-run/server-runtime";
import { loadEnv } from "./app/config/env.server.ts";
import { createHandler } from "./app/server/handler.server.ts";
import { createServices } from "./app/server/services.server.ts";

const env = loadEnv();
const build = await import("./build/index.js") as unknown as ServerBuild;
const services = await createServices({ env });
const handler = createHandler({
  build,
  services,
  publicDir: new URL("./public", import.meta.url).pathname,
});

const controller = new AbortController();
const server = Deno.serve({
  port: env.port,
  hostname: env.host,
  signal: controller.signal,
  onListen: ({ hostname, port }) => {
    console.log(`Atlas9 ${services.version} listening on http://${hostname}:${port}/`);
  },
}, (request, info) => handler(request, info));

// Synthetic checks go through the handler in-process: no dependency on the listen address.
services.startBackground({
  handler: (request) => handler(request),
  attachCrons: cronsRegistered ? attachCronTargets : undefined,
});

let closing = false;
/** How long in-flight requests get to finish before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  console.log(`${signal}: finishing in-flight requests…`);
  // Stop accepting connections, end event streams and local jobs (another instance resumes
  // them when their lease lapses), let other requests finish, then close KV and the database.
  controller.abort();
  await services.pipeline.close();
  await Promise.race([server.finished, new Promise((r) => setTimeout(r, SHUTDOWN_GRACE_MS))]);
  await services.close();
  Deno.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => void shutdown(signal));
}
