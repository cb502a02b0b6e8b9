/**
 * The edge page store (decision 015): anonymous public pages, the landing page and the public
 * API answered from KV as stored bytes, invalidated on every change, on every instance.
 */
import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { Browser, startTestApp } from "../support/app.ts";
import type { TestApp } from "../support/app.ts";
import { scriptedGenerate } from "../support/scripted.ts";
import { finishedProject, PASSWORD, projectForm, signedIn } from "../support/web.ts";
import { LANDING_SCOPE } from "../../app/projects/public/page-store.server.ts";

const timingOf = (res: Response) => res.headers.get("server-timing") ?? "";

async function publishedProject(app: TestApp, email: string, directive: string) {
  const owner = await signedIn(app, email);
  const project = await finishedProject(app, owner, directive);
  await projectForm(owner, project.id, { intent: "visibility", visibility: "public" });
  return { owner, ...project };
}

Deno.test("edge store: a public page hit is stored bytes in each encoding, no database, no render", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const { slug } = await publishedProject(app, "edge@example.com", "A swap shop for books");
    const first = await app.fetch(`/p/${slug}`);
    assert.equal(first.status, 200);
    const html = await first.text();

    const variants = new Map<string, { body: Uint8Array; etag: string }>();
    for (const encoding of ["identity", "gzip", "br"]) {
      const res = await app.fetch(`/p/${slug}`, {
        headers: { "Accept-Encoding": encoding === "br" ? "gzip, br" : encoding },
      });
      assert.equal(res.status, 200);
      assert.doesNotMatch(timingOf(res), /\b(db|render);/, `${encoding}: no database, no render`);
      assert.equal(res.headers.get("content-encoding") ?? "identity", encoding);
      assert.match(res.headers.get("vary") ?? "", /Accept-Encoding/);
      variants.set(encoding, {
        body: new Uint8Array(await res.arrayBuffer()),
        etag: res.headers.get("etag")!,
      });
    }
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    assert.equal(text(variants.get("identity")!.body), html);
    assert.equal(text(gunzipSync(variants.get("gzip")!.body)), html);
    assert.equal(text(brotliDecompressSync(variants.get("br")!.body)), html);
    const etags = [...variants.values()].map((v) => v.etag);
    assert.equal(new Set(etags).size, 3, "each encoding has its own ETag");

    const notModified = await app.fetch(`/p/${slug}`, {
      headers: { "Accept-Encoding": "br", "If-None-Match": variants.get("br")!.etag },
    });
    assert.equal(notModified.status, 304);
    await notModified.body?.cancel();

    // No script on the page: no nonce, no script at all; the inlined stylesheet by its hash.
    const csp = first.headers.get("content-security-policy") ?? "";
    assert.doesNotMatch(csp, /nonce-/);
    assert.match(csp, /script-src 'none'/);
    assert.doesNotMatch(html, /<script/);
    const style = /<style[^>]*>([^]*?)<\/style>/.exec(html)![1];
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(style));
    assert.ok(csp.includes(`'sha256-${new Uint8Array(digest).toBase64()}'`), "style by hash");

    const head = await app.fetch(`/p/${slug}`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), "");
  } finally {
    await app.close();
  }
});

Deno.test("edge store: a Host header or a spaced session cookie never changes what others get", async () => {
  const app = await startTestApp({
    generate: scriptedGenerate().generate,
    env: { PUBLIC_ORIGIN: "https://atlas9.example" },
  });
  try {
    const { owner, slug } = await publishedProject(
      app,
      "carol@example.com",
      "A tool library for neighbours",
    );
    // The first (storing) request comes with a hostile Host.
    const planted = await app.fetch(`/p/${slug}`, { headers: { Host: "evil.example" } });
    const plantedHtml = await planted.text();
    for (const html of [plantedHtml, await (await app.fetch(`/p/${slug}`)).text()]) {
      assert.doesNotMatch(html, /evil\.example/);
      assert.match(
        html,
        new RegExp(`<link rel="canonical" href="https://atlas9.example/p/${slug}"`),
      );
      assert.match(
        html,
        new RegExp(`property="og:image" content="https://atlas9.example/p/${slug}/og.png"`),
      );
    }

    // `__session =…` (a space before `=`) signs the owner in: theirs alone, never stored.
    const spaced = await app.fetch(`/p/${slug}`, {
      headers: { Cookie: `theme=dark; __session =${owner.cookie()}` },
    });
    assert.equal(spaced.headers.get("cache-control"), "private, no-store");
    assert.match(await spaced.text(), /carol@example\.com/, "signed in");
    const anonymous = await app.fetch(`/p/${slug}`, { headers: { Cookie: "theme=dark" } });
    assert.match(anonymous.headers.get("cache-control") ?? "", /^public/);
    assert.doesNotMatch(await anonymous.text(), /carol@example\.com/);
  } finally {
    await app.close();
  }
});

