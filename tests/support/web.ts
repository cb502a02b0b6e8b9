/** Helpers shared by the web integration tests: a signed-in browser and finished projects. */
import assert from "node:assert/strict";
import { Browser } from "./app.ts";
import type { TestApp } from "./app.ts";
import { readSse } from "./scripted.ts";

/** The password every test account uses. */
export const PASSWORD = "correct horse battery staple";

/** A directive made of HTML and script payloads (55 characters, within 3..400). */
export const HOSTILE_DIRECTIVE = `<script>alert(1)</script>"><img src=x onerror=alert(1)>`;

/** A browser signed up (and so signed in) as `email`. */
export async function signedIn(app: TestApp, email: string): Promise<Browser> {
  const browser = new Browser(app);
  const res = await browser.post("/signup", { email, password: PASSWORD });
  assert.equal(res.status, 302, `sign-up answered ${res.status}`);
  await res.body?.cancel();
  return browser;
}

/** Waits until the project's current generation has finished (its event stream ends). */
export async function waitForGeneration(browser: Browser, id: string): Promise<void> {
  const res = await browser.request(`/projects/${id}/events`);
  assert.equal(res.status, 200);
  const events = await readSse(res, {
    until: (e) => e.event === "generation.completed" || e.event === "stage.failed",
  });
  assert.equal(events.at(-1)?.event, "generation.completed");
}

/** Creates a project from the form and waits for all five stages; returns its id and slug. */
export async function finishedProject(
  app: TestApp,
  browser: Browser,
  directive: string,
): Promise<{ id: string; slug: string }> {
  const res = await browser.post("/projects", { directive });
  assert.equal(res.status, 302, `create answered ${res.status}`);
  await res.body?.cancel();
  const id = /^\/projects\/([0-9A-Z]{26})$/.exec(res.headers.get("location") ?? "")?.[1];
  assert.ok(id, `redirected to ${res.headers.get("location")}`);
  await waitForGeneration(browser, id);
  const project = await app.services.repos.projects.getById(id);
  return { id, slug: project!.slug };
}

/** Posts one project-page form and expects the redirect back. */
export async function projectForm(
  browser: Browser,
  id: string,
  fields: Record<string, string>,
): Promise<void> {
  const res = await browser.post(`/projects/${id}`, fields);
  assert.equal(res.status, 302, `${fields.intent} answered ${res.status}`);
  await res.body?.cancel();
}
