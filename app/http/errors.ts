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

const TYPES: Record<number, string> = {
  400: "bad-request",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  405: "method-not-allowed",
  409: "conflict",
  413: "payload-too-large",
  415: "unsupported-media-type",
  422: "unprocessable",
  429: "rate-limited",
  500: "internal",
  503: "unavailable",
};

function defaultType(status: number): string {
  return TYPES[status] ?? "error";
}

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable content",
  429: "Too many requests",
  500: "Internal server error",
  503: "Service unavailable",
};

/** Base URI of our problem types (RFC 9457 `type`). */
export const PROBLEM_BASE = "https://atlas9.dev/problems/";

/** An RFC 9457 problem+json response for an HttpError. */
export function problemResponse(error: HttpError, instance?: string): Response {
  const body: Record<string, unknown> = {
    type: PROBLEM_BASE + error.type,
    title: TITLES[error.status] ?? "Error",
    status: error.status,
    detail: error.message,
  };
  if (instance) body.instance = instance;
  if (error.fields) body.errors = error.fields;
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: {
      "Content-Type": "application/problem+json",
      "Cache-Control": "no-store",
      ...error.headers,
    },
  });
}

/**
 * Whether `error` is a domain error of the given class name. Route modules are bundled
 * separately from the services that throw, so `instanceof` cannot cross that boundary.
 */
export function isDomainError(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
