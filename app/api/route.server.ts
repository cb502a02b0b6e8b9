/**
 * The one wrapper every API v1 route goes through: CORS, rate limits, bearer auth, and
 * parsing of path, query, headers and body with the operation's schemas; errors become
 * problem+json. Route modules then only call the domain and shape the answer.
 */
import type { z } from "zod";
import type { AppLoadContext, LoaderFunctionArgs } from "@remix-run/server-runtime";
import type {} from "../server/context.ts";
import type { Services } from "../server/services.server.ts";
import { HttpError, problemResponse } from "../http/errors.ts";
import { authenticate } from "./auth.server.ts";
import type { Principal } from "./auth.server.ts";
import { applyCors, preflightResponse } from "./cors.server.ts";
import type { ApiMethod, Operation } from "./operations.ts";
import { fieldErrors, problem } from "./problems.ts";
import { RateLimitLedger } from "./rate-limits.server.ts";

type ParamsOf<O> = O extends { params: infer P extends Record<string, z.ZodType> }
  ? { [K in keyof P]: z.output<P[K]> }
  : Record<string, never>;
type QueryOf<O> = O extends { query: infer Q extends z.ZodType } ? z.output<Q>
  : Record<string, never>;
type BodyOf<O> = O extends { body: infer B extends z.ZodType } ? z.output<B> : undefined;
type PrincipalOf<O> = O extends { auth: true } ? Principal : null;

/** What an endpoint's handler receives: everything already checked. */
export interface EndpointInput<O extends Operation> {
  request: Request;
  context: AppLoadContext;
  services: Services;
  principal: PrincipalOf<O>;
  params: ParamsOf<O>;
  query: QueryOf<O>;
  /** The operation's declared headers that were sent, parsed. */
  headers: Record<string, string | undefined>;
  body: BodyOf<O>;
  ledger: RateLimitLedger;
}

/** One operation bound to its handler. */
export interface Endpoint {
  operation: Operation;
  handle(input: EndpointInput<Operation>): Promise<Response>;
}

/** Binds an operation of operations.ts to the function that answers it. */
export function endpoint<const O extends Operation>(
  operation: O,
  handle: (input: EndpointInput<O>) => Promise<Response>,
): Endpoint {
  return { operation, handle: handle as unknown as Endpoint["handle"] };
}

/** The loader and action of an API v1 resource route serving the given endpoints. */
export function apiRoute(...endpoints: Endpoint[]) {
  const byMethod = new Map<string, Endpoint>();
  for (const ep of endpoints) byMethod.set(ep.operation.method, ep);
  const allow = [...byMethod.keys(), ...(byMethod.has("GET") ? ["HEAD"] : []), "OPTIONS"];

  async function serve({ request, params, context }: LoaderFunctionArgs): Promise<Response> {
    const { services } = context;
    const origins = services.env.corsOrigins;
    if (request.method === "OPTIONS") return preflightResponse(request, origins);
    const method = (request.method === "HEAD" ? "GET" : request.method) as ApiMethod;
    const ledger = new RateLimitLedger(services.kv);
    const ep = byMethod.get(method);
    let response: Response;
    try {
      if (!ep) {
        await ledger.takeIp(context.clientIp);
        throw problem("method-not-allowed", `${request.method} is not allowed here.`, {
          headers: { Allow: allow.join(", ") },
        });
      }
      response = await run(ep, { request, params, context, ledger });
    } catch (error) {
      response = errorResponse(error, new URL(request.url).pathname);
    }
    const headers = new Headers(response.headers);
    ledger.apply(headers);
    applyCors(headers, request, origins);
    if (ep?.operation.auth) headers.append("Vary", "Authorization");
    if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
    return new Response(response.body, { status: response.status, headers });
  }

  return { loader: serve, action: serve };
}