Deno.test("edge store: two instances on one KV and one database see each other's changes", async () => {
  const purges: string[][] = [];
  const purgeServer = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    if (req.method === "POST" && new URL(req.url).pathname === "/invalidate/http") {
      purges.push((await req.json()).tags);
      return new Response(null, { status: 200 });
    }
    return new Response("not found", { status: 404 });
  });
  const cachePurgeUrl = `http://127.0.0.1:${purgeServer.addr.port}/invalidate/http`;
  const a = await startTestApp({ generate: scriptedGenerate().generate, cachePurgeUrl });
  const b = await startTestApp({ generate: scriptedGenerate().generate, sharing: a });
  try {
    const { owner, id, slug } = await publishedProject(a, "two@example.com", "A repair café map");
    assert.deepEqual(purges.at(-1)?.sort(), ["landing", `p-${slug}`], "publish purges the CDN");
    for (const app of [a, b]) await (await app.fetch(`/p/${slug}`)).body?.cancel();
    const onB = await b.fetch(`/p/${slug}`);
    assert.doesNotMatch(timingOf(onB), /render;/, "B answers from the shared store");
    assert.equal(onB.headers.get("deno-cache-tag"), `p-${slug}`);
    await onB.body?.cancel();
    await (await b.fetch(`/api/v1/public/projects/${slug}`)).body?.cancel();

    await projectForm(owner, id, { intent: "rename", title: "Fixit Atlas" });
    const renamed = await b.fetch(`/p/${slug}`);
    assert.match(await renamed.text(), /Fixit Atlas/, "rename on A: B serves the new title");
    const api = await b.fetch(`/api/v1/public/projects/${slug}`);
    assert.equal((await api.json()).title, "Fixit Atlas");

    purges.length = 0;
    await projectForm(owner, id, { intent: "visibility", visibility: "private" });
    assert.deepEqual(purges.at(-1)?.sort(), ["landing", `p-${slug}`], "unpublish purges the CDN");
    const gone = await b.fetch(`/p/${slug}`);
    assert.equal(gone.status, 404, "unpublish on A: the next request on B answers 404");
    await gone.body?.cancel();
    const goneApi = await b.fetch(`/api/v1/public/projects/${slug}`);
    assert.equal(goneApi.status, 404);
    await goneApi.body?.cancel();

    await projectForm(owner, id, { intent: "visibility", visibility: "public" });
    await (await b.fetch(`/p/${slug}`)).body?.cancel();
    purges.length = 0;
    await projectForm(owner, id, { intent: "delete", confirm: "yes" });
    assert.deepEqual(purges.at(-1)?.sort(), ["landing", `p-${slug}`], "delete purges the CDN");
    const deleted = await b.fetch(`/p/${slug}`);
    assert.equal(deleted.status, 404);
    await deleted.body?.cancel();
  } finally {
    await b.close();
    await a.close();
    await purgeServer.shutdown();
  }
});

