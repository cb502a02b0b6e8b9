import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { startE2E } from "../support/browser.ts";
import { Browser } from "../support/app.ts";
import { scriptedGenerate } from "../support/scripted.ts";
import { finishedProject, HOSTILE_DIRECTIVE, projectForm, signedIn } from "../support/web.ts";

const AXE_SOURCE = await Deno.readTextFile(
  new URL(import.meta.resolve("axe-core/axe.min.js")),
);

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** Runs axe-core (WCAG 2.x A/AA and best practices) on the page; returns its violations. */
async function axe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return await page.evaluate(async () => {
    const result = await (globalThis as unknown as {
      axe: { run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }> };
    }).axe.run(document, {
      runOnly: {
        type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
      },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({
        target: n.target,
        failureSummary: n.failureSummary,
      })),
    }));
  });
}

function describe(violations: AxeViolation[]): string {
  return violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n${
      v.nodes.map((n) => `  ${n.target.join(" ")}: ${n.failureSummary.replace(/\n/g, " ")}`).join(
        "\n",
      )
    }`
  ).join("\n");
}

Deno.test({
  name: "accessibility: axe finds no violations on /, /projects, a project page and a public page",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const e2e = await startE2E({ generate: scriptedGenerate().generate });
    const contexts: BrowserContext[] = [];
    try {
      const owner = await signedIn(e2e.app, "axe@example.com");
      const farm = await finishedProject(
        e2e.app,
        owner,
        "A marketplace where local farmers sell vegetable boxes",
      );
      await projectForm(owner, farm.id, { intent: "visibility", visibility: "public" });
      const hostile = await finishedProject(e2e.app, owner, HOSTILE_DIRECTIVE);
      await projectForm(owner, hostile.id, { intent: "visibility", visibility: "public" });
      await projectForm(owner, farm.id, { intent: "regenerate", stage: "brand" });

      // The CSP blocks injected scripts; axe is test tooling, so this context bypasses it.
      const visitor = await e2e.browser.newContext({ baseURL: e2e.baseUrl, bypassCSP: true });
      const member = await e2e.browser.newContext({ baseURL: e2e.baseUrl, bypassCSP: true });
      // At 390 px tables and the data-model diagram scroll sideways (scrollable-region-focusable).
      const phone = await e2e.browser.newContext({
        baseURL: e2e.baseUrl,
        bypassCSP: true,
        viewport: { width: 390, height: 844 },
      });
      contexts.push(visitor, member, phone);
      for (const context of [member, phone]) {
        await context.addCookies([{
          name: "__session",
          value: (owner as Browser).cookie()!,
          url: e2e.baseUrl,
        }]);
      }

      const pages: [BrowserContext, string][] = [
        [visitor, "/"],
        [member, "/projects"],
        [member, `/projects/${farm.id}`],
        [member, `/projects/${farm.id}?compare=brand:1..2`],
        [visitor, `/p/${farm.slug}`],
        [visitor, `/p/${hostile.slug}`],
        [visitor, "/login"],
        [visitor, "/signup"],
        [phone, `/projects/${farm.id}`],
        [phone, `/p/${farm.slug}`],
      ];
      const failures: string[] = [];
      for (const [context, path] of pages) {
        const page = await context.newPage();
        const response = await page.goto(path);
        assert.equal(response?.status(), 200, `${path} answered ${response?.status()}`);
        await page.waitForLoadState("networkidle");
        const violations = await axe(page);
        if (violations.length) failures.push(`${path}:\n${describe(violations)}`);
        await page.close();
      }
      assert.equal(failures.length, 0, failures.join("\n\n"));
    } finally {
      for (const context of contexts) await context.close();
      await e2e.close();
    }
  },
});

Deno.test({
  name: "accessibility: keyboard — skip link, visible focus, and the directive form by keys alone",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const e2e = await startE2E({ generate: scriptedGenerate().generate });
    try {
      const context = await e2e.newContext();
      const page = await context.newPage();
      await page.goto("/");
      await page.keyboard.press("Tab");
      const skip = page.getByRole("link", { name: "Skip to content" });
      assert.ok(
        await skip.evaluate((el) => el === document.activeElement),
        "the skip link comes first",
      );
      const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
      assert.notEqual(outline, "none", "focus is visible");
      await page.keyboard.press("Enter");
      assert.equal(
        await page.evaluate(() => document.activeElement?.id),
        "main",
        "focus moves to main",
      );
      await page.getByLabel("Your product, in one sentence").focus();
      await page.keyboard.type("A booking app for independent dog groomers");
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => document.activeElement?.textContent);
      assert.equal(focused, "Generate blueprint", "the submit button follows the directive");
      await page.keyboard.press("Enter");
      await page.waitForURL("**/signup?directive=*");
      await context.close();
    } finally {
      await e2e.close();
    }
  },
});
