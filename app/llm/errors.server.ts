import { ProviderError, type ProviderErrorKind } from "./types.ts";

/** What an HTTP API said about a failed call: status, headers and the error body's fields. */
export interface HttpFailure {
  /** Undefined for an error event inside a 200 stream. */
  status?: number;
  headers?: Headers;
  /** The error body's `type` (OpenAI `error.type`, Anthropic `error.type`). */
  type?: string | null;
  /** The error body's `code` (OpenAI `error.code`, Anthropic `error.details.error_code`). */
  code?: string | null;
  message: string;
}

/** Body types and codes that mean the account is out of money, not momentarily busy. */
const QUOTA_CODES = new Set([
  "insufficient_quota",
  "billing_error",
  "billing_hard_limit_reached",
  "contract_spend_limit_reached",
  "enforced_spend_limit_reached",
  "linked_organization_spend_limit_reached",
]);

/** Classifies an HTTP (or in-stream) API error into a ProviderError by status and body fields. */
export function classifyHttpFailure(
  provider: string,
  failure: HttpFailure,
  options: { cause?: unknown; now?: () => number } = {},
): ProviderError {
  const { status, type, code } = failure;
  const has = (...values: string[]) => values.some((value) => value === type || value === code);
  let kind: ProviderErrorKind;
  if (status === 402 || has(...QUOTA_CODES)) kind = "quota_exhausted";
  else if (status === 429 || has("rate_limit_error", "rate_limit_exceeded")) kind = "rate_limited";
  else if (status === 529 || has("overloaded_error")) kind = "overloaded";
  else if (status === 401 || status === 403 || has("authentication_error", "permission_error")) {
    kind = "auth";
  } else if (status === 408 || has("timeout_error")) kind = "timeout";
  else if (status !== undefined && status >= 500) kind = "server";
  else if (status !== undefined && status >= 400) kind = "bad_request";
  else if (has("invalid_request_error")) kind = "bad_request";
  // An unrecognised error event inside a 200 stream is the server failing mid-answer.
  else kind = "server";

  const retryAfter = kind === "rate_limited" && failure.headers
    ? retryAfterMs(failure.headers, options.now?.() ?? Date.now())
    : undefined;
  return new ProviderError(kind, `${provider}: ${failure.message}`, {
    provider,
    status,
    retryAfterMs: retryAfter,
    cause: options.cause,
  });
}

/** Milliseconds to wait from `retry-after-ms`, or `retry-after` (seconds or HTTP date). */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms))) {
    return Math.max(0, Number(ms));
  }
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A failure that is not an API answer: the connection broke or the stream was malformed. */
export function connectionFailure(provider: string, cause: unknown): ProviderError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ProviderError("connection", `${provider}: connection failed: ${detail}`, {
    provider,
    cause,
  });
}