Deno.test("edge store: a burst of 100 concurrent misses renders once", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const { slug } = await publishedProject(app, "burst@example.com", "A seed swap register");
    const responses = await Promise.all(
      Array.from(
        { length: 100 },
        () => app.fetch(`/p/${slug}`, { headers: { "Accept-Encoding": "gzip, br" } }),
      ),
    );
    const rendered = responses.filter((res) => /\brender;/.test(timingOf(res)));
    const bodies = await Promise.all(responses.map(async (res) => {
      assert.equal(res.status, 200);
      return new TextDecoder().decode(
        brotliDecompressSync(new Uint8Array(await res.arrayBuffer())),
      );
    }));
    assert.equal(rendered.length, 1, "one render for the whole burst");
    assert.equal(new Set(bodies).size, 1, "everyone gets the same page");
  } finally {
    await app.close();
  }
});

Deno.test("edge store: the signed-out landing page and the public API are stored, and refreshed on publish", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const owner = await signedIn(app, "landing@example.com");
    const { id, slug } = await finishedProject(app, owner, "A community fridge finder");
    await (await app.fetch("/")).body?.cancel();
    const stored = await app.fetch("/");
    assert.doesNotMatch(timingOf(stored), /\b(db|render);/, "landing hit: no database");
    assert.equal(stored.headers.get("deno-cache-tag"), "landing");
    const csp = stored.headers.get("content-security-policy") ?? "";
    assert.doesNotMatch(csp, /nonce-/, "scripts allowed by hash, not by a per-response nonce");
    const html = await stored.text();
    for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([^]*?)<\/script>/g)) {
      if (/\ssrc=/.test(attributes)) continue;
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
      assert.ok(
        csp.includes(`'sha256-${new Uint8Array(digest).toBase64()}'`),
        "inline script by hash",
      );
    }
    assert.doesNotMatch(html, /A community fridge finder/);

    await projectForm(owner, id, { intent: "visibility", visibility: "public" });
    assert.match(
      await (await app.fetch("/")).text(),
      /A community fridge finder/,
      "listed at once",
    );
    const mine = await owner.request("/");
    assert.equal(mine.headers.get("cache-control"), "private, no-store");
    assert.match(await mine.text(), /landing@example\.com/);

    await (await app.fetch(`/api/v1/public/projects/${slug}`)).body?.cancel();
    const json = await app.fetch(`/api/v1/public/projects/${slug}`, {
      headers: { "Accept-Encoding": "gzip" },
    });
    assert.doesNotMatch(timingOf(json), /\bdb;/, "public API hit: no database");
    assert.match(
      json.headers.get("ratelimit-remaining") ?? "",
      /^\d+$/,
      "the IP limit still counts",
    );
    assert.equal(json.headers.get("content-encoding"), "gzip");
    const resource = JSON.parse(
      new TextDecoder().decode(gunzipSync(new Uint8Array(await json.arrayBuffer()))),
    );
    assert.equal(resource.slug, slug);
  } finally {
    await app.close();
  }
});

Deno.test("edge store: another instance's landing page is kept in memory and follows the examples through a watch", async () => {
  const a = await startTestApp({ generate: scriptedGenerate().generate });
  const b = await startTestApp({ generate: scriptedGenerate().generate, sharing: a });
  try {
    const owner = await signedIn(a, "watch@example.com");
    const { id } = await finishedProject(a, owner, "A lost and found board for parks");
    await (await b.fetch("/")).body?.cancel();
    await b.services.pages.watching(LANDING_SCOPE);
    const hit = await b.fetch("/");
    assert.doesNotMatch(timingOf(hit), /\b(kv|db|render);/, "watched and in memory: no read");
    assert.doesNotMatch(await hit.text(), /A lost and found board for parks/);

    await projectForm(owner, id, { intent: "visibility", visibility: "public" });
    // B learns of the change from its watch (an event), not from a read of its own.
    let listed = false;
    for (let i = 0; i < 20 && !listed; i++) {
      const delivered = b.services.pages.nextWatched(LANDING_SCOPE);
      listed = /A lost and found board for parks/.test(await (await b.fetch("/")).text());
      if (!listed) await delivered;
    }
    assert.ok(listed, "B lists the newly public project");
    const again = await b.fetch("/");
    assert.doesNotMatch(timingOf(again), /\b(db|render);/);
    assert.match(await again.text(), /A lost and found board for parks/);
  } finally {
    await b.close();
    await a.close();
  }
});

