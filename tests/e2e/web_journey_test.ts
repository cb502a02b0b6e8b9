import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import type { Page } from "playwright-core";
import { collectPageErrors, startE2E } from "../support/browser.ts";
import { STAGE_NAMES } from "../../app/blueprint/stages.ts";
import { scriptedGenerate } from "../support/scripted.ts";

const DIRECTIVE = "A marketplace where local farmers sell vegetable boxes";

/** Waits until every stage shows its finished view (reloads itself without JavaScript). */
async function allStages(page: Page): Promise<void> {
  for (const stage of STAGE_NAMES) {
    await page.locator(`.bp-stage.bp-${stage}:not(.bp-skeleton)`).waitFor({ timeout: 30_000 });
  }
  await page.getByText("Blueprint complete.").waitFor({ timeout: 30_000 });
}

for (const javaScriptEnabled of [true, false]) {
  Deno.test({
    name:
      `browser journey: directive → five stages → regenerate brand → public page → zip (JavaScript ${
        javaScriptEnabled ? "on" : "off"
      })`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      // Each stage takes 300 ms, so stages are seen arriving.
      const e2e = await startE2E({ generate: scriptedGenerate({ delayMs: 300 }).generate });
      try {
        const context = await e2e.newContext({ javaScriptEnabled });
        const page = await context.newPage();
        const errors = collectPageErrors(page);
        if (javaScriptEnabled) {
          // Layout shifts while stages stream in (docs/architecture.md §9: CLS < 0.02).
          await page.addInitScript(() => {
            const w = globalThis as unknown as { __cls: number; __shifts: PerformanceObserver };
            w.__cls = 0;
            w.__shifts = new PerformanceObserver((list) => {
              for (
                const entry of list.getEntries() as unknown as {
                  value: number;
                  hadRecentInput: boolean;
                }[]
              ) {
                if (!entry.hadRecentInput) w.__cls += entry.value;
              }
            });
            w.__shifts.observe({ type: "layout-shift", buffered: true });
          });
        }

        await page.goto("/");
        await page.getByLabel("Your product, in one sentence").fill(DIRECTIVE);
        await page.getByRole("button", { name: "Generate blueprint" }).click();
        await page.waitForURL("**/signup?directive=*");
        await page.getByLabel("Email").fill(`journey-${javaScriptEnabled}@example.com`);
        await page.getByLabel("Password").fill("correct horse battery staple");
        await page.getByRole("button", { name: "Sign up" }).click();
        // Signing up keeps the flow: the generation starts at once, no second submit.
        await page.waitForURL(/\/projects\/[0-9A-Z]{26}$/);
        if (javaScriptEnabled) {
          // docs/architecture.md §9 budgets the shift while stages stream in, not the sign-up page
          // giving way: once the project page has rendered and painted, the shifts of the
          // navigation itself (recorded but maybe not yet delivered) are dropped.
          await page.locator("#brand").waitFor();
          await page.evaluate(async () => {
            const w = globalThis as unknown as { __cls: number; __shifts: PerformanceObserver };
            for (let frame = 0; frame < 2; frame++) {
              await new Promise((resolve) => requestAnimationFrame(resolve));
            }
            w.__shifts.takeRecords();
            w.__cls = 0;
          });
        }
        const projectUrl = page.url();
        await allStages(page);
        if (javaScriptEnabled) {
          const cls = await page.evaluate(() => (globalThis as unknown as { __cls: number }).__cls);
          assert.ok(cls < 0.02, `cumulative layout shift while streaming was ${cls.toFixed(4)}`);
        }

        // Regenerate the brand: version 2 arrives, and the code stage is marked stale.
        await page.locator("#brand").getByRole("button", { name: "Regenerate" }).click();
        await page.locator("#brand .badge", { hasText: /^v2$/ }).waitFor({ timeout: 30_000 });
        await page.getByText("Blueprint complete.").waitFor({ timeout: 30_000 });
        await page.locator("#code").getByText("stale — an input changed").waitFor();
        await page.locator("#brand").getByRole("link", { name: "Brand v1" }).waitFor();

        await page.getByRole("button", { name: "Make public" }).click();
        const publicLink = page.getByRole("link", { name: "Public page" });
        await publicLink.waitFor();
        const publicPath = await publicLink.getAttribute("href");
        assert.match(publicPath ?? "", /^\/p\/[a-z0-9-]+$/);

        const download = page.waitForEvent("download");
        await page.getByRole("link", { name: "Download zip" }).click();
        const file = await (await download).path();
        const entries = unzipSync(await Deno.readFile(file!));
        const names = Object.keys(entries);
        assert.ok(names.includes("blueprint.md"), "the zip has blueprint.md");
        assert.ok(names.includes("blueprint.json"), "the zip has blueprint.json");
        assert.ok(names.some((name) => name.startsWith("code/")), "the zip has the code files");
        const json = JSON.parse(new TextDecoder().decode(entries["blueprint.json"]));
        assert.equal(json.project.directive, DIRECTIVE);
        assert.equal(page.url(), projectUrl, "downloading stays on the page");

        // A visitor who is not signed in reads the public page.
        const visitor = await e2e.newContext({ javaScriptEnabled });
        const publicPage = await visitor.newPage();
        publicPage.on("pageerror", (error) => errors.push(String(error)));
        const response = await publicPage.goto(publicPath!);
        assert.equal(response?.status(), 200);
        assert.equal(
          response?.headers()["cache-control"],
          "public, s-maxage=300, stale-while-revalidate=60",
        );
        for (const stage of STAGE_NAMES) {
          await publicPage.locator(`.bp-stage.bp-${stage}`).waitFor();
        }
        assert.equal(await publicPage.getByRole("button", { name: "Regenerate" }).count(), 0);
        assert.equal(
          await publicPage.getByRole("button", { name: /Make (public|private)/ }).count(),
          0,
        );
        await publicPage.getByRole("link", { name: "Log in" }).waitFor();
        await visitor.close();

        assert.deepEqual(errors, []);
        await context.close();
      } finally {
        await e2e.close();
      }
    },
  });
}
