/**
 * Issue 15 item 6 in a real browser: the project page sends each stage's view once, as HTML
 * in the document (never again in the hydration data), keeps it through hydration, and gets
 * it as data on client-side loads (a form's revalidation, a navigation), with and without
 * JavaScript.
 */
import assert from "node:assert/strict";
import { collectPageErrors, startE2E } from "../support/browser.ts";
import { STAGE_NAMES } from "../../app/blueprint/stages.ts";
import { scriptedGenerate } from "../support/scripted.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";
import { escapeHtml } from "../../app/blueprint/escape.ts";

const DIRECTIVE = "A booking app for independent dog groomers";
/** A feature title as the product stage shows it (HTML-escaped in the page). */
const FEATURE = generateStage("product", DIRECTIVE).features[0].title;

for (const javaScriptEnabled of [true, false]) {
  Deno.test({
    name: `browser: the project page carries each stage's view once and keeps it (JavaScript ${
      javaScriptEnabled ? "on" : "off"
    })`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const e2e = await startE2E({ generate: scriptedGenerate().generate });
      try {
        const context = await e2e.newContext({ javaScriptEnabled });
        const page = await context.newPage();
        const errors = collectPageErrors(page);
        await page.goto("/");
        await page.getByLabel("Your product, in one sentence").fill(DIRECTIVE);
        await page.getByRole("button", { name: "Generate blueprint" }).click();
        await page.getByLabel("Email").fill(`page-${javaScriptEnabled}@example.com`);
        await page.getByLabel("Password").fill("correct horse battery staple");
        await page.getByRole("button", { name: "Sign up" }).click();
        await page.waitForURL(/\/projects\/[0-9A-Z]{26}$/);
        await page.getByText("Blueprint complete.").waitFor({ timeout: 30_000 });
        const projectUrl = page.url();

        // The document: every view in the page, none of them in a script.
        const html = await (await context.request.get(projectUrl)).text();
        const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1])
          .join("\n");
        assert.ok(html.includes(escapeHtml(FEATURE)), "the product view is in the page");
        assert.ok(!scripts.includes(FEATURE), "and not in the hydration data");
        for (const stage of STAGE_NAMES) {
          assert.match(html, new RegExp(`id="bp-${stage}-body"`), `${stage} view in the page`);
        }

        // A fresh load (hydrated with JavaScript): the views stay.
        await page.goto(projectUrl);
        if (javaScriptEnabled) {
          await page.waitForFunction(() => "__remixRouter" in globalThis, null, {
            timeout: 10_000,
          });
          // Gone if anything below reloads the document.
          await page.evaluate(() =>
            (globalThis as { __sameDocument?: boolean }).__sameDocument = true
          );
        }
        await page.locator("#bp-product-body").getByText(FEATURE).first().waitFor();
        for (const stage of STAGE_NAMES) {
          assert.ok(
            (await page.locator(`#bp-${stage}-body`).innerHTML()).length > 100,
            `${stage} view shown`,
          );
        }

        // A form (with JavaScript: submitted by Remix, the page revalidated as data).
        await page.getByRole("button", { name: "Make public" }).click();
        await page.getByRole("button", { name: "Make private" }).waitFor();
        await page.locator("#bp-product-body").getByText(FEATURE).first().waitFor();

        // Away and back by links (with JavaScript: client-side navigations).
        await page.getByRole("link", { name: "Projects" }).first().click();
        await page.waitForURL(/\/projects$/);
        await page.locator(`a[href="${new URL(projectUrl).pathname}"]`).first().click();
        await page.waitForURL(projectUrl);
        await page.locator("#bp-product-body").getByText(FEATURE).first().waitFor();
        assert.ok((await page.locator("#bp-code-body").innerHTML()).length > 100, "code view");
        if (javaScriptEnabled) {
          const same = await page.evaluate(() =>
            (globalThis as { __sameDocument?: boolean }).__sameDocument
          );
          assert.equal(same, true, "one document: the rest were client-side loads");
        }
        assert.deepEqual(errors, []);
        await context.close();
      } finally {
        await e2e.close();
      }
    },
  });
}