async function run(
  ep: Endpoint,
  ctx: Pick<LoaderFunctionArgs, "request" | "params" | "context"> & { ledger: RateLimitLedger },
): Promise<Response> {
  const { operation } = ep;
  const { request, context, ledger } = ctx;
  const services = context.services;
  let principal: Principal | null = null;
  const ip = RateLimitLedger.ipUnit(context.clientIp);
  if (operation.auth) {
    // One commit for both limits (decision 014). A spent IP is refused on a read, before any
    // token lookup; a request whose token fails still counts against its IP.
    await ledger.check(...ip);
    try {
      principal = await context.timing.time("auth", () => authenticate(request, services));
    } catch (error) {
      await ledger.take(ip);
      throw error;
    }
    await ledger.take(ip, ["token", principal.tokenId]);
  } else {
    await ledger.take(ip);
  }
  const params = parseParams(operation, ctx.params);
  const url = new URL(request.url);
  const query = operation.query ? parseQuery(operation.query, url.searchParams) : {};
  const headers: Record<string, string | undefined> = {};
  for (const spec of operation.headers ?? []) {
    headers[spec.name] = parseHeader(spec, request.headers.get(spec.name));
  }
  const body = operation.body ? await readJsonBody(request, operation.body) : undefined;
  return await ep.handle({
    request,
    context,
    services,
    principal: principal as never,
    params: params as never,
    query: query as never,
    headers,
    body: body as never,
    ledger,
  });
}

/** Path parameters that do not match name no resource: 404, not 400. */
function parseParams(operation: Operation, raw: Record<string, string | undefined>) {
  const params: Record<string, string> = {};
  for (const [name, schema] of Object.entries(operation.params ?? {})) {
    const parsed = schema.safeParse(raw[name] ?? "");
    if (!parsed.success) throw problem("not-found", "No such resource.");
    params[name] = parsed.data;
  }
  return params;
}

/** Parses a query string with a schema; repeated or invalid parameters are a 400. */
export function parseQuery<S extends z.ZodObject>(schema: S, search: URLSearchParams): z.output<S> {
  const raw: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) {
    const values = search.getAll(name);
    if (values.length > 1) {
      throw problem("invalid-parameter", `Give ${name} at most once.`, {
        fields: { [name]: ["Repeated parameter."] },
      });
    }
    if (values.length === 1) raw[name] = values[0];
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw problem("invalid-parameter", "A query parameter is invalid.", {
      fields: fieldErrors(parsed.error),
    });
  }
  return parsed.data;
}

function parseHeader(
  spec: { name: string; schema: z.ZodType; required?: boolean },
  value: string | null,
): string | undefined {
  if (value === null) {
    if (!spec.required) return undefined;
    throw problem("invalid-parameter", `The ${spec.name} header is required.`, {
      fields: { [spec.name]: ["Required header."] },
    });
  }
  const parsed = spec.schema.safeParse(value);
  if (!parsed.success) {
    throw problem("invalid-parameter", `The ${spec.name} header is invalid.`, {
      fields: { [spec.name]: parsed.error.issues.map((issue) => issue.message) },
    });
  }
  return parsed.data as string;
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

/** Reads a JSON body: 415 unless it is JSON, 400 when it does not parse, 422 when invalid. */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.output<S>> {
  const contentType = request.headers.get("Content-Type") ?? "";
  const [mediaType, ...parameters] = contentType.split(";").map((part) => part.trim());
  const charset = parameters.find((p) => /^charset=/i.test(p))?.slice(8).replace(/"/g, "");
  if (!JSON_MEDIA_TYPE.test(mediaType.toLowerCase()) || (charset && !/^utf-8$/i.test(charset))) {
    throw problem(
      "unsupported-media-type",
      "Send the body as JSON with `Content-Type: application/json`.",
      { headers: { "Accept-Post": "application/json", "Accept-Patch": "application/json" } },
    );
  }
  const bytes = new Uint8Array(await request.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw problem("malformed-json", "The body is not valid UTF-8.");
  }
  if (text.trim() === "") throw problem("malformed-json", "The body is empty; send a JSON object.");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw problem("malformed-json", `The body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw problem("validation", "The body does not match the schema.", {
      fields: fieldErrors(parsed.error),
    });
  }
  return parsed.data;
}

/** A JSON response. */
export function jsonResponse(data: unknown, init: { status?: number; headers?: HeadersInit } = {}) {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(data), { status: init.status ?? 200, headers });
}

function errorResponse(error: unknown, instance: string): Response {
  if (error instanceof HttpError) return problemResponse(error, instance);
  if (error instanceof Response) return error;
  console.error("API error:", error);
  return problemResponse(
    problem("internal", "Something went wrong on our side. Try again later."),
    instance,
  );
}
