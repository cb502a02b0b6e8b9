/** In Chromium: stored pages' hashed CSP lets their own scripts run and nothing else (decision 015). */
import assert from "node:assert/strict";
import { startE2E } from "../support/browser.ts";
import { scriptedGenerate } from "../support/scripted.ts";
import { finishedProject, projectForm, signedIn } from "../support/web.ts";

Deno.test({
  name: "stored pages in Chromium: the landing page hydrates under its hashed CSP, no violation",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const e2e = await startE2E({ generate: scriptedGenerate().generate });
    try {
      const owner = await signedIn(e2e.app, "csp@example.com");
      const { id, slug } = await finishedProject(e2e.app, owner, "A piano teacher's diary");
      await projectForm(owner, id, { intent: "visibility", visibility: "public" });

      const context = await e2e.newContext({ javaScriptEnabled: true });
      const page = await context.newPage();
      const violations: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      page.on("pageerror", (error) => violations.push(String(error)));
      // Twice: the first visit stores the page, the second is the stored bytes.
      for (let visit = 0; visit < 2; visit++) {
        const response = await page.goto("/", { waitUntil: "load" });
        assert.doesNotMatch(response!.headers()["content-security-policy"], /nonce-/);
        await page.waitForFunction(() => "__remixRouter" in globalThis, null, { timeout: 10_000 });
      }
      // Hydrated: a link navigates client-side (no document request).
      const documents: string[] = [];
      page.on("request", (request) => {
        if (request.resourceType() === "document") documents.push(request.url());
      });
      await page.locator(`a[href="/p/${slug}"]`).first().click();
      await page.waitForURL(`**/p/${slug}`);
      assert.deepEqual(documents, [], "the landing page's scripts ran and took the navigation");

      const publicPage = await context.newPage();
      publicPage.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await publicPage.goto(`/p/${slug}`, { waitUntil: "load" });
      await publicPage.goto(`/p/${slug}`, { waitUntil: "load" });
      const styled = await publicPage.evaluate(() =>
        getComputedStyle(document.body).fontFamily.toLowerCase().includes("inter")
      );
      assert.ok(styled, "the inlined stylesheet applies (allowed by its hash)");
      assert.deepEqual(violations, []);
      await context.close();
    } finally {
      await e2e.close();
    }
  },
});
