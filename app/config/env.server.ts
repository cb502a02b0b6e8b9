import { z } from "zod";

/** LLM providers that may appear in `LLM_PROVIDERS`, in their default order. */
export const LLM_PROVIDER_NAMES = ["openai", "anthropic", "offline"] as const;

/** One entry of the LLM fallback chain. */
export type LlmProviderName = (typeof LLM_PROVIDER_NAMES)[number];

/**
 * What an OpenAI-compatible server supports (OPENAI_PROFILE): `openai` for OpenAI itself,
 * `ollama` and `lmstudio` for those local servers, `compatible` for anything else (probes).
 */
export const OPENAI_PROFILE_NAMES = ["openai", "ollama", "lmstudio", "compatible"] as const;
export type OpenAIProfileName = (typeof OPENAI_PROFILE_NAMES)[number];

/** Log verbosity, from most to least chatty. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** A log verbosity accepted by `LOG_LEVEL`. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Connection and model routing of one hosted LLM provider. */
export interface LlmProviderEnv {
  apiKey: string | undefined;
  baseUrl: string | undefined;
  modelFast: string;
  modelStrong: string;
}

/** The parsed configuration of one server process (docs/architecture.md §2). */
export interface Env {
  port: number;
  host: string;
  dataDir: string;
  kvPath: string | undefined;
  databaseUrl: string | undefined;
  databaseReadUrl: string | undefined;
  sessionSecret: string | undefined;
  llm: { providers: LlmProviderName[] };
  /** `profile`: from OPENAI_PROFILE; else `openai` without OPENAI_BASE_URL, `compatible` with. */
  openai: LlmProviderEnv & { profile: OpenAIProfileName };
  anthropic: LlmProviderEnv;
  adminEmails: string[];
  /** One-time proof an `ADMIN_EMAILS` account is its owner's (unset: generated, logged). */
  adminSetupToken: string | undefined;
  alertWebhookUrl: string | undefined;
  userDailyBudgetUsd: number;
  corsOrigins: string[];
  logLevel: LogLevel;
  /** Behind a reverse proxy: believe its X-Forwarded-For/-Host/-Proto headers. */
  trustProxy: boolean;
  /** Set by Deno Deploy; selects the platform KV and KV-held secrets. */
  denoDeploymentId: string | undefined;
  /** The site's public origin: every absolute URL is built from it, never from a request's Host. */
  publicOrigin: string;
}

/** Default models: cheap and fast for product/brand/design, stronger for architecture/code. */
export const DEFAULT_MODELS = {
  openai: { fast: "gpt-4.1-mini", strong: "gpt-4.1" },
  anthropic: { fast: "claude-haiku-4-5", strong: "claude-sonnet-4-5" },
} as const;

/** Bad configuration; `message` is one line that names the variable. */
export class EnvError extends Error {
  readonly variable: string;

  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = "EnvError";
    this.variable = variable;
  }
}

interface FieldOptions {
  /** Secrets are described by length, never echoed into logs. */
  secret?: boolean;
}

/**
 * One optional variable: blank counts as unset (env files often write `VAR=`), anything
 * else must satisfy `parse`, which returns undefined to reject with `expected`.
 */
function field<T>(expected: string, parse: (raw: string) => T | undefined, options?: FieldOptions) {
  return z.string().optional().transform((raw, ctx): T | undefined => {
    if (raw === undefined || raw.trim() === "") return undefined;
    const value = parse(raw.trim());
    if (value !== undefined) return value;
    const shown = options?.secret ? `a value of ${raw.length} characters` : JSON.stringify(raw);
    ctx.addIssue({ code: "custom", message: `${expected}, got ${shown}` });
    return z.NEVER;
  });
}

function commaList(raw: string): string[] {
  return raw.split(",").map((part) => part.trim()).filter((part) => part !== "");
}

