/** Serves the in-process app on loopback and drives Debian's Chromium with Playwright. */
import { chromium } from "playwright-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestApp } from "./app.ts";
import type { TestApp } from "./app.ts";
import type { GenerateStage } from "../../app/generation/pipeline.server.ts";

/** A served app plus a launched browser. */
export interface E2E {
  app: TestApp;
  baseUrl: string;
  browser: Browser;
  newContext(options?: { javaScriptEnabled?: boolean }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** Starts the app on a random loopback port and launches headless Chromium. */
export async function startE2E(options: { generate?: GenerateStage } = {}): Promise<E2E> {
  const app = await startTestApp({ generate: options.generate });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const url = new URL(request.url);
    return app.fetch(url.pathname + url.search, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
      redirect: "manual",
      duplex: "half",
    } as RequestInit);
  });
  const baseUrl = `http://127.0.0.1:${server.addr.port}`;
  const browser = await chromium.launch({
    executablePath: Deno.env.get("CHROME_PATH") ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  return {
    app,
    baseUrl,
    browser,
    newContext: (opts) => browser.newContext({ baseURL: baseUrl, ...opts }),
    async close() {
      await browser.close();
      await server.shutdown();
      await app.close();
    },
  };
}

/** Uncaught page errors and console errors of a page, collected as they happen. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return errors;
}
