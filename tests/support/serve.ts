/**
 * A real server process for crash tests: the production handler and services, with a
 * scripted provider whose stages take STAGE_DELAY_MS. Prints `listening <port>` when ready.
 */
import type { ServerBuild } from "@remix-run/server-runtime";
import { parseEnv } from "../../app/config/env.server.ts";
import { createHandler } from "../../app/server/handler.server.ts";
import { createServices } from "../../app/server/services.server.ts";
import { scriptedGenerate } from "./scripted.ts";

const ROOT = new URL("../../", import.meta.url);
const env = parseEnv({ ...Deno.env.toObject(), PORT: "8000" });
const build = await import(new URL("build/index.js", ROOT).href) as unknown as ServerBuild;
const services = await createServices({
  env,
  generate: scriptedGenerate({ delayMs: Number(Deno.env.get("STAGE_DELAY_MS") ?? 500) }).generate,
  leaseMs: Number(Deno.env.get("LEASE_MS") ?? 1_000),
});
const handler = createHandler({ build, services, publicDir: new URL("public", ROOT).pathname });
const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log(`listening ${port}`) },
  (request, info) => handler(request, info),
);
services.startBackground();
Deno.addSignalListener("SIGTERM", async () => {
  await server.shutdown();
  await services.close();
  Deno.exit(0);
});
