import type { LoaderFunctionArgs } from "@remix-run/server-runtime";
import { checkHealth } from "../observability/health.server.ts";

export async function loader({ context }: LoaderFunctionArgs) {
  const report = await checkHealth(context.services);
  return new Response(JSON.stringify(report), {
    status: report.status === "ok" ? 200 : 503,
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": "no-store",
      ...(report.status === "ok" ? {} : { "Retry-After": "5" }),
    },
  });
}