Deno.test("signed-in pages read the session and the user once per request", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const owner = await signedIn(app, "once@example.com");
    const { id } = await finishedProject(app, owner, "A choir rehearsal planner");
    const sessions = app.services.sessions;
    const users = app.services.repos.users;
    const get = sessions.get.bind(sessions);
    const getById = users.getById.bind(users);
    let sessionReads = 0;
    let userReads = 0;
    sessions.get = (request) => (sessionReads++, get(request));
    users.getById = (userId) => (userReads++, getById(userId));
    for (const path of ["/", "/projects", `/projects/${id}`]) {
      sessionReads = userReads = 0;
      const res = await owner.request(path);
      assert.equal(res.status, 200, path);
      await res.body?.cancel();
      assert.deepEqual({ sessionReads, userReads }, { sessionReads: 1, userReads: 1 }, path);
    }
  } finally {
    await app.close();
  }
});

Deno.test("API JSON is compressed for clients that accept it, with its own ETag per encoding", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const plain = await app.fetch("/api/v1/openapi.json");
    const identity = await plain.text();
    assert.ok(identity.length > 10_000);
    const br = await app.fetch("/api/v1/openapi.json", {
      headers: { "Accept-Encoding": "gzip, br" },
    });
    assert.equal(br.headers.get("content-encoding"), "br");
    assert.match(br.headers.get("vary") ?? "", /Accept-Encoding/);
    const bytes = new Uint8Array(await br.arrayBuffer());
    assert.ok(bytes.byteLength < identity.length / 3, "much smaller on the wire");
    assert.equal(new TextDecoder().decode(brotliDecompressSync(bytes)), identity);

    const { id } = await publishedProject(app, "json@example.com", "A bike repair rota");
    const login = await app.fetch("/api/v1/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "json@example.com", password: PASSWORD }),
    });
    const auth = { Authorization: `Bearer ${(await login.json()).token}` };
    const resource = await app.fetch(`/api/v1/projects/${id}`, {
      headers: { ...auth, "Accept-Encoding": "gzip" },
    });
    assert.equal(resource.status, 200);
    assert.equal(resource.headers.get("content-encoding"), "gzip");
    const gzEtag = resource.headers.get("etag")!;
    const json = JSON.parse(
      new TextDecoder().decode(gunzipSync(new Uint8Array(await resource.arrayBuffer()))),
    );
    assert.equal(json.id, id);
    const plainResource = await app.fetch(`/api/v1/projects/${id}`, { headers: auth });
    assert.notEqual(plainResource.headers.get("etag"), gzEtag, "gzip and identity differ");
    await plainResource.body?.cancel();
    const again = await app.fetch(`/api/v1/projects/${id}`, {
      headers: { ...auth, "Accept-Encoding": "gzip", "If-None-Match": gzEtag },
    });
    assert.equal(again.status, 304);
    await again.body?.cancel();
  } finally {
    await app.close();
  }
});

Deno.test("sign-up keeps the flow: a directive written before signing up starts at once", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const visitor = new Browser(app);
    const asked = await visitor.post("/projects", { directive: "A harbour berth booking tool" });
    assert.equal(asked.status, 302);
    await asked.body?.cancel();
    const signup = asked.headers.get("location")!;
    assert.match(signup, /^\/signup\?directive=/);
    const directive = new URL(signup, app.origin).searchParams.get("directive")!;
    const res = await visitor.post("/signup", {
      email: "flow@example.com",
      password: PASSWORD,
      directive,
    });
    assert.equal(res.status, 302);
    await res.body?.cancel();
    const id = /^\/projects\/([0-9A-Z]{26})$/.exec(res.headers.get("location") ?? "")?.[1];
    assert.ok(id, `landed on ${res.headers.get("location")}`);
    const project = await app.services.repos.projects.getById(id);
    assert.equal(project?.directive, "A harbour berth booking tool");
    const page = await visitor.request(`/projects/${id}`);
    assert.equal(page.status, 200, "signed in, on the live project page");
    await page.body?.cancel();
  } finally {
    await app.close();
  }
});
