/**
 * Issue 16.3 in a real browser: a generated project, started with its own `deno task start`,
 * serves screen pages that fetch rows from its API and render them (list, then detail), with
 * no request leaving the app (fonts and scripts are local).
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { normaliseStage } from "../../app/blueprint/normalise.ts";
import type { StageOutputs } from "../../app/blueprint/schemas.ts";
import { STAGE_NAMES } from "../../app/blueprint/stages.ts";
import { buildModel, type Column } from "../../app/llm/offline/code/model.ts";
import { buildCode } from "../../app/llm/offline/code.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";
import { createScratchDatabase } from "../support/postgres.ts";

const DIRECTIVE = "a marketplace where local farmers sell vegetable boxes";
const TITLE = "Row made by the browser test";

function blueprint(directive: string): StageOutputs {
  const outputs: Partial<StageOutputs> = {};
  for (const stage of STAGE_NAMES) {
    const raw = generateStage(stage, directive, outputs);
    (outputs as Record<string, unknown>)[stage] = normaliseStage(stage, raw as never, outputs);
  }
  return outputs as StageOutputs;
}

function value(column: Column): unknown {
  const values: Record<Column["type"], unknown> = {
    uuid: crypto.randomUUID(),
    text: TITLE,
    integer: 3,
    numeric: 4.5,
    boolean: true,
    timestamp: "2026-05-01T09:00:00.000Z",
    date: "2026-05-01",
    jsonb: { from: "browser test" },
  };
  return values[column.type];
}

/** Resolves once `stream` prints a line matching `pattern`, then keeps draining it. */
async function lineMatching(stream: ReadableStream<Uint8Array>, pattern: RegExp): Promise<void> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the app exited before printing ${pattern}:\n${text}`);
    text += decoder.decode(value, { stream: true });
    if (pattern.test(text)) break;
  }
  (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })().catch(() => {});
}

Deno.test("a generated project's pages render its API's rows in Chromium", async () => {
  const serverUrl = Deno.env.get("TEST_DATABASE_URL");
  assert.ok(serverUrl, "TEST_DATABASE_URL is set (deno task test sets it)");
  const outputs = blueprint(DIRECTIVE);
  // A detail screen for every list screen that has none, as designs often include.
  for (const list of [...outputs.design.screens]) {
    if (list.route.includes(":")) continue;
    const route = `${list.route === "/" ? "/items" : list.route}/:id`;
    outputs.design.screens.push({
      ...list,
      id: `${list.id}-detail`,
      route,
      name: `${list.name} detail`,
    });
  }
  const code = buildCode(outputs);
  const { model } = buildModel({ ...outputs, name: outputs.brand.chosenName });
  // A list screen whose entity needs no other row first (user references default to the caller).
  const screen = model.screens.find((s) => {
    const entity = model.entities.find((e) => e.name === s.entity)!;
    return s.mode === "list" &&
      entity.columns.every((c) =>
        !c.required || c.references === null || c.references === model.userEntity
      );
  });
  assert.ok(screen, "a list screen over a standalone entity");
  const entity = model.entities.find((e) => e.name === screen.entity)!;

  const dir = await Deno.makeTempDir({ prefix: "atlas9-stub-pages-" });
  const database = await createScratchDatabase(serverUrl);
  for (const file of code.files) {
    const path = `${dir}/${file.path}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, file.content);
  }
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  await Deno.writeTextFile(`${dir}/.env`, `DATABASE_URL=${database.url}\nPORT=${port}\n`);
  const migrate = await new Deno.Command(Deno.execPath(), {
    args: ["task", "db:setup"],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(migrate.success, new TextDecoder().decode(migrate.stderr));

  const app = new Deno.Command(Deno.execPath(), {
    args: ["task", "start"],
    cwd: dir,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const browser = await chromium.launch({
    executablePath: Deno.env.get("CHROME_PATH") ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
  try {
    // Deno.serve reports on stderr once it listens.
    await lineMatching(app.stderr, /Listening on/);
    const base = `http://127.0.0.1:${port}`;
    const body = Object.fromEntries(
      entity.columns
        .filter((c) => c.column !== "id" && c.required && !c.defaulted && c.references === null)
        .map((c) => [c.key, value(c)]),
    );
    const created = await fetch(`${base}${entity.path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-user-id": crypto.randomUUID() },
      body: JSON.stringify(body),
    });
    const row = await created.json();
    assert.equal(created.status, 201, JSON.stringify(row));

    const page = await browser.newPage();
    const outside: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(base)) outside.push(request.url());
    });
    await page.goto(`${base}${screen.route}`);
    const card = page.locator("[data-items] article", {
      hasText: row.id === undefined ? TITLE : "",
    })
      .first();
    await card.waitFor();
    assert.match(await page.locator("[data-items]").innerText(), new RegExp(TITLE));

    // The card links to the entity's detail page, which fetches the one row.
    const detail = model.screens.find((s) => s.entity === entity.name && s.mode === "detail");
    assert.ok(detail, "a detail screen for the entity");
    await page.locator("[data-items] article a", { hasText: TITLE }).first().click();
    await page.waitForURL(`${base}${detail.route.replace(":id", row.id)}`);
    await page.locator("[data-items] article").first().waitFor();
    assert.equal(
      await page.locator("[data-items] article").count(),
      1,
      "one row on the detail page",
    );
    assert.match(await page.locator("[data-items]").innerText(), new RegExp(TITLE));
    assert.deepEqual(outside, [], "no request leaves the app (fonts, scripts, styles are local)");
  } finally {
    await browser.close();
    app.kill("SIGTERM");
    await app.status;
    await database.drop();
    await Deno.remove(dir, { recursive: true });
  }
});
