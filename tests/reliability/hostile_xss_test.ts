/**
 * Hostile input: XSS and injection payloads in the directive and in model output (through the
 * OpenAI-wire fake and the real SDK) stay inert text on every page, the public page, the OG
 * image and both exports; generated file paths with `..` or absolute paths are normalised in
 * the zip; nothing is fetched from an address a payload names; and the CSP stops an inline
 * script that was never given the page's nonce (checked in Chromium).
 */
import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import { chromium } from "playwright-core";
import type { Page } from "playwright-core";
import { startTestApp } from "../support/app.ts";
import { readSse } from "../support/scripted.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import type { FakeReply } from "../fakes/llm_script.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";
import { type CodeSpec, type StageOutputs, stageSchemas } from "../../app/blueprint/schemas.ts";
import { normaliseStage } from "../../app/blueprint/normalise.ts";
import { STAGE_NAMES } from "../../app/blueprint/stages.ts";
import type { StageName } from "../../app/blueprint/stages.ts";
import {
  createProject,
  DIRECTIVE,
  injectText,
  report,
  signedIn,
  snapshotDatabase,
  stageOf,
} from "../support/reliability.ts";

/** A loopback server that counts every request: payloads point at it, nothing may call it. */
const canary = { hits: [] as string[] };
const canaryServer = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
  canary.hits.push(new URL(req.url).pathname);
  return new Response("canary");
});
const CANARY = `http://127.0.0.1:${canaryServer.addr.port}`;

/** Markup, script, URL, template, SQL and CSS payloads; each sets `window.__xss` if it runs. */
const PAYLOADS = [
  `<script>window.__xss=1</script>`,
  `"><img src=x onerror="window.__xss=2">`,
  `'><svg onload=window.__xss=3>`,
  `</script><script>window.__xss=4</script>`,
  `javascript:window.__xss=5`,
  `<a href="javascript:window.__xss=6">x</a>`,
  `{{constructor.constructor('window.__xss=7')()}}`,
  `\u2028\u2029</title><style>*{display:none}</style>`,
  `'; DROP TABLE users; --`,
  `<img src="${CANARY}/img">`,
  `x; background-image: url(${CANARY}/css)`,
  `<iframe src="${CANARY}/frame"></iframe>`,
];

/** The directive: several payloads within the 400-character limit. */
const HOSTILE_DIRECTIVE = [PAYLOADS[0], PAYLOADS[1], PAYLOADS[3], PAYLOADS[8], PAYLOADS[9]]
  .join(" ");

/** Paths a model might write for generated files, and what must never appear in the zip. */
const HOSTILE_PATHS = [
  "../../etc/passwd",
  "/etc/shadow",
  "..\\..\\windows\\system32\\evil.dll",
  "C:\\evil\\boot.ini",
  "src/../../../escape.ts",
  "./././hidden/../.env",
  `<script>alert(1)</script>.html`,
  "a//b\u0000c.txt",
];

/** How many text fields of model output carry a payload. */
let injected = 0;

/** A payload after a fence inside a generated file: it must stay inside the export's code block. */
const FENCED_PAYLOAD = "<script>window.__xss=8</script>";

/** Model output of a stage with payloads in every text field its schema accepts them in. */
function hostileOutput(stage: StageName, upstream: Partial<StageOutputs>): unknown {
  const base = generateStage(stage, DIRECTIVE);
  const { output, count } = injectText(stage, base, (i) => PAYLOADS[i % PAYLOADS.length]);
  if (stage === "code") {
    const code = output as CodeSpec;
    // Hostile files in front of the project's own (unchanged) files, so the code still passes
    // the check before storing (app/generation/code-check.ts): otherwise it would be replaced
    // by offline code and the payloads would never reach a page.
    const project = generateStage("code", DIRECTIVE, upstream);
    code.files = project.files.map((file) => ({ ...file }));
    code.entrypoint = project.entrypoint;
    code.files.unshift(...HOSTILE_PATHS.map((path, i) => {
      // Fences in the content must not close the export's code block around it.
      const content = [`hostile-file-${i}`, ...PAYLOADS, "```", FENCED_PAYLOAD, "~~~~", ""];
      return { path, language: "html", content: content.join("\n") };
    }));
  }
  injected += count;
  return output;
}

