/**
 * Issue 13 item 5 in the browser: past the per-user project-creation limit the new-project
 * form is shown again with the message and the directive kept, with JavaScript on and off.
 */
import assert from "node:assert/strict";
import { startE2E } from "../support/browser.ts";
import { consume } from "../../app/kv/rate-limit.server.ts";
import { PROJECT_CREATE_LIMIT } from "../../app/http/abuse-limits.server.ts";

for (const javaScriptEnabled of [true, false]) {
  Deno.test({
    name: `browser: the project limit re-shows the form with its message (JavaScript ${
      javaScriptEnabled ? "on" : "off"
    })`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const e2e = await startE2E();
      try {
        const context = await e2e.newContext({ javaScriptEnabled });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(String(error)));
        const email = `limit-${javaScriptEnabled ? "js" : "nojs"}@example.com`;
        await page.goto("/signup");
        await page.getByLabel("Email").fill(email);
        await page.getByLabel("Password").fill("correct horse battery staple");
        await page.getByRole("button", { name: "Sign up" }).click();
        await page.waitForURL("**/projects");

        // This user has used up the hour's allowance.
        const user = (await e2e.app.services.repos.users.findByEmail(email))!;
        for (let i = 0; i < PROJECT_CREATE_LIMIT.limit; i++) {
          await consume({ kv: e2e.app.services.kv, subject: user.id, ...PROJECT_CREATE_LIMIT });
        }

        const directive = "A tool library where neighbours lend drills and ladders";
        await page.goto("/");
        await page.getByLabel("Your product, in one sentence").fill(directive);
        const [response] = await Promise.all([
          javaScriptEnabled ? Promise.resolve(null) : page.waitForNavigation(),
          page.getByRole("button", { name: "Generate blueprint" }).click(),
        ]);
        if (response) assert.equal(response.status(), 429);
        const alert = page.getByRole("alert");
        await alert.waitFor();
        assert.match(
          await alert.innerText(),
          /You have created 30 projects in the last hour\. Try again in \d+ minutes?\./,
        );
        assert.equal(
          await page.getByLabel("Your product, in one sentence").inputValue(),
          directive,
          "the directive is kept",
        );
        const { items } = await e2e.app.services.repos.projects.listForUser({
          userId: user.id,
          limit: 5,
        });
        assert.equal(items.length, 0, "nothing was created");
        assert.deepEqual(errors, []);
        await context.close();
      } finally {
        await e2e.close();
      }
    },
  });
}
