/**
 * Helpers of the API v1 tests: an in-process app whose requests can come from any client
 * IP, a JSON client, and a checker of responses against the served OpenAPI document.
 */
import assert from "node:assert/strict";
import type { ServerBuild } from "@remix-run/server-runtime";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { createHandler } from "../../app/server/handler.server.ts";
import type { ConnectionInfo } from "../../app/server/handler.server.ts";
import { issueToken } from "../../app/api/tokens.server.ts";
import { createOfflineProvider } from "../../app/llm/offline/mod.ts";
import type { GenerateStage } from "../../app/generation/pipeline.server.ts";
import { startTestApp } from "./app.ts";
import type { TestApp } from "./app.ts";

const ROOT = new URL("../../", import.meta.url);

/** A response with its body already read. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  json: any;
}

/** One request: JSON `body` unless `rawBody` is given. */
export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: BodyInit;
  headers?: HeadersInit;
  /** The client address the request comes from (default 127.0.0.1). */
  ip?: string;
}

/** An app under test with an API client. */
export interface ApiApp {
  app: TestApp;
  /** The whole request handler, as server.ts serves it. */
  handler(request: Request, info?: ConnectionInfo): Promise<Response>;
  /** Sends a request through the whole handler and reads the body. */
  call(method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
  /** Sends a request and returns the unread response (event streams). */
  raw(method: string, path: string, options?: CallOptions): Promise<Response>;
  close(): Promise<void>;
}

/** The offline engine as the pipeline's generator, optionally slowed down per event. */
export function offlineGenerator(options: { delayMs?: number } = {}): GenerateStage {
  const provider = createOfflineProvider();
  return async function* (request) {
    for await (const event of provider.generate(request)) {
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      yield event;
    }
  };
}

/** Starts the app in-process (offline generation unless `generate` is given). */
export async function startApi(
  options: { env?: Record<string, string>; generate?: GenerateStage } = {},
): Promise<ApiApp> {
  const app = await startTestApp({
    env: options.env,
    generate: options.generate ?? offlineGenerator(),
  });
  const build = await import(new URL("build/index.js", ROOT).href) as unknown as ServerBuild;
  const handler = createHandler({
    build,
    services: app.services,
    publicDir: new URL("public", ROOT).pathname,
  });

  async function raw(method: string, path: string, options: CallOptions = {}) {
    const headers = new Headers(options.headers);
    if (options.token) headers.set("Authorization", `Bearer ${options.token}`);
    let body: BodyInit | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) {
      body = JSON.stringify(options.body);
      if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
    }
    const request = new Request(new URL(path, app.origin), { method, headers, body });
    const info: ConnectionInfo = {
      remoteAddr: { transport: "tcp", hostname: options.ip ?? "127.0.0.1", port: 40000 },
    };
    return await handler(request, info);
  }

  return {
    app,
    handler,
    raw,
    async call(method, path, options) {
      const response = await raw(method, path, options);
      const text = await response.text();
      let json: unknown;
      try {
        json = text === "" ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
    close: () => app.close(),
  };
}

let accounts = 0;

/** A fresh account through `POST /api/v1/users`; each from its own IP (sign-ups are limited per IP). */
export async function signUp(
  api: ApiApp,
): Promise<{ email: string; token: string; userId: string }> {
  const n = ++accounts;
  const email = `user${n}-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const response = await api.call("POST", "/api/v1/users", {
    body: { email, password: "correct horse battery staple" },
    ip: `10.200.${Math.floor(n / 250) % 250}.${n % 250}`,
  });
  assert.equal(response.status, 201, response.text);
  return { email, token: response.json.token, userId: response.json.user.id };
}

/** More tokens for an existing user, issued directly (tests that need many). */
export async function moreTokens(api: ApiApp, userId: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    tokens.push((await issueToken({ services: api.app.services, userId, name: `t${i}` })).token);
  }
  return tokens;
}

/** Reads an event stream to its end; the events with their ids. */
export async function readEvents(
  response: Response,
  options: { max?: number } = {},
): Promise<{ id: number; event: string; data: any }[]> {
  const events: { id: number; event: string; data: any }[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    while (options.max === undefined || events.length < options.max) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
        }
        if (fields.event) {
          events.push({
            id: Number(fields.id),
            event: fields.event,
            data: JSON.parse(fields.data),
          });
          if (options.max !== undefined && events.length >= options.max) break;
        }
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return events;
}

/** Follows a project's events until the generation ends and the pipeline has settled. */
export async function waitForGeneration(api: ApiApp, token: string, projectId: string) {
  const response = await api.raw("GET", `/api/v1/projects/${projectId}/events`, { token });
  assert.equal(response.status, 200);
  const events = await readEvents(response);
  // The project's status is written just after the last event.
  await api.app.services.pipeline.idle();
  return events;
}

type Json = Record<string, any>;

/**
 * Validates responses against the OpenAPI document the app serves: the status must be
 * documented for the operation, the media type must match, and the body must validate.
 * Records which (operation, status) pairs were seen.
 */
export class Contract {
  readonly seen = new Set<string>();
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(readonly document: Json) {}

  /** The operation object of a method and path template. */
  operation(method: string, template: string): Json {
    const operation = this.document.paths[template]?.[method.toLowerCase()];
    assert.ok(operation, `${method} ${template} is not in the OpenAPI document`);
    return operation;
  }

  /** Validates one response; returns it for chaining. */
  check(method: string, template: string, response: ApiResponse): ApiResponse {
    const operation = this.operation(method, template);
    const spec = operation.responses[String(response.status)];
    const where = `${method} ${template} → ${response.status}`;
    assert.ok(spec, `${where} is not documented; body: ${response.text.slice(0, 300)}`);
    this.seen.add(`${operation.operationId} ${response.status}`);
    // A 413 is refused by the request handler before any route (or rate limit) runs.
    if (response.status !== 413) {
      for (const name of ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]) {
        assert.match(response.headers.get(name) ?? "", /^\d+$/, `${where}: ${name}`);
      }
    }
    if (!spec.content) {
      assert.equal(response.text, "", `${where}: expected no body`);
      return response;
    }
    const contentType = response.headers.get("Content-Type") ?? "";
    const mediaType = Object.keys(spec.content).find((type) => contentType.startsWith(type));
    assert.ok(
      mediaType,
      `${where}: Content-Type ${contentType} is not one of ${Object.keys(spec.content)}`,
    );
    if (mediaType === "text/event-stream") return response;
    const validate = this.validator(`${where} ${mediaType}`, spec.content[mediaType].schema);
    if (!validate(response.json)) {
      assert.fail(
        `${where}: body does not match the schema:\n${
          JSON.stringify(validate.errors?.slice(0, 5), null, 2)
        }\nbody: ${response.text.slice(0, 500)}`,
      );
    }
    return response;
  }

  /** Validates a value against a named component schema. */
  matches(component: string, value: unknown): void {
    const validate = this.validator(component, { $ref: `#/components/schemas/${component}` });
    if (!validate(value)) {
      assert.fail(`${component}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
    }
  }

  validator(key: string, schema: Json): ValidateFunction {
    let validate = this.#validators.get(key);
    if (!validate) {
      validate = this.#ajv.compile({ ...schema, components: this.document.components });
      this.#validators.set(key, validate);
    }
    return validate;
  }
}
