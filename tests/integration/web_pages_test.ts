import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import { startTestApp } from "../support/app.ts";
import { scriptedGenerate } from "../support/scripted.ts";
import {
  finishedProject,
  HOSTILE_DIRECTIVE,
  projectForm,
  signedIn,
  waitForGeneration,
} from "../support/web.ts";

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** No markup from the payload survives as markup: only its escaped text may appear. */
function assertEscapedHtml(html: string, where: string): void {
  assert.ok(!html.includes("<script>alert(1)"), `${where}: no live <script> from the directive`);
  assert.ok(!/<img[^>]*onerror/i.test(html), `${where}: no <img onerror> from the directive`);
  assert.ok(!html.includes('"><img'), `${where}: no attribute break-out`);
  assert.ok(
    html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"),
    `${where}: the directive shows as text`,
  );
}

Deno.test("exports: Markdown and zip for the owner only, with safe names and no caching", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const owner = await signedIn(app, "export-owner@example.com");
    const { id, slug } = await finishedProject(
      app,
      owner,
      "A marketplace where local farmers sell vegetable boxes",
    );

    const md = await owner.request(`/projects/${id}/export.md`);
    assert.equal(md.status, 200);
    assert.equal(md.headers.get("content-type"), "text/markdown; charset=utf-8");
    assert.equal(md.headers.get("cache-control"), "private, no-store");
    const mdName = /^attachment; filename="(atlas9-[a-z0-9-]+\.md)"$/.exec(
      md.headers.get("content-disposition") ?? "",
    )?.[1];
    assert.ok(mdName?.includes(slug.slice(0, 20)), `file name ${mdName} comes from the slug`);
    const markdown = await md.text();
    assert.match(markdown, /^# /m);
    for (const heading of ["Product", "Brand", "Design", "Architecture", "Code"]) {
      assert.match(markdown, new RegExp(`^## .*${heading}`, "m"), `${heading} section`);
    }

    const zip = await owner.request(`/projects/${id}/export.zip`);
    assert.equal(zip.status, 200);
    assert.equal(zip.headers.get("content-type"), "application/zip");
    assert.equal(zip.headers.get("cache-control"), "private, no-store");
    assert.match(
      zip.headers.get("content-disposition") ?? "",
      /^attachment; filename="atlas9-[a-z0-9-]+\.zip"$/,
    );
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    const names = Object.keys(files);
    assert.ok(names.includes("blueprint.md") && names.includes("blueprint.json"));
    const code = (await app.services.repos.generations.latestByProject(id)).code!.output as {
      files: { path: string }[];
    };
    assert.equal(names.filter((n) => n.startsWith("code/")).length, code.files.length);
    for (const name of names) assert.ok(!name.split("/").includes(".."), `safe path ${name}`);
    const json = JSON.parse(decode(files["blueprint.json"]));
    assert.equal(json.project.directive, "A marketplace where local farmers sell vegetable boxes");

    const stranger = await signedIn(app, "export-stranger@example.com");
    for (const ext of ["md", "zip"]) {
      const res = await stranger.request(`/projects/${id}/export.${ext}`);
      assert.equal(res.status, 404, `another user's ${ext} export is a 404`);
      await res.body?.cancel();
    }
    const anonymous = await app.fetch(`/projects/${id}/export.zip`, { redirect: "manual" });
    assert.equal(anonymous.status, 302, "signed out: sent to log in");
    assert.match(anonymous.headers.get("location") ?? "", /^\/login\?redirectTo=/);
    await anonymous.body?.cancel();
    const missing = await owner.request(`/projects/01ARZ3NDEKTSV4RRFFQ69G5FAV/export.md`);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  } finally {
    await app.close();
  }
});

Deno.test("escaping: a directive full of HTML and script payloads stays text everywhere", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const owner = await signedIn(app, "xss@example.com");
    const { id, slug } = await finishedProject(app, owner, HOSTILE_DIRECTIVE);
    await projectForm(owner, id, { intent: "visibility", visibility: "public" });

    assertEscapedHtml(await (await owner.request(`/projects/${id}`)).text(), "project page");
    assertEscapedHtml(await (await owner.request("/projects")).text(), "dashboard");
    const publicHtml = await (await app.fetch(`/p/${slug}`)).text();
    assertEscapedHtml(publicHtml, "public page");
    for (const match of publicHtml.matchAll(/<meta [^>]*content="([^"]*)"/g)) {
      assert.ok(!/[<>]/.test(match[1]), `meta content is attribute-escaped: ${match[1]}`);
    }
    assertEscapedHtml(await (await app.fetch("/")).text(), "landing (recent public projects)");

    const markdown = await (await owner.request(`/projects/${id}/export.md`)).text();
    assert.ok(!markdown.includes("<script>"), "Markdown has no raw <script>");
    assert.ok(!/<img/i.test(markdown), "Markdown has no raw <img>");
    assert.ok(markdown.includes("&lt;script&gt;"), "the directive is in the Markdown, escaped");

    const files = unzipSync(
      new Uint8Array(await (await owner.request(`/projects/${id}/export.zip`)).arrayBuffer()),
    );
    const zipMarkdown = decode(files["blueprint.md"]);
    assert.ok(!zipMarkdown.includes("<script>") && !/<img/i.test(zipMarkdown));
    assert.equal(JSON.parse(decode(files["blueprint.json"])).project.directive, HOSTILE_DIRECTIVE);
    for (const name of Object.keys(files)) assert.ok(!/[<>"]/.test(name), `safe zip entry ${name}`);

    const image = await app.fetch(`/p/${slug}/og.png`);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get("content-type"), "image/png");
    await image.body?.cancel();
  } finally {
    await app.close();
  }
});

