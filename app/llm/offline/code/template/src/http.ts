import type { z } from "zod";

/** An error answered as an RFC 9457 problem response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly issues?: { path: (string | number)[]; message: string }[],
  ) {
    super(detail ?? title);
  }
}

export function problem(error: HttpError): Response {
  return Response.json({
    type: "about:blank",
    title: error.title,
    status: error.status,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(error.issues ? { issues: error.issues } : {}),
  }, { status: error.status, headers: { "content-type": "application/problem+json" } });
}

/** `value` parsed with `schema`, or a 400/422 listing the issues. */
export function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  status: 400 | 422,
  title: string,
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpError(
    status,
    title,
    undefined,
    result.error.issues.map((issue) => ({
      path: issue.path.map((part) => typeof part === "symbol" ? String(part) : part),
      message: issue.message,
    })),
  );
}

const MAX_BODY = 1_000_000;

/** The JSON body: 415 when not JSON, 413 when too large, 400 when malformed. */
export async function jsonBody(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.includes("application/json")) {
    throw new HttpError(415, "Unsupported media type", "Send a JSON body (application/json).");
  }
  const text = await request.text();
  if (text.length > MAX_BODY) throw new HttpError(413, "Body too large");
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "Malformed JSON");
  }
}

interface DatabaseError {
  code?: string;
  detail?: string;
  constraint?: string;
}

/** A PostgreSQL error as a 4xx; nothing when it is not the client's fault. */
export function databaseProblem(error: unknown): HttpError | null {
  const { code, detail, constraint } = (error ?? {}) as DatabaseError;
  if (typeof code !== "string") return null;
  const say = detail ?? constraint;
  switch (code) {
    case "23505":
      return new HttpError(409, "Already exists", say);
    case "23503":
      return new HttpError(409, "Related record missing or still in use", say);
    case "23502":
      return new HttpError(422, "Missing value", say);
    case "23514":
      return new HttpError(422, "Value not allowed", say);
    case "22001":
    case "22003":
    case "22007":
    case "22008":
    case "22P02":
      return new HttpError(422, "Invalid value", say);
    default:
      return null;
  }
}
