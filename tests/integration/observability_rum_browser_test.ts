import assert from "node:assert/strict";
import { startE2E } from "../support/browser.ts";
import { readVitals } from "../../app/observability/rum.server.ts";
import { hourOf } from "../../app/observability/request-metrics.server.ts";

Deno.test({
  name: "rum: a real page loads web-vitals after hydration and beacons its vitals when hidden",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const e2e = await startE2E();
    try {
      const context = await e2e.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      const scripts: string[] = [];
      page.on("request", (request) => {
        if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
      });
      const beacons: string[] = [];
      page.on("request", (request) => {
        if (request.url().endsWith("/api/analytics")) beacons.push(request.postData() ?? "");
      });

      const response = await page.goto("/");
      const html = await response!.text();
      assert.doesNotMatch(html, /vitals\.client/, "web-vitals is not part of the initial load");
      await page.waitForFunction(() => "__remixRouter" in globalThis);
      await page.waitForFunction(() =>
        performance.getEntriesByType("resource").some((entry) =>
          entry.name.includes("vitals.client")
        )
      );
      assert.ok(scripts.some((path) => /\/vitals\.client-\w+\.js$/.test(path)), String(scripts));
      // Wait until web-vitals has its first paint and LCP entries: an observer registered after
      // its own gets the buffered entries in the same task or a later one. (A tab closed before
      // then loses LCP: web-vitals only learns it from that delivery.)
      await page.waitForFunction(() => document.documentElement.dataset.vitals === "on");
      await page.evaluate(() =>
        Promise.all(["paint", "largest-contentful-paint"].map((type) =>
          new Promise((resolve) => {
            const observer = new PerformanceObserver(() => {
              observer.disconnect();
              resolve(type);
            });
            observer.observe({ type, buffered: true });
          })
        ))
      );

      assert.deepEqual(beacons, [], "nothing is sent while the page is visible");
      // Closing the tab hides it for real (trusted events), which finalises LCP and CLS.
      await page.close({ runBeforeUnload: true });

      const hour = hourOf(Date.now());
      // One beacon is one atomic write: once any vital is stored, all of its vitals are.
      // The deadline only keeps a lost beacon from hanging the suite.
      let names: string[] = [];
      for (const deadline = Date.now() + 60_000; names.length === 0 && Date.now() < deadline;) {
        const vitals = await readVitals(e2e.app.services.kv, {
          fromHour: hour - 1,
          toHour: hour + 2,
        });
        names = [...(vitals.get("/")?.keys() ?? [])];
        if (names.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      for (const name of ["FCP", "TTFB", "LCP", "CLS"]) {
        assert.ok(names.includes(name), `${name} stored; got ${names}`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await e2e.close();
    }
  },
});