/** Every start tag of an HTML document with its attributes (quoted values respected). */
function tags(html: string): { name: string; attributes: [string, string][] }[] {
  const found: { name: string; attributes: [string, string][] }[] = [];
  const tag =
    /<([a-zA-Z][\w:-]*)((?:\s+[^\s=>"'\/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/g;
  const attribute = /([^\s=>"'\/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?/g;
  for (const match of html.matchAll(tag)) {
    const attributes: [string, string][] = [];
    for (const a of match[2].matchAll(attribute)) {
      attributes.push([a[1].toLowerCase(), (a[2] ?? "").replace(/^["']|["']$/g, "")]);
    }
    found.push({ name: match[1].toLowerCase(), attributes });
  }
  return found;
}

/** Raw HTML in which no payload became markup, an attribute, a URL or a style. */
function assertInertHtml(html: string, where: string): void {
  for (const { name, attributes } of tags(html)) {
    for (const [attribute, value] of attributes) {
      const decoded = value.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(
        /&amp;/g,
        "&",
      );
      assert.ok(!attribute.startsWith("on"), `${where}: <${name} ${attribute}=${value}>`);
      if (["href", "src", "action", "formaction", "xlink:href"].includes(attribute)) {
        assert.doesNotMatch(
          decoded,
          /^\s*javascript:/i,
          `${where}: <${name} ${attribute}=${value}>`,
        );
        assert.ok(!decoded.includes(CANARY), `${where}: <${name} ${attribute}=${value}>`);
      }
      if (attribute === "style") {
        assert.doesNotMatch(decoded, /url\(|expression\(|@import/i, `${where}: style=${value}`);
      }
    }
    assert.ok(!["iframe", "object", "embed"].includes(name), `${where}: <${name}> element`);
  }
  for (const script of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) {
    assert.ok(!/^\s*window\.__xss/.test(script[1]), `${where}: a payload became a script`);
  }
  assert.doesNotMatch(html, /<style>\*\{display:none\}/, `${where}: no injected stylesheet`);
  assert.doesNotMatch(html, /<title>[^<]*<\/title>[^<]*<style>/, `${where}: no title break-out`);
}

Deno.test({
  name:
    "xss: payloads in the directive and in model output stay text on every page, image and export",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // Each stage's output as the pipeline will have normalised it, so the code stage can be
    // built from the same (hostile) upstream the stored project has.
    const upstream: Partial<StageOutputs> = {};
    const outputs: Record<string, unknown> = {};
    for (const stage of STAGE_NAMES) {
      outputs[stage] = hostileOutput(stage, upstream);
      (upstream as Record<string, unknown>)[stage] = normaliseStage(
        stage,
        stageSchemas[stage].parse(outputs[stage]) as never,
        upstream,
      );
    }
    const fake = startFakeOpenAI((request): FakeReply => ({
      output: outputs[stageOf(request)],
      chunkChars: 500,
    }));
    const app = await startTestApp({
      env: { LLM_PROVIDERS: "openai", OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.url },
    });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
      const url = new URL(request.url);
      return app.fetch(url.pathname + url.search, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: "manual",
      });
    });
    const baseUrl = `http://127.0.0.1:${server.addr.port}`;
    const browser = await chromium.launch({
      executablePath: Deno.env.get("CHROME_PATH") ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
    });
    try {
      const owner = await signedIn(app, "xss@example.com");
      const id = await createProject(owner, HOSTILE_DIRECTIVE);
      const events = await readSse(await owner.request(`/projects/${id}/events`), {
        until: (e) => e.event === "generation.completed" || e.event === "stage.failed",
      });
      assert.equal(events.at(-1)?.event, "generation.completed", JSON.stringify(events.at(-1)));
      await app.services.pipeline.idle();
      const publish = await owner.post(`/projects/${id}`, {
        intent: "visibility",
        visibility: "public",
      });
      await publish.body?.cancel();
      const project = (await app.services.repos.projects.getById(id))!;
      assert.equal(
        project.directive,
        HOSTILE_DIRECTIVE.replace(/\s+/g, " ").trim(),
        "stored as typed",
      );
      const code = (await app.services.repos.generations.latestByProject(id)).code!
        .output as CodeSpec;

      // Every stored path is relative, without dot segments, drive letters or backslashes.
      for (const file of code.files) {
        assert.ok(safePath(file.path), `stored path ${JSON.stringify(file.path)}`);
      }

      // Server-rendered HTML of every page that shows the project.
      const pages = [
        `/projects/${id}`,
        ...code.files.slice(0, HOSTILE_PATHS.length).map((f) =>
          `/projects/${id}?file=${encodeURIComponent(f.path)}`
        ),
        ...STAGE_NAMES.map((s) => `/projects/${id}?compare=${s}:1..1`),
        "/projects",
        "/",
        `/p/${project.slug}`,
        `/p/${project.slug}?file=${encodeURIComponent(code.files[0].path)}`,
      ];
      for (const path of pages) {
        const res = path.startsWith("/p/") || path === "/"
          ? await app.fetch(path)
          : await owner.request(path);
        assert.equal(res.status, 200, path);
        const html = await res.text();
        assertInertHtml(html, path);
        assert.match(
          html,
          /&lt;script&gt;window\.__xss=1&lt;\/script&gt;|\\u003cscript\\u003ewindow/,
          `${path}: the payload is shown as text`,
        );
      }

      // The OG image renders; nothing named by a payload is fetched.
      const og = await app.fetch(`/p/${project.slug}/og.png`);
      assert.equal(og.status, 200);
      assert.equal(og.headers.get("content-type"), "image/png");
      const png = new Uint8Array(await og.arrayBuffer());
      assert.deepEqual([...png.slice(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], "a PNG");

      // Markdown export: no raw markup, no javascript: links.
      const md = await (await owner.request(`/projects/${id}/export.md`)).text();
      const prose = outsideFences(md);
      assert.doesNotMatch(prose, /<(script|img|svg|iframe|a|style)\b/i, "no raw HTML outside code");
      assert.doesNotMatch(prose, /\]\(\s*javascript:/i, "no javascript: link in the Markdown");
      assert.ok(prose.length > md.length / 10, "the prose is checked, not swallowed by a fence");
      assert.ok(md.includes(FENCED_PAYLOAD), "file contents are exported, as code");
      assert.match(md, /&lt;script&gt;/, "the payload is there, escaped");

      // Zip export: every entry safe to extract; every hostile-path file is there, renamed.
      const zip = unzipSync(
        new Uint8Array(await (await owner.request(`/projects/${id}/export.zip`)).arrayBuffer()),
      );
      const names = Object.keys(zip);
      for (const name of names) {
        assert.ok(safePath(name), `zip entry ${JSON.stringify(name)}`);
        assert.ok(name.startsWith("code/") || /^blueprint\.(md|json)$/.test(name), name);
      }
      for (let i = 0; i < HOSTILE_PATHS.length; i++) {
        const entry = names.find((n) =>
          new TextDecoder().decode(zip[n]).startsWith(`hostile-file-${i}\n`)
        );
        assert.ok(entry, `the file written as ${JSON.stringify(HOSTILE_PATHS[i])} is in the zip`);
      }
      const zipMd = new TextDecoder().decode(zip["blueprint.md"]);
      assert.doesNotMatch(outsideFences(zipMd), /<(script|img|svg|iframe)\b/i);

      // In Chromium: no payload runs on any page; the CSP refuses an un-nonced inline script.
      const context = await browser.newContext({ baseURL: baseUrl });
      await context.addCookies([{ name: "__session", value: owner.cookie()!, url: baseUrl }]);
      const page = await context.newPage();
      const dialogs: string[] = [];
      const violations: string[] = [];
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      for (const path of [`/projects/${id}`, "/projects", "/", `/p/${project.slug}`]) {
        await visit(page, path);
        assert.equal(
          await page.evaluate(() => (globalThis as { __xss?: number }).__xss),
          undefined,
          path,
        );
      }
      assert.deepEqual(dialogs, []);
      assert.deepEqual(violations, [], "escaped payloads never even reach the CSP");

      await page.route(`${baseUrl}/projects/${id}`, async (route) => {
        const response = await route.fetch();
        const html = (await response.text()).replace(
          "<head>",
          "<head><script>window.__inline=1</script>",
        );
        await route.fulfill({ response, body: html });
      });
      await visit(page, `/projects/${id}`);
      assert.equal(
        await page.evaluate(() => (globalThis as { __inline?: number }).__inline),
        undefined,
        "the inline script was blocked",
      );
      assert.ok(
        await page.evaluate(() => "__remixContext" in globalThis),
        "nonced scripts still run",
      );
      assert.ok(
        violations.some((v) => /inline script/i.test(v)),
        `the CSP reported it: ${violations}`,
      );
      await context.close();

      assert.deepEqual(canary.hits, [], "no request reached an address named by a payload");
      const tables = await snapshotDatabase(app);
      assert.equal(tables.users.length, 1, "SQL in text is only text");
      report("xss: payloads", PAYLOADS.length);
      report("xss: text fields of model output carrying a payload", injected);
      report("xss: server-rendered pages checked", pages.length);
      report("xss: hostile file paths normalised in the zip", HOSTILE_PATHS.length);
      report("xss: requests to payload URLs", canary.hits.length);
    } finally {
      await browser.close();
      await server.shutdown();
      await app.services.pipeline.idle();
      await app.close();
      await fake.close();
      await canaryServer.shutdown();
    }
  },
});

/** The Markdown outside fenced code blocks (CommonMark: a fence closes with one as long). */
function outsideFences(markdown: string): string {
  const out: string[] = [];
  let open: { char: string; length: number } | null = null;
  for (const line of markdown.split("\n")) {
    const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (open) {
      if (
        fence && fence[1][0] === open.char && fence[1].length >= open.length && !fence[2].trim()
      ) {
        open = null;
      }
    } else if (fence && !(fence[1][0] === "`" && fence[2].includes("`"))) {
      open = { char: fence[1][0], length: fence[1].length };
    } else {
      out.push(line);
    }
  }
  return out.join("\n");
}

/** Relative, `/`-separated, no empty, `.` or `..` segment, no drive, no control character. */
function safePath(path: string): boolean {
  // deno-lint-ignore no-control-regex -- control characters are what this looks for.
  if (/[\\\u0000-\u001f]/.test(path) || path.startsWith("/") || /^[A-Za-z]:/.test(path)) {
    return false;
  }
  return path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

/** Opens a page and, where it ships scripts, waits until they ran (hydration). */
async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path, { waitUntil: "load" });
  const scripted = await page.evaluate(() => document.querySelectorAll("script[nonce]").length > 0);
  if (scripted) {
    await page.waitForFunction(() => "__remixContext" in globalThis, null, { timeout: 5_000 });
  }
  await page.waitForTimeout(150);
}