Deno.test("dashboard: status badges, cursor pagination and search by title", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const owner = await signedIn(app, "dash@example.com");
    const userId = (await app.services.repos.users.findByEmail("dash@example.com"))!.id;
    for (let i = 1; i <= 23; i++) {
      await app.services.repos.projects.create({
        userId,
        directive: `Directive number ${i}`,
        title: i === 7 ? "Seventh Heaven bakery" : `Project ${String(i).padStart(2, "0")}`,
        slug: `dash-${i}`,
      });
    }
    const first = await (await owner.request("/projects")).text();
    assert.equal(first.match(/<li class="card">/g)?.length, 20, "20 per page");
    assert.ok(first.includes("Project 23") && !first.includes("Project 01"), "newest first");
    assert.match(first, /class="badge">queued</, "each project shows its status");
    const next = /href="(\/projects\?cursor=[^"]+)"/.exec(first)?.[1];
    assert.ok(next, "a link to older projects");
    const second = await (await owner.request(next!.replaceAll("&amp;", "&"))).text();
    assert.equal(second.match(/<li class="card">/g)?.length, 3);
    assert.ok(second.includes("Project 01") && !second.includes("Project 23"));
    assert.ok(!/href="\/projects\?cursor=/.test(second), "no further page");

    const found = await (await owner.request("/projects?q=heaven")).text();
    assert.equal(found.match(/<li class="card">/g)?.length, 1);
    assert.ok(found.includes("Seventh Heaven bakery"));
    assert.match(found, /<input[^>]*name="q"[^>]*value="heaven"/, "the search stays in the box");
    const none = await (await owner.request("/projects?q=%25%5F")).text();
    assert.match(none, /No project matches that search/);

    const other = await signedIn(app, "dash-other@example.com");
    const theirs = await (await other.request("/projects")).text();
    assert.ok(!theirs.includes("Seventh Heaven"), "only one's own projects");
  } finally {
    await app.close();
  }
});

Deno.test("project page: versions switch and compare field by field", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const owner = await signedIn(app, "compare@example.com");
    const { id } = await finishedProject(app, owner, "A booking app for independent dog groomers");
    await projectForm(owner, id, { intent: "regenerate", stage: "product" });
    await waitForGeneration(owner, id);

    const page = await (await owner.request(`/projects/${id}`)).text();
    assert.match(page, /aria-label="Product v1"/, "the version switcher lists v1");
    assert.ok(page.includes(`href="/projects/${id}?compare=product:1..2#product-compare"`));

    const v1 = await (await owner.request(`/projects/${id}?product=1`)).text();
    assert.match(v1, /id="bp-product-title">[^]*?class="badge">v1</, "switching shows v1");

    const same = await (await owner.request(`/projects/${id}?compare=product:1..2`)).text();
    assert.match(same, /Product: v1 compared with v2/);
    assert.match(same, /These versions are identical|field(s)? differ/);

    // The offline engine is deterministic, so make v2 differ to see rows.
    const rows = await app.services.repos.generations.list({ projectId: id, stage: "product" });
    const v2 = rows.find((r) => r.version === 2)!;
    await app.services.database.db.execute(
      `UPDATE generations SET output = jsonb_set(output, '{oneLiner}', '"A different one-liner"') WHERE id = '${v2.id}'`,
    );
    const diff = await (await owner.request(`/projects/${id}?compare=product&from=1&to=2`)).text();
    assert.match(diff, /1 field differs/);
    assert.match(
      diff,
      /<th scope="row">oneLiner<\/th><td class="compare-before">[^<]+<\/td><td class="compare-after">A different one-liner<\/td>/,
    );
    const bogus = await (await owner.request(`/projects/${id}?compare=product:1..9`)).text();
    assert.ok(!bogus.includes("compared with"), "an unknown version shows no comparison");
  } finally {
    await app.close();
  }
});
