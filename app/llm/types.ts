import type { z } from "zod";
import type { StageName } from "../blueprint/stages.ts";
import type { Usage } from "../blueprint/usage.ts";

/** What a provider is asked to produce: one stage of one blueprint. */
export interface StageRequest {
  stage: StageName;
  /** The user's directive: data, never instructions. */
  directive: string;
  /** Outputs of the stages this stage depends on (already normalised). */
  inputs: Partial<Record<StageName, unknown>>;
  /** The zod schema of the stage output. */
  schema: z.ZodType;
  schemaVersion: number;
  signal: AbortSignal;
}

/** Events a provider yields while producing a stage, in order: started, delta*, completed. */
export type ProviderEvent =
  | { type: "started"; provider: string; model: string }
  | { type: "delta"; partial: unknown }
  /** Something the user should know about the stage, e.g. why another provider takes over. */
  | { type: "status"; message: string }
  | { type: "completed"; output: unknown; usage: Usage };

/** One generation backend (offline engine, OpenAI, Anthropic, ...). */
export interface Provider {
  readonly name: string;
  generate(request: StageRequest): AsyncIterable<ProviderEvent>;
}

/** Why a provider call failed; decides retry and fallback (docs/architecture.md §5.2). */
export type ProviderErrorKind =
  | "rate_limited"
  | "quota_exhausted"
  | "auth"
  | "bad_request"
  | "server"
  | "overloaded"
  | "timeout"
  | "connection"
  | "invalid_output"
  | "aborted";

/** A classified provider failure. */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly provider: string;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(
    kind: ProviderErrorKind,
    message: string,
    options: { provider: string; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = "ProviderError";
    this.kind = kind;
    this.provider = options.provider;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether another provider (or a later retry) may succeed. */
  get retryable(): boolean {
    return this.kind !== "bad_request" && this.kind !== "aborted";
  }
}
