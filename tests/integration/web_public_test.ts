import assert from "node:assert/strict";
import { startTestApp } from "../support/app.ts";
import { scriptedGenerate } from "../support/scripted.ts";
import { finishedProject, projectForm, signedIn, waitForGeneration } from "../support/web.ts";
import { ogImageKey, publicPageKey } from "../../app/kv/keys.ts";
import { STAGE_NAMES } from "../../app/blueprint/stages.ts";

const PUBLIC_CACHE = "public, s-maxage=300, stale-while-revalidate=60";

Deno.test("public page: 404 while private, cached and revalidated when public, gone when private again", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const owner = await signedIn(app, "owner@example.com");
    const { id, slug } = await finishedProject(
      app,
      owner,
      "A booking app for independent dog groomers",
    );

    const hidden = await app.fetch(`/p/${slug}`);
    assert.equal(hidden.status, 404, "a private project has no public page");
    await hidden.body?.cancel();

    await projectForm(owner, id, { intent: "visibility", visibility: "public" });
    const first = await app.fetch(`/p/${slug}`);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("cache-control"), PUBLIC_CACHE);
    assert.doesNotMatch(
      first.headers.get("vary") ?? "",
      /Cookie/,
      "one anonymous copy, whatever other cookies a visitor sends",
    );
    assert.equal(first.headers.get("deno-cache-tag"), `p-${slug}`);
    const etag = first.headers.get("etag");
    assert.match(etag ?? "", /^"[\w-]+"$/, "a strong ETag of the stored bytes");
    const html = await first.text();
    for (const stage of STAGE_NAMES) {
      assert.ok(html.includes(`class="bp-stage bp-${stage}"`), `${stage} is shown`);
    }
    assert.ok(!html.includes('name="intent"'), "no owner controls on the public page");
    assert.ok(!html.includes("Provider</dt>"), "no usage or cost on the public page");
    assert.ok(
      await app.services.kv.get(publicPageKey(slug)).then((e) => e.value),
      "render data cached in KV",
    );

    const again = await app.fetch(`/p/${slug}`, { headers: { "If-None-Match": etag! } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get("etag"), etag);
    assert.equal(again.headers.get("cache-control"), PUBLIC_CACHE);
    assert.equal(await again.text(), "");

    const mine = await owner.request(`/p/${slug}`);
    assert.equal(mine.status, 200);
    assert.equal(
      mine.headers.get("cache-control"),
      "private, no-store",
      "a signed-in copy is never shared",
    );
    assert.equal(mine.headers.get("etag"), null);
    await mine.body?.cancel();

    await projectForm(owner, id, { intent: "rename", title: "Groomly, renamed" });
    const renamed = await app.fetch(`/p/${slug}`, { headers: { "If-None-Match": etag! } });
    assert.equal(renamed.status, 200, "a rename invalidates the cached page");
    assert.notEqual(renamed.headers.get("etag"), etag);
    assert.match(await renamed.text(), /Groomly, renamed/);

    await projectForm(owner, id, { intent: "visibility", visibility: "private" });
    const gone = await app.fetch(`/p/${slug}`);
    assert.equal(gone.status, 404, "made private: 404 at once, whatever KV holds");
    await gone.body?.cancel();
    const image = await app.fetch(`/p/${slug}/og.png`);
    assert.equal(image.status, 404);
    await image.body?.cancel();
  } finally {
    await app.close();
  }
});

