/** The view model of the `/api/docs` reference page, read from the served OpenAPI document. */
import { openApiDocument } from "./openapi.server.ts";

/** One parameter of an endpoint. */
export interface DocParameter {
  name: string;
  in: string;
  required: boolean;
  schema: string;
  description: string;
}

/** One endpoint as the reference page lists it. */
export interface DocEndpoint {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  auth: boolean;
  parameters: DocParameter[];
  requestSchema: string | null;
  responses: { status: string; description: string; schema: string | null }[];
}

/** A named schema, pretty-printed unless too large to be useful on the page. */
export interface DocSchema {
  name: string;
  json: string | null;
  bytes: number;
}

/** Everything the reference page shows. */
export interface ApiDocs {
  title: string;
  version: string;
  description: string;
  tags: { name: string; description: string; endpoints: DocEndpoint[] }[];
  schemas: DocSchema[];
}

// Stage output schemas run to tens of kilobytes; the page links to the document for those.
const MAX_INLINE_SCHEMA_BYTES = 4000;

type Json = Record<string, any>;

function refName(schema: Json | undefined): string | null {
  const ref = schema?.$ref ?? schema?.allOf?.[0]?.$ref;
  return typeof ref === "string" ? ref.split("/").at(-1)! : null;
}

function schemaSummary(schema: Json): string {
  const parts = [schema.type ?? refName(schema) ?? "value"];
  if (schema.enum) parts.push(`one of ${schema.enum.join(", ")}`);
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined) parts.push(`min ${schema.minLength} chars`);
  if (schema.maxLength !== undefined) parts.push(`max ${schema.maxLength} chars`);
  if (schema.pattern) parts.push(`pattern ${schema.pattern}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(", ");
}

/** Builds the reference page's content from the OpenAPI document. */
export function apiDocs(): ApiDocs {
  const doc = openApiDocument() as Json;
  const endpoints: (DocEndpoint & { tag: string })[] = [];
  for (const [path, methods] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(methods as Json)) {
      endpoints.push({
        tag: op.tags[0],
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        summary: op.summary,
        description: op.description ?? "",
        auth: op.security.length > 0,
        parameters: op.parameters.map((p: Json) => ({
          name: p.name,
          in: p.in,
          required: p.required,
          schema: schemaSummary(p.schema),
          description: p.description ?? "",
        })),
        requestSchema: refName(op.requestBody?.content["application/json"].schema),
        responses: Object.entries(op.responses as Json).map(([status, response]) => {
          const content = response.content ?? {};
          const media = Object.values(content)[0] as Json | undefined;
          return {
            status,
            description: response.description,
            schema: refName(media?.["x-event-schema"] ?? media?.schema),
          };
        }),
      });
    }
  }
  const schemas = Object.entries(doc.components.schemas as Json).map(([name, schema]) => {
    const json = JSON.stringify(schema, null, 2);
    return { name, bytes: json.length, json: json.length <= MAX_INLINE_SCHEMA_BYTES ? json : null };
  });
  return {
    title: doc.info.title,
    version: doc.info.version,
    description: doc.info.description,
    tags: (doc.tags as Json[]).map((tag) => ({
      name: tag.name,
      description: tag.description,
      endpoints: endpoints.filter((e) => e.tag === tag.name),
    })),
    schemas,
  };
}
