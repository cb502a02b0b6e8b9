import type { LoaderFunctionArgs } from "@remix-run/server-runtime";
import { healthResponse } from "../http/health.server.ts";

/** Also answered by the handler before Remix (probes are hot); this serves other methods' 405s. */
export function loader({ request, context }: LoaderFunctionArgs) {
  return healthResponse(context.services.health, new URL(request.url));
}
