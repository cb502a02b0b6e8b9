import assert from "node:assert/strict";
import { DEFAULT_MODELS, EnvError, parseEnv } from "./env.server.ts";

function thrown(run: () => unknown): EnvError {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error("expected an EnvError");
}

Deno.test("parseEnv: an empty environment runs on embedded defaults", () => {
  assert.deepEqual(parseEnv({}), {
    port: 8000,
    host: "0.0.0.0",
    dataDir: "./.data",
    kvPath: undefined,
    databaseUrl: undefined,
    databaseReadUrl: undefined,
    sessionSecret: undefined,
    llm: { providers: ["offline"] },
    openai: {
      apiKey: undefined,
      baseUrl: undefined,
      modelFast: DEFAULT_MODELS.openai.fast,
      modelStrong: DEFAULT_MODELS.openai.strong,
      profile: "openai",
    },
    anthropic: {
      apiKey: undefined,
      baseUrl: undefined,
      modelFast: DEFAULT_MODELS.anthropic.fast,
      modelStrong: DEFAULT_MODELS.anthropic.strong,
    },
    adminEmails: [],
    adminSetupToken: undefined,
    alertWebhookUrl: undefined,
    userDailyBudgetUsd: 2,
    corsOrigins: [],
    logLevel: "info",
    trustProxy: false,
    denoDeploymentId: undefined,
    publicOrigin: "http://localhost:8000",
  });
});

const validCases: Array<{
  name: string;
  vars: Record<string, string>;
  pick: (env: ReturnType<typeof parseEnv>) => unknown;
  expected: unknown;
}> = [
  { name: "PORT", vars: { PORT: "3000" }, pick: (e) => e.port, expected: 3000 },
  { name: "HOST ipv6", vars: { HOST: "::" }, pick: (e) => e.host, expected: "::" },
  {
    name: "blank means unset",
    vars: { PORT: "", HOST: "  " },
    pick: (e) => [e.port, e.host],
    expected: [8000, "0.0.0.0"],
  },
  {
    name: "DATA_DIR",
    vars: { DATA_DIR: "/var/atlas9" },
    pick: (e) => e.dataDir,
    expected: "/var/atlas9",
  },
  { name: "KV_PATH", vars: { KV_PATH: ":memory:" }, pick: (e) => e.kvPath, expected: ":memory:" },
  {
    name: "database URLs",
    vars: {
      DATABASE_URL: "postgres://u:p@db/app",
      DATABASE_READ_URL: "postgresql://u:p@replica/app",
    },
    pick: (e) => [e.databaseUrl, e.databaseReadUrl],
    expected: ["postgres://u:p@db/app", "postgresql://u:p@replica/app"],
  },
  {
    name: "providers default to keyed ones, then offline",
    vars: { OPENAI_API_KEY: "sk-1", ANTHROPIC_API_KEY: "sk-ant-1" },
    pick: (e) => e.llm.providers,
    expected: ["openai", "anthropic", "offline"],
  },
  {
    name: "only the anthropic key set",
    vars: { ANTHROPIC_API_KEY: "sk-ant-1" },
    pick: (e) => e.llm.providers,
    expected: ["anthropic", "offline"],
  },
  {
    name: "explicit LLM_PROVIDERS order is kept",
    vars: { LLM_PROVIDERS: "Anthropic, openai", OPENAI_API_KEY: "k", ANTHROPIC_API_KEY: "k" },
    pick: (e) => e.llm.providers,
    expected: ["anthropic", "openai"],
  },
  {
    name: "OpenAI-compatible server and models",
    vars: {
      OPENAI_API_KEY: "ollama",
      OPENAI_BASE_URL: "http://localhost:11434/v1",
      OPENAI_MODEL_FAST: "llama3.2",
      OPENAI_MODEL_STRONG: "qwen2.5:32b",
    },
    pick: (e) => e.openai,
    expected: {
      apiKey: "ollama",
      baseUrl: "http://localhost:11434/v1",
      modelFast: "llama3.2",
      modelStrong: "qwen2.5:32b",
      profile: "compatible",
    },
  },
  {
    name: "OPENAI_PROFILE names a local server's habits",
    vars: {
      OPENAI_API_KEY: "lm-studio",
      OPENAI_BASE_URL: "http://localhost:1234/v1",
      OPENAI_PROFILE: "LMStudio",
    },
    pick: (e) => e.openai.profile,
    expected: "lmstudio",
  },
  {
    name: "ADMIN_EMAILS lowercased and trimmed",
    vars: { ADMIN_EMAILS: " Ada@Example.com ,bob@example.org," },
    pick: (e) => e.adminEmails,
    expected: ["ada@example.com", "bob@example.org"],
  },
  {
    name: "USER_DAILY_BUDGET_USD decimal",
    vars: { USER_DAILY_BUDGET_USD: "0.5" },
    pick: (e) => e.userDailyBudgetUsd,
    expected: 0.5,
  },
  {
    name: "CORS_ORIGINS",
    vars: { CORS_ORIGINS: "https://app.example.com, http://localhost:5173" },
    pick: (e) => e.corsOrigins,
    expected: ["https://app.example.com", "http://localhost:5173"],
  },
  { name: "LOG_LEVEL", vars: { LOG_LEVEL: "DEBUG" }, pick: (e) => e.logLevel, expected: "debug" },
  {
    name: "SESSION_SECRET",
    vars: { SESSION_SECRET: "x".repeat(32) },
    pick: (e) => e.sessionSecret,
    expected: "x".repeat(32),
  },
  { name: "TRUST_PROXY", vars: { TRUST_PROXY: "true" }, pick: (e) => e.trustProxy, expected: true },
  {
    name: "TRUST_PROXY off",
    vars: { TRUST_PROXY: "0" },
    pick: (e) => e.trustProxy,
    expected: false,
  },
  {
    name: "DENO_DEPLOYMENT_ID",
    vars: { DENO_DEPLOYMENT_ID: "abc123", DATABASE_URL: "postgres://u:p@db.example/app" },
    pick: (e) => e.denoDeploymentId,
    expected: "abc123",
  },
  {
    name: "PUBLIC_ORIGIN",
    vars: { PUBLIC_ORIGIN: "https://atlas9.example" },
    pick: (e) => e.publicOrigin,
    expected: "https://atlas9.example",
  },
  {
    name: "PUBLIC_ORIGIN default follows PORT",
    vars: { PORT: "9001" },
    pick: (e) => e.publicOrigin,
    expected: "http://localhost:9001",
  },
];

