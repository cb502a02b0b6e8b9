import type { LoaderFunctionArgs } from "@remix-run/server-runtime";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const deep = new URL(request.url).searchParams.get("deep") === "1";
  const report = await context.services.health.report({ deep });
  return new Response(JSON.stringify(report), {
    status: report.status === "ok" ? 200 : 503,
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": "no-store",
      ...(report.status === "ok" ? {} : { "Retry-After": "5" }),
    },
  });
}
