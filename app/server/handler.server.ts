import { createRequestHandler } from "@remix-run/server-runtime";
import type { ServerBuild } from "@remix-run/server-runtime";
import type { Services } from "./services.server.ts";
import { isCrossSiteRequest } from "../auth/csrf.server.ts";
import { HttpError, problemResponse } from "../http/errors.ts";
import {
  appendSecurityHeaders,
  applySecurityHeaders,
  createNonce,
} from "../http/security.server.ts";
import { serveStatic } from "../http/static.server.ts";
import { refuseMalformedInput } from "../http/input-guard.server.ts";
import { edgeTarget } from "../projects/public/page-store.server.ts";
import type { EdgeTarget } from "../projects/public/page-store.server.ts";
import { RateLimitLedger } from "../api/rate-limits.server.ts";
import { compressJson } from "../http/compress.server.ts";
import { isFixed } from "../http/fixed.server.ts";
import { healthResponse } from "../http/health.server.ts";
import { ServerTiming } from "../http/timing.ts";
import { clientIp as ipOf } from "../http/rate-limit.server.ts";
import { STATIC_ROUTE } from "../observability/routes.ts";
import { isConnectionError } from "../db/errors.ts";
import { hasSessionCookie } from "../auth/session.server.ts";
import {
  throwingUnavailable,
  UNAVAILABLE_RETRY_AFTER_S,
  unavailableResponse,
} from "../http/unavailable.server.ts";

/** Largest request body accepted anywhere (forms, API bodies, beacons). */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * How long a request body may take to arrive, from the first read to the last byte (slow
 * bodies, issue 13 item 10): 64 KiB in 10 s is 6.5 KB/s, far below any real client.
 */
export const BODY_DEADLINE_MS = 10_000;

/** The connection facts Deno.serve hands each request. */
export interface ConnectionInfo {
  remoteAddr?: Deno.Addr;
}

/** Builds the whole request handler: static files, guards, Remix, headers on every response. */
export function createHandler(
  options: {
    build: ServerBuild;
    services: Services;
    publicDir: string;
    mode?: string;
    /** Body read deadline (default `BODY_DEADLINE_MS`). */
    bodyDeadlineMs?: number;
  },
): (request: Request, info?: ConnectionInfo) => Promise<Response> {
  const remix = createRequestHandler(options.build, options.mode ?? "production");
  const { services } = options;
  // Routes see a data layer that turns "database unreachable" into a 503 (not a 500).
  const routeServices = {
    ...services,
    repos: throwingUnavailable(services.repos),
    pipeline: throwingUnavailable(services.pipeline),
  };
  // Request metrics (app/observability): labels come from the build's route table.
  services.metrics.bindRoutes(options.build.routes);

  return async (request, info) => {
    const started = performance.now();
    const timing = new ServerTiming();
    // Only rendered pages use a nonce: answers from memory or KV never pay for one.
    let nonce: string | undefined;
    const nonceOf = () => (nonce ??= createNonce());
    const url = new URL(request.url);
    const https = url.protocol === "https:" ||
      (services.env.trustProxy && request.headers.get("x-forwarded-proto") === "https");
    const clientIp =
      ipOf(request, { remoteAddr: info?.remoteAddr, trustProxy: services.env.trustProxy }) ??
        "unknown";

    const credentials = request.headers.has("Authorization") || hasSessionCookie(request);
    let response: Response;
    let staticFile = false;
    /** The body is bytes in memory: sent as it is (no copy of the response, no JS stream). */
    let fixed = false;
    try {
      if (url.pathname === "/api/health" && request.method === "GET") {
        // Load balancers probe this constantly: a memory read, no route matching or render.
        response = await healthResponse(services.health, url);
        fixed = isFixed(response);
      } else {
        const file = await serveStatic(request, { publicDir: options.publicDir, url });
        staticFile = file !== null;
        if (file) {
          response = file;
        } else {
          const target = edgeTarget(request, url, credentials);
          const ctx = {
            clientIp,
            https,
            get nonce() {
              return nonceOf();
            },
            timing,
          };
          response = target
            ? await serveStored(request, { target, ctx })
            : await compressJson(request, await guardedRemix(request, ctx));
          fixed = isFixed(response);
        }
      }
    } catch (error) {
      response = toErrorResponse(error, url.pathname);
      fixed = false;
    }

    if (fixed && !credentials) {
      // Bytes in memory (health, stored pages): headers appended, the response sent as it is.
      const headers = response.headers;
      appendSecurityHeaders(headers, { https });
      const ttfbMs = performance.now() - started;
      timing.add("total", ttfbMs);
      headers.append("Server-Timing", timing.header());
      const route = services.metrics.routeOf(url.pathname).pattern;
      services.metrics.record({ route, status: response.status, durationMs: ttfbMs, ttfbMs });
      return response;
    }
    const headers = new Headers(response.headers);
    // Remix drops a thrown Response's headers when it renders the error page.
    if (response.status === 503 && !headers.has("Retry-After")) {
      headers.set("Retry-After", String(UNAVAILABLE_RETRY_AFTER_S));
    }
    if (credentials) keepFromSharedCaches(headers);
    applySecurityHeaders(headers, { nonce: nonceOf, https });
    timing.add("total", performance.now() - started);
    headers.set("Server-Timing", timing.header());
    // Request metrics: one in-memory sample per response, closed when its body is sent.
    const route = staticFile ? STATIC_ROUTE : services.metrics.routeOf(url.pathname).pattern;
    const body = services.metrics.observe(response, { route, startedAt: started });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };

  /** An edge-stored answer; the public API still counts against (and reports) its IP limit. */
  async function serveStored(
    request: Request,
    input: { target: EdgeTarget; ctx: Parameters<typeof guardedRemix>[1] },
  ): Promise<Response> {
    const { target, ctx } = input;
    const stored = () =>
      services.pages.serve(request, {
        target,
        timing: ctx.timing,
        render: () => guardedRemix(anonymousRender(request), ctx),
      });
    if (target.variant !== "json") return await stored();
    const ledger = new RateLimitLedger(services.kv);
    try {
      await ledger.takeIp(ctx.clientIp);
    } catch {
      // Over the limit: the API route answers its own 429 with the limit's headers.
      return await guardedRemix(request, ctx);
    }
    const response = await stored();
    if (isFixed(response)) {
      ledger.apply(response.headers);
      return response;
    }
    const headers = new Headers(response.headers);
    ledger.apply(headers);
    return new Response(response.body, { status: response.status, headers });
  }

  async function guardedRemix(
    request: Request,
    ctx: { clientIp: string; https: boolean; nonce: string; timing: ServerTiming },
  ): Promise<Response> {
    const isApi = new URL(request.url).pathname.startsWith("/api/");
    if (!isApi && isCrossSiteRequest(request, { trustProxy: services.env.trustProxy })) {
      throw new HttpError(403, "Cross-site form submissions are refused.");
    }
    const limited = await limitBody(request, MAX_BODY_BYTES, {
      deadlineMs: options.bodyDeadlineMs,
    });
    if (!isApi) await refuseMalformedInput(limited);
    return await remix(limited, {
      services: routeServices,
      ...ctx,
      // A document (not a `?_data=` load): markup loaders render goes into the page only.
      document: !new URL(request.url).searchParams.has("_data"),
      serverHtml: new Map(),
    });
  }
}

