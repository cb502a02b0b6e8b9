import type { LoaderFunctionArgs } from "@remix-run/server-runtime";
import { problemResponse } from "../http/errors.ts";
import { problem } from "../api/problems.ts";

/** Any other path under /api/v1: a problem+json 404 rather than the HTML not-found page. */
function notFound({ request }: LoaderFunctionArgs): Response {
  const { pathname } = new URL(request.url);
  return problemResponse(
    problem("not-found", "No such endpoint. See /api/v1/openapi.json."),
    pathname,
  );
}

export const loader = notFound;
export const action = notFound;
