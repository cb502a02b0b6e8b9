/**
 * Issue 15 item 7: a shared cache in front (a CDN) must never store what a signed-in user got.
 * Every page, export, event stream and API v1 GET such a user reaches either says so
 * (`Cache-Control: private` or `no-store`) or is byte for byte the anonymous answer and carries
 * nothing of the user's.
 */
import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { startTestApp } from "../support/app.ts";
import type { Browser, TestApp } from "../support/app.ts";
import { scriptedGenerate } from "../support/scripted.ts";
import { issueToken } from "../../app/api/tokens.server.ts";
import { finishedProject, projectForm, signedIn } from "../support/web.ts";

const EMAIL = "cache-owner@example.com";
const SHARED_CACHE_SAFE = /\b(private|no-store)\b/i;

interface Seen {
  path: string;
  status: number;
  cacheControl: string;
  bytes: Uint8Array;
  etag: string | null;
  /** The Accept-Encoding it was asked with. */
  encoding: string;
}

/** Reads a response fully, or (event streams) only its head. */
async function seen(path: string, res: Response, encoding = "identity"): Promise<Seen> {
  const stream = (res.headers.get("content-type") ?? "").startsWith("text/event-stream");
  const raw = stream ? new Uint8Array() : new Uint8Array(await res.arrayBuffer());
  // Compared as the client reads them: encodings may differ in compression level.
  const coding = res.headers.get("content-encoding");
  const bytes = coding === "br"
    ? new Uint8Array(brotliDecompressSync(raw))
    : coding === "gzip"
    ? new Uint8Array(gunzipSync(raw))
    : raw;
  if (stream) await res.body?.cancel();
  return {
    path,
    status: res.status,
    cacheControl: res.headers.get("cache-control") ?? "",
    bytes,
    etag: res.headers.get("etag"),
    encoding,
  };
}

/** Asserts a signed-in answer is private, or is the anonymous answer with nothing of the user. */
async function assertSharedCacheSafe(app: TestApp, answer: Seen, userData: string[]) {
  if (SHARED_CACHE_SAFE.test(answer.cacheControl)) return;
  const anonymous = await seen(
    answer.path,
    await app.fetch(answer.path, {
      redirect: "manual",
      headers: { "Accept-Encoding": answer.encoding },
    }),
    answer.encoding,
  );
  const where = `${answer.path} (${answer.status}, Cache-Control: "${answer.cacheControl}")`;
  assert.equal(
    anonymous.status,
    answer.status,
    `${where} is storable but not the anonymous answer`,
  );
  const same = anonymous.bytes.length === answer.bytes.length &&
    anonymous.bytes.every((byte, i) => byte === answer.bytes[i]);
  assert.ok(same, `${where} is storable but differs from the anonymous answer`);
  const text = new TextDecoder().decode(answer.bytes);
  for (const value of userData) {
    assert.ok(!text.includes(value), `${where} is storable and carries "${value}"`);
  }
}

Deno.test("no signed-in answer is storable by a shared cache", async () => {
  const app = await startTestApp({ generate: scriptedGenerate().generate });
  try {
    const owner: Browser = await signedIn(app, EMAIL);
    const open = await finishedProject(app, owner, "A tool library for a street of neighbours");
    await projectForm(owner, open.id, { intent: "visibility", visibility: "public" });
    const closed = await finishedProject(app, owner, "A private diary for beekeepers");
    const user = await app.services.repos.users.findByEmail(EMAIL);
    assert.ok(user);
    const { token } = await issueToken({ services: app.services, userId: user.id, name: "cdn" });
    const userData = [EMAIL, closed.id, closed.slug, token];

    // Warm the stored anonymous answers first, so a signed-in request could only be mistaken
    // for one by the code under test, not by a cold store.
    for (const path of ["/", `/p/${open.slug}`, `/api/v1/public/projects/${open.slug}`]) {
      await (await app.fetch(path)).body?.cancel();
    }

    const data = (path: string, route: string) =>
      `${path}${path.includes("?") ? "&" : "?"}_data=${encodeURIComponent(route)}`;
    const pages = [
      "/",
      "/?directive=a%20bakery",
      "/projects",
      `/projects/${open.id}`,
      `/projects/${closed.id}`,
      `/projects/${closed.id}?file=0`,
      "/settings",
      "/api/docs",
      "/status",
      "/login",
      "/signup",
      `/p/${open.slug}`,
      `/p/${open.slug}?file=0`,
      `/p/${closed.slug}`,
      `/p/${open.slug}/og.png`,
      `/projects/${closed.id}/export.md`,
      `/projects/${closed.id}/export.zip`,
      `/projects/${closed.id}/events`,
      "/no-such-page",
      // Client-side navigation fetches the loaders' JSON under the same paths.
      data("/", "root"),
      data("/", "routes/_index"),
      data("/projects", "routes/projects._index"),
      data(`/projects/${closed.id}`, "routes/projects.$id"),
      data("/settings", "routes/settings"),
      data(`/p/${open.slug}`, "routes/p.$slug"),
    ];
    const answers: Seen[] = [];
    for (const path of pages) {
      answers.push(await seen(path, await owner.request(path)));
    }

    const api = [
      "/api/v1/projects",
      `/api/v1/projects/${closed.id}`,
      `/api/v1/projects/${closed.id}/generations`,
      `/api/v1/projects/${closed.id}/events`,
      `/api/v1/public/projects/${open.slug}`,
      "/api/v1/openapi.json",
      "/api/v1/no-such-endpoint",
    ];
    for (const path of api) {
      for (const encoding of ["identity", "gzip, br"]) {
        const headers = { Authorization: `Bearer ${token}`, "Accept-Encoding": encoding };
        const answer = await seen(path, await app.fetch(path, { headers }), encoding);
        answers.push(answer);
        if (!answer.etag) continue;
        // A revalidation answers 304 with the same policy.
        const again = await app.fetch(path, {
          headers: { ...headers, "If-None-Match": answer.etag },
        });
        const revalidated = await seen(path, again);
        assert.equal(revalidated.status, 304, `${path} revalidates`);
        assert.equal(
          revalidated.cacheControl,
          answer.cacheControl,
          `${path}: 304 keeps the policy`,
        );
      }
    }

    assert.ok(answers.filter((a) => a.status === 200).length >= 25, "the routes were reached");
    const failures: string[] = [];
    for (const answer of answers) {
      await assertSharedCacheSafe(app, answer, userData).catch((e) => failures.push(e.message));
    }
    assert.deepEqual(failures, []);
  } finally {
    await app.close();
  }
});