/**
 * An answer to a request that carried credentials (issue 15 item 7): unless a route declared
 * it `public` (the same bytes as the anonymous answer) or already `private`/`no-store`, it is
 * marked `private`, so no shared cache in front keeps a redirect, stream or page of one user.
 */
export function keepFromSharedCaches(headers: Headers): void {
  const policy = headers.get("Cache-Control") ?? "";
  if (/\b(public|private|no-store)\b/i.test(policy)) return;
  headers.set("Cache-Control", policy ? `private, ${policy}` : "private, no-store");
}

/**
 * The request an edge-stored answer is rendered from: a plain GET of the URL, without the
 * visitor's cookies, validators or encodings, so the stored bytes suit every anonymous visitor.
 */
function anonymousRender(request: Request): Request {
  const headers = new Headers();
  for (const name of ["host", "accept", "user-agent"]) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return new Request(request.url, { method: "GET", headers });
}

/**
 * Reads a body of at most `max` bytes, refusing larger ones with 413 before anything parses
 * them, and one that has not fully arrived within `deadlineMs` with 408.
 */
export async function limitBody(
  request: Request,
  max: number,
  options: { deadlineMs?: number } = {},
): Promise<Request> {
  if (!request.body) return request;
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    await request.body.cancel();
    throw new HttpError(413, `Request bodies are limited to ${max} bytes.`);
  }
  const chunks: Uint8Array[] = [];
  let seen = 0;
  const reader = request.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HttpError(408, "The request body did not arrive in time.")),
      options.deadlineMs ?? BODY_DEADLINE_MS,
    );
  });
  try {
    return await readAll();
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }

  async function readAll(): Promise<Request> {
    while (true) {
      const { done, value } = await Promise.race([reader.read(), deadline]);
      if (done) break;
      seen += value.byteLength;
      if (seen > max) throw new HttpError(413, `Request bodies are limited to ${max} bytes.`);
      chunks.push(value);
    }
    const body = new Uint8Array(seen);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return new Request(request, { body });
  }
}

function toErrorResponse(error: unknown, pathname: string): Response {
  if (isConnectionError(error)) return unavailableResponse(pathname);
  if (error instanceof HttpError) {
    if (pathname.startsWith("/api/")) return problemResponse(error, pathname);
    return new Response(`${error.status} ${error.message}`, {
      status: error.status,
      headers: {
        "Content-Type": "text/plain; charset=utf-8",
        "Cache-Control": "no-store",
        ...error.headers,
      },
    });
  }
  console.error(error);
  return problemResponse(new HttpError(500, "Something went wrong on our side."), pathname);
}
