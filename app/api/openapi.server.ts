/** Builds the OpenAPI 3.1 document of API v1 from the operation table and its zod schemas. */
import { z } from "zod";
import { etagOf } from "../http/etag.server.ts";
import { API_LIMITS } from "./rate-limits.server.ts";
import { AUTH_PROBLEMS, BODY_PROBLEMS, COMMON_PROBLEMS, operations } from "./operations.ts";
import type { Operation, ResponseSpec } from "./operations.ts";
import { PROBLEM_TYPES, problemTypeUri } from "./problems.ts";
import type { ProblemType } from "./problems.ts";
import { requestSchemas, responseSchemas } from "./schemas.ts";

type JsonSchema = Record<string, unknown>;

const COMPONENT = "#/components/schemas/";

const RESPONSE_HEADERS: Record<string, { description: string; schema: JsonSchema }> = {
  "RateLimit-Limit": {
    description: "Requests allowed in the current window of the tightest limit.",
    schema: { type: "integer" },
  },
  "RateLimit-Remaining": {
    description: "Requests left in the current window.",
    schema: { type: "integer" },
  },
  "RateLimit-Reset": {
    description: "Seconds until the window resets.",
    schema: { type: "integer" },
  },
  "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } },
  "ETag": { description: "Validator for If-None-Match.", schema: { type: "string" } },
  "Location": { description: "Where the resource lives.", schema: { type: "string" } },
  "Cache-Control": { description: "Caching policy.", schema: { type: "string" } },
  "Idempotent-Replayed": {
    description: "`true` when this is the stored response of an earlier request with the key.",
    schema: { type: "string", enum: ["true"] },
  },
  "WWW-Authenticate": { description: "The Bearer challenge.", schema: { type: "string" } },
};

/** Converts one standalone schema (a parameter) to JSON Schema without the dialect header. */
function inline(schema: z.ZodType, io: "input" | "output" = "input"): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io }) as JsonSchema;
  return rest;
}

/** Every registered schema under components/schemas, requests as input, responses as output. */
function components(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  const uri = (id: string) => COMPONENT + id;
  for (
    const [registry, io] of [[requestSchemas, "input"], [responseSchemas, "output"]] as const
  ) {
    const { schemas } = z.toJSONSchema(registry, { io, uri }) as {
      schemas: Record<string, JsonSchema>;
    };
    for (const [id, schema] of Object.entries(schemas)) {
      if (id in out) throw new Error(`OpenAPI: schema ${id} is registered twice`);
      const { $schema: _s, $id: _i, ...rest } = schema;
      out[id] = rest;
    }
  }
  return out;
}

function refTo(schema: z.ZodType): JsonSchema {
  const id = requestSchemas.get(schema)?.id ?? responseSchemas.get(schema)?.id;
  if (!id) throw new Error("OpenAPI: an operation uses a schema that is not registered");
  return { $ref: COMPONENT + id };
}

function headersOf(names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, RESPONSE_HEADERS[name]]));
}

function successResponse(status: number, spec: ResponseSpec): Record<string, unknown> {
  const headers = headersOf([
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    ...(spec.headers ?? []),
  ]);
  const response: Record<string, unknown> = { description: spec.description, headers };
  if (spec.contentType === "text/event-stream") {
    response.content = {
      "text/event-stream": {
        schema: {
          type: "string",
          description: "`id: <seq>`, `event: <name>` and `data: <JSON>` lines per event.",
        },
        "x-event-schema": { $ref: COMPONENT + "GenerationEvent" },
      },
    };
  } else if (spec.schema) {
    response.content = { "application/json": { schema: refTo(spec.schema) } };
  } else if (status === 200) {
    response.content = { "application/json": { schema: { type: "object" } } };
  }
  return response;
}

function problemResponses(operation: Operation): Record<string, unknown> {
  const types = new Set<ProblemType>([
    ...COMMON_PROBLEMS,
    ...(operation.auth ? AUTH_PROBLEMS : []),
    ...(operation.body ? BODY_PROBLEMS : []),
    ...operation.problems,
  ]);
  const byStatus = new Map<number, ProblemType[]>();
  for (const type of types) {
    const status = PROBLEM_TYPES[type].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), type]);
  }
  const out: Record<string, unknown> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const extra = status === 429 ? ["Retry-After"] : status === 401 ? ["WWW-Authenticate"] : [];
    out[String(status)] = {
      description: list.map((type) => `\`${type}\`: ${PROBLEM_TYPES[type].title}.`).join(" "),
      headers: headersOf(extra),
      content: {
        "application/problem+json": {
          schema: {
            allOf: [
              { $ref: COMPONENT + "Problem" },
              { properties: { type: { enum: list.map(problemTypeUri) } } },
            ],
          },
        },
      },
    };
  }
  return out;
}