for (const { name, vars, pick, expected } of validCases) {
  Deno.test(`parseEnv accepts ${name}`, () => {
    assert.deepEqual(pick(parseEnv(vars)), expected);
  });
}

const invalidCases: Array<{ vars: Record<string, string>; message: string }> = [
  { vars: { PORT: "abc" }, message: 'PORT: expected an integer 1-65535, got "abc"' },
  { vars: { PORT: "0" }, message: 'PORT: expected an integer 1-65535, got "0"' },
  { vars: { PORT: "65536" }, message: 'PORT: expected an integer 1-65535, got "65536"' },
  { vars: { PORT: "80.5" }, message: 'PORT: expected an integer 1-65535, got "80.5"' },
  { vars: { HOST: "my host" }, message: 'HOST: expected a host name or IP address, got "my host"' },
  {
    vars: { DATABASE_URL: "mysql://u:p@h/db" },
    message:
      "DATABASE_URL: expected a postgres:// or postgresql:// URL, got a value of 16 characters",
  },
  {
    vars: { DATABASE_READ_URL: "not a url" },
    message:
      "DATABASE_READ_URL: expected a postgres:// or postgresql:// URL, got a value of 9 characters",
  },
  {
    vars: { SESSION_SECRET: "short" },
    message: "SESSION_SECRET: expected at least 32 characters, got a value of 5 characters",
  },
  {
    vars: { LLM_PROVIDERS: "openai,gemini", OPENAI_API_KEY: "k" },
    message:
      'LLM_PROVIDERS: expected a comma list of openai, anthropic, offline without repeats, got "openai,gemini"',
  },
  {
    vars: { LLM_PROVIDERS: "offline,offline" },
    message:
      'LLM_PROVIDERS: expected a comma list of openai, anthropic, offline without repeats, got "offline,offline"',
  },
  {
    vars: { LLM_PROVIDERS: "openai,offline" },
    message: 'LLM_PROVIDERS: lists "openai" but OPENAI_API_KEY is not set',
  },
  {
    vars: { LLM_PROVIDERS: "anthropic", OPENAI_API_KEY: "k" },
    message: 'LLM_PROVIDERS: lists "anthropic" but ANTHROPIC_API_KEY is not set',
  },
  {
    vars: { OPENAI_API_KEY: "sk 1" },
    message: "OPENAI_API_KEY: expected a key without spaces, got a value of 4 characters",
  },
  {
    vars: { OPENAI_BASE_URL: "localhost:11434" },
    message: 'OPENAI_BASE_URL: expected an http(s) URL, got "localhost:11434"',
  },
  {
    vars: { ANTHROPIC_BASE_URL: "ftp://x" },
    message: 'ANTHROPIC_BASE_URL: expected an http(s) URL, got "ftp://x"',
  },
  {
    vars: { ANTHROPIC_MODEL_STRONG: "claude sonnet" },
    message: 'ANTHROPIC_MODEL_STRONG: expected a model name, got "claude sonnet"',
  },
  {
    vars: { ADMIN_EMAILS: "ada@example.com,bob" },
    message: 'ADMIN_EMAILS: expected a comma list of email addresses, got "ada@example.com,bob"',
  },
  {
    vars: { ALERT_WEBHOOK_URL: "hooks.slack.com/x" },
    message: "ALERT_WEBHOOK_URL: expected an http(s) URL, got a value of 17 characters",
  },
  {
    vars: { USER_DAILY_BUDGET_USD: "-1" },
    message: 'USER_DAILY_BUDGET_USD: expected a non-negative number of dollars, got "-1"',
  },
  {
    vars: { CORS_ORIGINS: "https://app.example.com/path" },
    message:
      'CORS_ORIGINS: expected a comma list of origins like https://app.example.com, got "https://app.example.com/path"',
  },
  {
    vars: { CORS_ORIGINS: "*" },
    message: 'CORS_ORIGINS: expected a comma list of origins like https://app.example.com, got "*"',
  },
  {
    vars: { PUBLIC_ORIGIN: "https://atlas9.example/p" },
    message:
      'PUBLIC_ORIGIN: expected an origin like https://atlas9.example, got "https://atlas9.example/p"',
  },
  { vars: { TRUST_PROXY: "maybe" }, message: 'TRUST_PROXY: expected true or false, got "maybe"' },
  {
    vars: { LOG_LEVEL: "verbose" },
    message: 'LOG_LEVEL: expected one of debug, info, warn, error, got "verbose"',
  },
];