Deno.test("public page: a regenerated stage and a deletion reach the public page", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const owner = await signedIn(app, "regen@example.com");
    const { id, slug } = await finishedProject(
      app,
      owner,
      "An invoicing tool for freelance translators",
    );
    await projectForm(owner, id, { intent: "visibility", visibility: "public" });
    const before = await app.fetch(`/p/${slug}`);
    const etag = before.headers.get("etag")!;
    assert.match(await before.text(), /id="bp-brand-title">[^]*?class="badge">v1</);

    await projectForm(owner, id, { intent: "regenerate", stage: "brand" });
    await waitForGeneration(owner, id);
    const after = await app.fetch(`/p/${slug}`, { headers: { "If-None-Match": etag } });
    assert.equal(after.status, 200, "regeneration changes the page");
    assert.notEqual(after.headers.get("etag"), etag);
    assert.match(
      await after.text(),
      /id="bp-brand-title">[^]*?class="badge">v2</,
      "brand v2 is shown",
    );

    // A change made around the page (here: straight in the database, as the API does) is seen too.
    await app.services.repos.projects.update({
      id,
      userId: (await app.services.repos.projects.getById(id))!.userId,
      title: "Changed elsewhere",
    });
    assert.match(await (await app.fetch(`/p/${slug}`)).text(), /Changed elsewhere/);

    await projectForm(owner, id, { intent: "delete", confirm: "yes" });
    const gone = await app.fetch(`/p/${slug}`);
    assert.equal(gone.status, 404);
    await gone.body?.cancel();
    assert.equal((await app.services.kv.get(publicPageKey(slug))).value, null, "cache dropped");
  } finally {
    await app.close();
  }
});

Deno.test("public page: Open Graph and Twitter meta, and a server-rendered PNG share card", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const owner = await signedIn(app, "og@example.com");
    const { id, slug } = await finishedProject(
      app,
      owner,
      "A marketplace where local farmers sell vegetable boxes",
    );
    await projectForm(owner, id, { intent: "visibility", visibility: "public" });
    const html = await (await app.fetch(`/p/${slug}`)).text();
    const meta = (attr: string, name: string) =>
      new RegExp(`<meta ${attr}="${name}" content="([^"]*)"`).exec(html)?.[1];
    const origin = app.services.env.publicOrigin;
    assert.equal(meta("property", "og:image"), `${origin}/p/${slug}/og.png`);
    assert.equal(meta("property", "og:url"), `${origin}/p/${slug}`);
    assert.ok(meta("property", "og:title")?.includes("a product blueprint on Atlas9"));
    assert.ok((meta("property", "og:description") ?? "").length > 10);
    assert.equal(meta("name", "twitter:card"), "summary_large_image");
    assert.equal(meta("name", "twitter:image"), `${origin}/p/${slug}/og.png`);
    assert.match(html, new RegExp(`<link rel="canonical" href="${origin}/p/${slug}"`));

    const image = await app.fetch(`/p/${slug}/og.png`);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get("content-type"), "image/png");
    assert.equal(image.headers.get("cache-control"), PUBLIC_CACHE);
    const png = new Uint8Array(await image.arrayBuffer());
    assert.deepEqual([...png.slice(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], "a PNG");
    const view = new DataView(png.buffer);
    assert.deepEqual([view.getUint32(16), view.getUint32(20)], [1200, 630], "1200×630");
    assert.ok(png.length > 5_000, "not a blank image");
    assert.ok((await app.services.kv.get(ogImageKey(slug))).value, "the PNG is cached in KV");
    const cached = await app.fetch(`/p/${slug}/og.png`, {
      headers: { "If-None-Match": image.headers.get("etag")! },
    });
    assert.equal(cached.status, 304);
    await cached.body?.cancel();
  } finally {
    await app.close();
  }
});

Deno.test("public page: the code stage previews a few files and opens any other on request", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const owner = await signedIn(app, "files@example.com");
    const { id, slug } = await finishedProject(app, owner, "A habit tracker for remote teams");
    await projectForm(owner, id, { intent: "visibility", visibility: "public" });
    const code = (await app.services.repos.generations.latestByProject(id)).code!.output as {
      files: { path: string; content: string }[];
    };
    const html = await (await app.fetch(`/p/${slug}`)).text();
    const previewed = code.files.filter((f) =>
      html.includes(`<code>${f.path}</code> <span class="badge">`)
    );
    assert.ok(
      previewed.length >= 1 && previewed.length < code.files.length,
      "some files previewed, not all",
    );
    const closed = code.files.find((f) => !previewed.includes(f) && f.content.length > 40)!;
    assert.ok(
      html.includes(`?file=${encodeURIComponent(closed.path)}`),
      "a closed file links to itself",
    );
    const opened = await (await app.fetch(`/p/${slug}?file=${encodeURIComponent(closed.path)}`))
      .text();
    assert.ok(
      opened.includes(`<code>${closed.path}</code> <span class="badge">`),
      "the selected file is shown",
    );
  } finally {
    await app.close();
  }
});
