import { PROBLEM_BASE, problemTitle, STATUS_PROBLEMS } from "./problems.ts";

export { PROBLEM_BASE };

/** One HTTP error type, mapped to a response in one place (STYLE.md, from fresh). */
export class HttpError extends Error {
  readonly status: number;
  /** Stable problem type slug, e.g. "validation", "not-found". */
  readonly type: string;
  readonly headers: Record<string, string>;
  readonly fields?: Record<string, string[]>;

  constructor(
    status: number,
    message: string,
    options: {
      type?: string;
      headers?: Record<string, string>;
      fields?: Record<string, string[]>;
    } = {},
  ) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.type = options.type ?? defaultType(status);
    this.headers = options.headers ?? {};
    this.fields = options.fields;
  }
}

function defaultType(status: number): string {
  return STATUS_PROBLEMS[status] ?? "error";
}

/**
 * The one RFC 9457 problem+json response (pages' handler, API v1, 503s alike), titled from
 * the one table of problem types (problems.ts).
 */
export function problemResponse(error: HttpError, instance?: string): Response {
  const body: Record<string, unknown> = {
    type: PROBLEM_BASE + error.type,
    title: problemTitle(error.type, error.message),
    status: error.status,
    detail: error.message,
  };
  if (instance) body.instance = instance;
  if (error.fields) body.errors = error.fields;
  const headers = new Headers(error.headers);
  headers.set("Content-Type", "application/problem+json");
  headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/**
 * Whether `error` is a domain error of the given class name. Route modules are bundled
 * separately from the services that throw, so `instanceof` cannot cross that boundary.
 */
export function isDomainError(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
