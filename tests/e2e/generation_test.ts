import assert from "node:assert/strict";
import { collectPageErrors, startE2E } from "../support/browser.ts";
import { STAGE_NAMES } from "../../app/blueprint/stages.ts";
import { scriptedGenerate } from "../support/scripted.ts";
import type { GenerateStage } from "../../app/generation/pipeline.server.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";

const DIRECTIVE = "A marketplace where local farmers sell vegetable boxes";
/** The blueprint's first feature, as the engine writes it for this directive. */
const FIRST_FEATURE = generateStage("product", DIRECTIVE).features[0].title;

for (const javaScriptEnabled of [true, false]) {
  Deno.test({
    name: `browser: a directive typed on / becomes a five-stage blueprint (JavaScript ${
      javaScriptEnabled ? "on" : "off"
    })`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      // Every stage after the product waits until the test has seen the page with stages still
      // to come (an event, not a clock: under load the page may take longer than any delay).
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const scripted = scriptedGenerate({ delayMs: 100 }).generate;
      const generate: GenerateStage = async function* (request) {
        if (request.stage !== "product") await gate;
        yield* scripted(request);
      };
      const e2e = await startE2E({ generate });
      try {
        const context = await e2e.newContext({ javaScriptEnabled });
        const page = await context.newPage();
        const errors = collectPageErrors(page);

        await page.goto("/");
        await page.getByLabel("Your product, in one sentence").fill(DIRECTIVE);
        await page.getByRole("button", { name: "Generate blueprint" }).click();
        await page.waitForURL("**/signup?directive=*");
        await page.getByText("Your directive is kept").waitFor();
        await page.getByLabel("Email").fill(`farmer-${javaScriptEnabled}@example.com`);
        await page.getByLabel("Password").fill("correct horse battery staple");
        await page.getByRole("button", { name: "Sign up" }).click();
        // The directive survives sign-up and starts at once: no second submit.
        await page.waitForURL(/\/projects\/[0-9A-Z]{26}$/);
        // Stages still to come show placeholders (they cannot finish before release()).
        await page.locator(".bp-skeleton").first().waitFor();
        assert.ok(await page.locator(".bp-skeleton").count() > 0);
        if (javaScriptEnabled) {
          assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0);
        } else {
          assert.match(
            await page.content(),
            /http-equiv="refresh"/,
            "without JavaScript the page refreshes",
          );
        }

        release();
        for (const stage of STAGE_NAMES) {
          await page.locator(`.bp-stage.bp-${stage}:not(.bp-skeleton)`).waitFor({
            timeout: 20_000,
          });
        }
        await page.getByText("Blueprint complete.").waitFor();
        const title = await page.locator("h1#project-title").textContent();
        assert.ok(title && title.length > 2);
        assert.ok(await page.getByText(FIRST_FEATURE).first().isVisible());
        if (javaScriptEnabled) {
          const navigations = await page.evaluate(() =>
            performance.getEntriesByType("navigation").length
          );
          assert.equal(navigations, 1, "stages streamed in without reloading the page");
        }
        assert.equal(await page.locator(".bp-skeleton").count(), 0);
        assert.deepEqual(errors, []);
        await context.close();
      } finally {
        release();
        await e2e.close();
      }
    },
  });
}