function parametersOf(operation: Operation): unknown[] {
  const parameters: unknown[] = [];
  for (const [name, schema] of Object.entries(operation.params ?? {})) {
    parameters.push({ name, in: "path", required: true, schema: inline(schema) });
  }
  for (const [name, schema] of Object.entries(operation.query?.shape ?? {})) {
    const json = inline(schema as z.ZodType);
    const { description, ...rest } = json;
    parameters.push({
      name,
      in: "query",
      required: !(schema as z.ZodType).safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: rest,
    });
  }
  for (const header of operation.headers ?? []) {
    const { description, ...schema } = inline(header.schema);
    parameters.push({
      name: header.name,
      in: "header",
      required: header.required ?? false,
      ...(description ? { description } : {}),
      schema,
    });
  }
  return parameters;
}

function operationObject(operation: Operation): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(operation.responses)) {
    responses[status] = successResponse(Number(status), spec);
  }
  Object.assign(responses, problemResponses(operation));
  const object: Record<string, unknown> = {
    operationId: operation.id,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [operation.tag],
    security: operation.auth ? [{ bearer: [] }] : [],
    parameters: parametersOf(operation),
    responses,
  };
  if (operation.body) {
    object.requestBody = {
      required: true,
      content: { "application/json": { schema: refTo(operation.body) } },
    };
  }
  return object;
}

const DESCRIPTION = `Atlas9 turns a one-line product directive into a product blueprint in five
stages (product, brand, design, architecture, code). This API is for mobile and other
non-browser clients.

- **Auth**: \`POST /api/v1/users\` or \`POST /api/v1/auth/token\` returns a bearer token
  (\`a9_…\`, shown once). Send it as \`Authorization: Bearer <token>\`. Cookies are never used.
- **Errors** are RFC 9457 \`application/problem+json\`; branch on \`type\`. Field errors
  come in \`errors\` (field path → messages) on 400 and 422.
- **Rate limits**: ${API_LIMITS.token.limit} requests per minute per token, ${API_LIMITS.ip.limit}
  per minute per client IP, ${API_LIMITS.signup.limit} sign-ups per hour per IP. Every response
  has \`RateLimit-Limit\`, \`RateLimit-Remaining\` and \`RateLimit-Reset\`; a 429 has
  \`Retry-After\`.
- **Caching**: GETs carry an \`ETag\`; send it back in \`If-None-Match\` for a 304.
- **Bodies** are JSON, at most 64 KiB (larger ones get 413 before they are read).`;

let built: Record<string, unknown> | undefined;
let serialized: Promise<{ body: string; etag: string }> | undefined;

/** The OpenAPI 3.1 document of API v1 (built once: it depends on code alone). */
export function openApiDocument(): Record<string, unknown> {
  return built ??= buildOpenApiDocument();
}

/** The document as served, with its ETag (computed once). */
export function openApiJson(): Promise<{ body: string; etag: string }> {
  return serialized ??= (async () => {
    const body = JSON.stringify(openApiDocument());
    return { body, etag: await etagOf(body) };
  })();
}

/** Builds the OpenAPI 3.1 document of API v1. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of Object.values(operations) as Operation[]) {
    (paths[operation.path] ??= {})[operation.method.toLowerCase()] = operationObject(operation);
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: { title: "Atlas9 API", version: "1.0.0", description: DESCRIPTION },
    servers: [{ url: "/" }],
    tags: [
      { name: "Accounts", description: "Sign up, log in, log out." },
      { name: "Projects", description: "Your blueprints and their generation." },
      { name: "Public", description: "Blueprints their owners published." },
      { name: "Meta", description: "This description." },
    ],
    paths,
    components: {
      schemas: components(),
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "a9_ followed by 43 base64url characters",
        },
      },
    },
  };
}
