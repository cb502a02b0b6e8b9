import assert from "node:assert/strict";
import { Browser, startTestApp } from "../support/app.ts";
import { readSse, scriptedGenerate } from "../support/scripted.ts";

Deno.test("public pages: rendered once per change, fresh nonce per response, owner changes at once", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const owner = new Browser(app);
    await (await owner.post("/signup", {
      email: "mc@example.com",
      password: "correct horse battery staple",
    }))
      .body?.cancel();
    const created = await owner.post("/projects", {
      directive: "A swap shop for children's books",
    });
    await created.body?.cancel();
    const id = created.headers.get("location")!.split("/").pop()!;
    await readSse(await owner.request(`/projects/${id}/events`), {
      until: (e) => e.event === "generation.completed",
    });
    await (await owner.post(`/projects/${id}`, { intent: "visibility", visibility: "public" })).body
      ?.cancel();
    const slug = (await app.services.repos.projects.getById(id))!.slug;

    const pages: { html: string; csp: string; timing: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await app.fetch(`/p/${slug}`);
      assert.equal(res.status, 200);
      pages.push({
        html: await res.text(),
        csp: res.headers.get("content-security-policy") ?? "",
        timing: res.headers.get("server-timing") ?? "",
      });
    }
    assert.match(pages[0].timing, /render;dur=/, "the first visit renders");
    assert.doesNotMatch(
      pages[1].timing,
      /render;dur=/,
      "later visits are served without rendering",
    );
    const nonces = pages.map((p) => /'nonce-([^']+)'/.exec(p.csp)![1]);
    assert.equal(new Set(nonces).size, 3, "every response has its own nonce");
    pages.forEach((page, i) => {
      assert.ok(
        page.html.includes(`nonce="${nonces[i]}"`),
        "the page carries its response's nonce",
      );
      assert.equal(page.html.split(nonces[i]).length, pages[0].html.split(nonces[0]).length);
    });
    const strip = (html: string, nonce: string) => html.replaceAll(nonce, "");
    assert.equal(strip(pages[2].html, nonces[2]), strip(pages[0].html, nonces[0]));

    const gz = await app.fetch(`/p/${slug}`, { headers: { "Accept-Encoding": "gzip" } });
    assert.equal(gz.headers.get("content-encoding"), "gzip");
    const unzipped = await new Response(gz.body!.pipeThrough(new DecompressionStream("gzip")))
      .text();
    assert.match(unzipped, /<\/html>/);

    await (await owner.post(`/projects/${id}`, { intent: "visibility", visibility: "private" }))
      .body?.cancel();
    const gone = await app.fetch(`/p/${slug}`);
    assert.equal(gone.status, 404, "private at once, whatever was cached");
    await gone.body?.cancel();

    const signedIn = await owner.request(`/projects/${id}`);
    assert.equal(signedIn.status, 200);
    await signedIn.body?.cancel();
  } finally {
    await app.close();
  }
});
