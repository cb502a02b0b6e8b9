import assert from "node:assert/strict";
import { startE2E } from "../support/browser.ts";

for (const javaScriptEnabled of [true, false]) {
  Deno.test({
    name: `browser: sign up → projects → log out → log in (JavaScript ${
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
        const email = `ada-${javaScriptEnabled ? "js" : "nojs"}@example.com`;

        await page.goto("/signup");
        await page.getByLabel("Email").fill(email);
        await page.getByLabel("Password").fill("short");
        await page.getByRole("button", { name: "Sign up" }).click();
        await page.getByText("at least 8 characters").waitFor();

        await page.getByLabel("Email").fill(email);
        await page.getByLabel("Password").fill("correct horse battery staple");
        await page.getByRole("button", { name: "Sign up" }).click();
        await page.waitForURL("**/projects");
        await page.getByRole("heading", { name: "Your projects" }).waitFor();
        await page.getByText("No projects yet").waitFor();
        assert.ok(await page.getByText(email).isVisible());

        await page.getByRole("button", { name: "Log out" }).click();
        await page.waitForURL((url) => url.pathname === "/");
        await page.getByRole("link", { name: "Log in" }).waitFor();

        await page.goto("/projects");
        await page.waitForURL("**/login?redirectTo=%2Fprojects");
        await page.getByLabel("Email").fill(email);
        await page.getByLabel("Password").fill("wrong password here");
        await page.getByRole("button", { name: "Log in" }).click();
        await page.getByText("Email or password is incorrect.").waitFor();
        await page.getByLabel("Password").fill("correct horse battery staple");
        await page.getByRole("button", { name: "Log in" }).click();
        await page.waitForURL("**/projects");
        await page.getByRole("heading", { name: "Your projects" }).waitFor();
        assert.deepEqual(errors, []);
        await context.close();
      } finally {
        await e2e.close();
      }
    },
  });
}
