const build = await import("./build/index.js");
import { createRequestHandler } from "@remix-run/server-runtime";
const h = createRequestHandler(build as any, "production");
Deno.serve({port: 8000}, (req) => h(req));
