import type { ActionFunctionArgs } from "@remix-run/server-runtime";
import { HttpError, problemResponse } from "../http/errors.ts";
import { ipRateLimitSubject, rateLimitHeaders } from "../http/rate-limit.server.ts";
import { acceptBeacon, MAX_BEACON_BYTES } from "../observability/rum.server.ts";

const PATH = "/api/analytics";

/** Web-vitals beacons (docs/architecture.md §8): validated, size-limited, rate-limited per IP. */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") {
    return problemResponse(new HttpError(405, "Use POST.", { headers: { Allow: "POST" } }), PATH);
  }
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") {
    return problemResponse(
      new HttpError(403, "Beacons are accepted from Atlas9 pages only."),
      PATH,
    );
  }
  const declared = Number(request.headers.get("content-length") ?? NaN);
  const tooLarge = new HttpError(413, `Beacons are limited to ${MAX_BEACON_BYTES} bytes.`);
  if (declared > MAX_BEACON_BYTES) return problemResponse(tooLarge, PATH);

  const outcome = await context.timing.time("kv", async () =>
    acceptBeacon(
      { body: await request.text(), subject: ipRateLimitSubject(context.clientIp) },
      { kv: context.services.kv, patternOf: (id) => context.services.metrics.patternOf(id) },
    ));
  switch (outcome.kind) {
    case "stored":
      return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
    case "too-large":
      return problemResponse(tooLarge, PATH);
    case "rate-limited":
      return problemResponse(
        new HttpError(429, "Too many beacons from this address; try again later.", {
          headers: Object.fromEntries(rateLimitHeaders(outcome.limit)),
        }),
        PATH,
      );
    case "invalid":
      return problemResponse(new HttpError(400, outcome.message), PATH);
  }
}

export function loader() {
  return problemResponse(new HttpError(405, "Use POST.", { headers: { Allow: "POST" } }), PATH);
}