function parseUrl(raw: string, protocols: readonly string[]): string | undefined {
  if (!URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  return protocols.includes(url.protocol) ? raw : undefined;
}

function parseOrigin(raw: string): string | undefined {
  if (!URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  const bare = url.pathname === "/" && url.search === "" && url.hash === "" &&
    url.username === "" && !raw.endsWith("/");
  return (url.protocol === "https:" || url.protocol === "http:") && bare ? url.origin : undefined;
}

function allOrNothing<T>(items: string[], parse: (item: string) => T | undefined) {
  const parsed = items.map(parse);
  return parsed.every((item) => item !== undefined) ? (parsed as T[]) : undefined;
}

const HTTP = ["http:", "https:"] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MODEL = /^\S{1,200}$/;
const MIN_SECRET_LENGTH = 32;

const envSchema = z.object({
  PORT: field("expected an integer 1-65535", (raw) => {
    const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
    return port >= 1 && port <= 65535 ? port : undefined;
  }),
  HOST: field(
    "expected a host name or IP address",
    (raw) => (/^[\w.:[\]-]+$/.test(raw) ? raw : undefined),
  ),
  DATA_DIR: field("expected a directory path", (raw) => raw),
  KV_PATH: field("expected a file path, :memory: or an http(s) URL", (raw) => raw),
  DATABASE_URL: field(
    "expected a postgres:// or postgresql:// URL",
    (raw) => parseUrl(raw, ["postgres:", "postgresql:"]),
    { secret: true },
  ),
  DATABASE_READ_URL: field(
    "expected a postgres:// or postgresql:// URL",
    (raw) => parseUrl(raw, ["postgres:", "postgresql:"]),
    { secret: true },
  ),
  SESSION_SECRET: field(
    `expected at least ${MIN_SECRET_LENGTH} characters`,
    (raw) => (raw.length >= MIN_SECRET_LENGTH ? raw : undefined),
    { secret: true },
  ),
  LLM_PROVIDERS: field(
    `expected a comma list of ${LLM_PROVIDER_NAMES.join(", ")} without repeats`,
    (raw) => {
      const names = commaList(raw.toLowerCase());
      const known = names.every((name) => (LLM_PROVIDER_NAMES as readonly string[]).includes(name));
      const unique = new Set(names).size === names.length;
      return known && unique && names.length > 0 ? (names as LlmProviderName[]) : undefined;
    },
  ),
  OPENAI_API_KEY: field(
    "expected a key without spaces",
    (raw) => (/^\S+$/.test(raw) ? raw : undefined),
    {
      secret: true,
    },
  ),
  OPENAI_BASE_URL: field("expected an http(s) URL", (raw) => parseUrl(raw, HTTP)),
  OPENAI_PROFILE: field(
    `expected one of ${OPENAI_PROFILE_NAMES.join(", ")}`,
    (raw) => {
      const name = raw.trim().toLowerCase();
      return (OPENAI_PROFILE_NAMES as readonly string[]).includes(name)
        ? name as OpenAIProfileName
        : undefined;
    },
  ),
  OPENAI_MODEL_FAST: field("expected a model name", (raw) => (MODEL.test(raw) ? raw : undefined)),
  OPENAI_MODEL_STRONG: field("expected a model name", (raw) => (MODEL.test(raw) ? raw : undefined)),
  ANTHROPIC_API_KEY: field(
    "expected a key without spaces",
    (raw) => (/^\S+$/.test(raw) ? raw : undefined),
    {
      secret: true,
    },
  ),
  ANTHROPIC_BASE_URL: field("expected an http(s) URL", (raw) => parseUrl(raw, HTTP)),
  ANTHROPIC_MODEL_FAST: field(
    "expected a model name",
    (raw) => (MODEL.test(raw) ? raw : undefined),
  ),
  ANTHROPIC_MODEL_STRONG: field(
    "expected a model name",
    (raw) => (MODEL.test(raw) ? raw : undefined),
  ),
  ADMIN_EMAILS: field(
    "expected a comma list of email addresses",
    (raw) =>
      allOrNothing(commaList(raw.toLowerCase()), (item) => (EMAIL.test(item) ? item : undefined)),
  ),
  ADMIN_SETUP_TOKEN: field(
    "expected 24 to 200 characters",
    (raw) => (raw.length >= 24 && raw.length <= 200 && !/\s/.test(raw) ? raw : undefined),
    { secret: true },
  ),
  ALERT_WEBHOOK_URL: field("expected an http(s) URL", (raw) => parseUrl(raw, HTTP), {
    secret: true,
  }),
  USER_DAILY_BUDGET_USD: field("expected a non-negative number of dollars", (raw) => {
    const amount = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
    return Number.isFinite(amount) ? amount : undefined;
  }),
  CORS_ORIGINS: field(
    "expected a comma list of origins like https://app.example.com",
    (raw) => allOrNothing(commaList(raw), parseOrigin),
  ),
  LOG_LEVEL: field(
    `expected one of ${LOG_LEVELS.join(", ")}`,
    (raw) =>
      (LOG_LEVELS as readonly string[]).includes(raw.toLowerCase())
        ? (raw.toLowerCase() as LogLevel)
        : undefined,
  ),
  TRUST_PROXY: field("expected true or false", (raw) => {
    const flag = raw.toLowerCase();
    if (["1", "true", "yes", "on"].includes(flag)) return true;
    return ["0", "false", "no", "off"].includes(flag) ? false : undefined;
  }),
  DENO_DEPLOYMENT_ID: field("expected a deployment id", (raw) => raw),
  PUBLIC_ORIGIN: field("expected an origin like https://atlas9.example", parseOrigin),
}).superRefine((vars, ctx) => {
  const keyed = { openai: vars.OPENAI_API_KEY, anthropic: vars.ANTHROPIC_API_KEY } as const;
  for (const provider of vars.LLM_PROVIDERS ?? []) {
    if (provider !== "offline" && keyed[provider] === undefined) {
      const keyVar = `${provider.toUpperCase()}_API_KEY`;
      ctx.addIssue({
        code: "custom",
        path: ["LLM_PROVIDERS"],
        message: `lists "${provider}" but ${keyVar} is not set`,
      });
    }
  }
});

/** Parses every Atlas9 variable at once; throws `EnvError` on the first bad one. */
export function parseEnv(vars: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(vars);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EnvError(String(issue.path[0] ?? "environment"), issue.message);
  }
  const v = result.data;
  if (v.DENO_DEPLOYMENT_ID !== undefined) refuseEmbeddedStoresOnDeploy(v);
  const defaultProviders: LlmProviderName[] = [
    ...(v.OPENAI_API_KEY ? ["openai" as const] : []),
    ...(v.ANTHROPIC_API_KEY ? ["anthropic" as const] : []),
    "offline",
  ];
  const port = v.PORT ?? 8000;
  return {
    port,
    host: v.HOST ?? "0.0.0.0",
    dataDir: v.DATA_DIR ?? "./.data",
    kvPath: v.KV_PATH,
    databaseUrl: v.DATABASE_URL,
    databaseReadUrl: v.DATABASE_READ_URL,
    sessionSecret: v.SESSION_SECRET,
    llm: { providers: v.LLM_PROVIDERS ?? defaultProviders },
    openai: {
      apiKey: v.OPENAI_API_KEY,
      baseUrl: v.OPENAI_BASE_URL,
      modelFast: v.OPENAI_MODEL_FAST ?? DEFAULT_MODELS.openai.fast,
      modelStrong: v.OPENAI_MODEL_STRONG ?? DEFAULT_MODELS.openai.strong,
      profile: v.OPENAI_PROFILE ?? (v.OPENAI_BASE_URL ? "compatible" : "openai"),
    },
    anthropic: {
      apiKey: v.ANTHROPIC_API_KEY,
      baseUrl: v.ANTHROPIC_BASE_URL,
      modelFast: v.ANTHROPIC_MODEL_FAST ?? DEFAULT_MODELS.anthropic.fast,
      modelStrong: v.ANTHROPIC_MODEL_STRONG ?? DEFAULT_MODELS.anthropic.strong,
    },
    adminEmails: v.ADMIN_EMAILS ?? [],
    adminSetupToken: v.ADMIN_SETUP_TOKEN,
    alertWebhookUrl: v.ALERT_WEBHOOK_URL,
    userDailyBudgetUsd: v.USER_DAILY_BUDGET_USD ?? 2,
    corsOrigins: v.CORS_ORIGINS ?? [],
    logLevel: v.LOG_LEVEL ?? "info",
    trustProxy: v.TRUST_PROXY ?? false,
    denoDeploymentId: v.DENO_DEPLOYMENT_ID,
    publicOrigin: v.PUBLIC_ORIGIN ?? `http://localhost:${port}`,
  };
}

/**
 * On Deno Deploy (`DENO_DEPLOYMENT_ID` set) the filesystem is read-only and every instance is
 * separate: PGlite or a file/in-memory KV would silently give each instance its own data
 * (issue 14 item 9). Refuse to start, naming the variable.
 */
function refuseEmbeddedStoresOnDeploy(v: { DATABASE_URL?: string; KV_PATH?: string }): void {
  if (v.DATABASE_URL === undefined) {
    throw new EnvError(
      "DATABASE_URL",
      "required on Deno Deploy (DENO_DEPLOYMENT_ID is set): the embedded PGlite database is per instance",
    );
  }
  if (v.KV_PATH !== undefined && !/^https:\/\//i.test(v.KV_PATH)) {
    throw new EnvError(
      "KV_PATH",
      "must be unset (the platform's KV) or an https:// KV URL on Deno Deploy, not a file or :memory:",
    );
  }
}

/** Reads the process environment for `server.ts`; on bad config prints one line and exits 1. */
export function loadEnv(): Env {
  try {
    return parseEnv(Deno.env.toObject());
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`Configuration error: ${error.message}`);
    Deno.exit(1);
  }
}
