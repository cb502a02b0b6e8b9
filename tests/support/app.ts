/** Builds the real request handler in-process on `:memory:` KV and in-memory PGlite. */
import type { ServerBuild } from "@remix-run/server-runtime";
import { parseEnv } from "../../app/config/env.server.ts";
import { createHandler } from "../../app/server/handler.server.ts";
import { createServices } from "../../app/server/services.server.ts";
import type { Services } from "../../app/server/services.server.ts";
import { openDatabase } from "../../app/db/client.server.ts";
import type { GenerateStage } from "../../app/generation/pipeline.server.ts";

const ROOT = new URL("../../", import.meta.url);

/** A running in-process app: `fetch` goes through the whole handler. */
export interface TestApp {
  services: Services;
  origin: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Starts an app with its own KV and database. */
export async function startTestApp(
  options: {
    env?: Record<string, string>;
    generate?: GenerateStage;
    leaseMs?: number;
    /** A Postgres URL to use instead of a fresh in-memory PGlite. */
    databaseUrl?: string;
    /** Another app whose KV and database this one shares (a second instance); it closes them. */
    sharing?: TestApp;
    /** Where CDN purges go (a fake of Deno Deploy's invalidation endpoint). */
    cachePurgeUrl?: string;
  } = {},
): Promise<TestApp> {
  const build = await import(new URL("build/index.js", ROOT).href) as unknown as ServerBuild;
  const dataDir = await Deno.makeTempDir({ prefix: "atlas9-test-" });
  const env = parseEnv({
    DATA_DIR: dataDir,
    SESSION_SECRET: "test-secret-test-secret-test-secret-0123",
    ...options.env,
  });
  const shared = options.sharing?.services;
  const kv = shared?.kv ?? await Deno.openKv(":memory:");
  const database = shared?.database ??
    await openDatabase({ url: options.databaseUrl ?? "memory://", dataDir });
  const services = await createServices({
    env,
    kv,
    database,
    generate: options.generate,
    leaseMs: options.leaseMs,
    cachePurgeUrl: options.cachePurgeUrl,
  });
  const handler = createHandler({ build, services, publicDir: new URL("public", ROOT).pathname });
  const origin = "http://atlas9.test";
  return {
    services,
    origin,
    fetch(path, init) {
      const url = new URL(path, origin);
      const headers = new Headers(init?.headers);
      // Real requests always carry Host; Remix compares it with Origin on actions.
      if (!headers.has("host")) headers.set("host", url.host);
      const request = new Request(url, { ...init, headers });
      return handler(request, { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 1 } });
    },
    async close() {
      if (shared) {
        await services.pipeline.close();
        services.health.stop();
      } else {
        await services.close();
        kv.close();
      }
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    },
  };
}

/** Cookie jar for one simulated browser. */
export class Browser {
  #cookies = new Map<string, string>();
  constructor(readonly app: TestApp) {}

  /** A request with this browser's cookies and same-origin fetch metadata. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size) {
      headers.set("Cookie", [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    if (!headers.has("Sec-Fetch-Site")) headers.set("Sec-Fetch-Site", "same-origin");
    const response = await this.app.fetch(path, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const [name, ...rest] = pair.split("=");
      const value = rest.join("=");
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim())) || value === "";
      if (expired) this.#cookies.delete(name.trim());
      else this.#cookies.set(name.trim(), value);
    }
    return response;
  }

  /** Posts a urlencoded form like a browser without JavaScript. */
  post(path: string, fields: Record<string, string>, headers: HeadersInit = {}): Promise<Response> {
    return this.request(path, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: this.app.origin,
        ...headers,
      },
      body: new URLSearchParams(fields),
    });
  }

  /** The raw session cookie value, if any. */
  cookie(name = "__session"): string | undefined {
    return this.#cookies.get(name);
  }
}

/** ADMIN_SETUP_TOKEN of tests that need an administrator (decision 013). */
export const TEST_ADMIN_SETUP_TOKEN = "test-admin-setup-token-0123456789";

/** Confirms a listed ADMIN_EMAILS account with the setup token, as its owner would on /settings. */
export async function confirmAdmin(
  browser: Browser,
  token = TEST_ADMIN_SETUP_TOKEN,
): Promise<Response> {
  const res = await browser.post("/settings", { intent: "admin", token });
  await res.body?.cancel();
  return res;
}