for (const { vars, message } of invalidCases) {
  Deno.test(`parseEnv rejects ${JSON.stringify(vars)}`, () => {
    const error = thrown(() => parseEnv(vars));
    assert.equal(error.message, message);
    assert.equal(error.message.includes("\n"), false);
    assert.equal(error.variable, message.split(":")[0]);
  });
}

Deno.test("parseEnv never echoes a secret in its error", () => {
  const secret = "postgres-password-do-not-log";
  const error = thrown(() => parseEnv({ DATABASE_URL: `mysql://u:${secret}@h/db` }));
  assert.equal(error.message.includes(secret), false);
});

Deno.test("parseEnv reports the first bad variable when several are bad", () => {
  const error = thrown(() => parseEnv({ PORT: "x", LOG_LEVEL: "y" }));
  assert.equal(error.variable, "PORT");
});

Deno.test("loadEnv prints one line naming the variable and exits 1", async () => {
  const script = `import { loadEnv } from ${
    JSON.stringify(new URL("./env.server.ts", import.meta.url).href)
  };
loadEnv();
console.log("unreachable");`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    env: { PORT: "abc" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 1);
  assert.equal(new TextDecoder().decode(output.stdout), "");
  assert.equal(
    new TextDecoder().decode(output.stderr),
    'Configuration error: PORT: expected an integer 1-65535, got "abc"\n',
  );
});

Deno.test("parseEnv: ADMIN_SETUP_TOKEN needs 24 to 200 characters without spaces", () => {
  assert.equal(
    parseEnv({ ADMIN_SETUP_TOKEN: "a-setup-token-of-24-chars" }).adminSetupToken,
    "a-setup-token-of-24-chars",
  );
  for (const bad of ["short", "has spaces in it but is long enough", "x".repeat(201)]) {
    assert.throws(() => parseEnv({ ADMIN_SETUP_TOKEN: bad }), /ADMIN_SETUP_TOKEN/);
  }
});

Deno.test("parseEnv refuses embedded stores on Deno Deploy with one line naming the variable", () => {
  const deploy = { DENO_DEPLOYMENT_ID: "abc123" };
  const pglite = thrown(() => parseEnv(deploy));
  assert.equal(pglite.variable, "DATABASE_URL");
  assert.doesNotMatch(pglite.message, /\n/);
  const url = "postgres://u:p@db.example/app";
  for (const kvPath of ["./.data/kv.sqlite3", ":memory:", "/tmp/kv"]) {
    const kv = thrown(() => parseEnv({ ...deploy, DATABASE_URL: url, KV_PATH: kvPath }));
    assert.equal(kv.variable, "KV_PATH", kvPath);
  }
  // The platform's KV (unset) or a remote KV with a Postgres URL starts.
  assert.equal(parseEnv({ ...deploy, DATABASE_URL: url }).kvPath, undefined);
  const remote = "https://api.deno.com/databases/x/connect";
  assert.equal(parseEnv({ ...deploy, DATABASE_URL: url, KV_PATH: remote }).kvPath, remote);
  // Off Deploy the embedded defaults stay.
  assert.equal(parseEnv({}).databaseUrl, undefined);
});
