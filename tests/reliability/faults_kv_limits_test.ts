/**
 * Fault: values near and beyond Deno KV's limits (64 KiB per value, 2 KiB per key, 800 KiB and
 * 1000 mutations per atomic operation) are chunked or refused cleanly — never a 500.
 */
import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import { startTestApp } from "../support/app.ts";
import type { TestApp } from "../support/app.ts";
import { readSse } from "../support/scripted.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";
import type { GenerateStage } from "../../app/generation/pipeline.server.ts";
import type { CodeSpec } from "../../app/blueprint/schemas.ts";
import { issueToken } from "../../app/api/tokens.server.ts";
import { createProject, report, signedIn } from "../support/reliability.ts";

/** Size of one padding file's content; the code schema allows 60,000 characters per file. */
const FILE_CHARS = 50_000;

/**
 * The offline engine, with the code stage padded to about `codeBytes` bytes of JSON (ASCII
 * text with one non-Latin-1 character per file, which V8 stores as UTF-16: twice the bytes).
 * Deltas carry the partial output so far, as hosted providers send it.
 */
function paddedGenerate(codeBytes: () => number): GenerateStage {
  return async function* (request) {
    yield { type: "started", provider: "padded", model: "padded-1" };
    let output = generateStage(request.stage, request.directive, request.inputs as never);
    if (request.stage === "code") {
      const code = structuredClone(output) as CodeSpec;
      code.files = code.files.slice(0, 1);
      code.entrypoint = code.files[0].path;
      let missing = codeBytes() - JSON.stringify(code).length;
      for (let i = 0; missing > 0 && code.files.length < 80; i++) {
        const chars = Math.min(FILE_CHARS, Math.max(1, missing - 120));
        const content = `// padding → ${i}\n`.padEnd(chars, "x");
        code.files.push({ path: `padding/file-${i}.txt`, language: "text", content });
        missing = codeBytes() - JSON.stringify(code).length;
      }
      for (let n = 1; n <= code.files.length; n += Math.ceil(code.files.length / 4)) {
        yield { type: "delta", partial: { files: code.files.slice(0, n) } };
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
      output = code;
    }
    yield {
      type: "completed",
      output,
      usage: {
        provider: "padded",
        model: "padded-1",
        inputTokens: 1,
        outputTokens: 1,
        costUsd: 0,
        ttftMs: 1,
        durationMs: 1,
        cached: false,
      },
    };
  };
}

/** Sizes of the code stage's JSON around each limit, and the largest the schema allows. */
const SIZES = [
  { label: "just under the inline-event bound (30,000 B)", bytes: 29_800 },
  { label: "just over the inline-event bound", bytes: 30_300 },
  { label: "just under one chunk (60,000 B)", bytes: 59_700 },
  { label: "just over KV's 64 KiB value limit", bytes: 65_700 },
  { label: "beyond one atomic operation (800 KiB)", bytes: 900_000 },
  { label: "the largest the code schema allows (~4 MB)", bytes: 4_000_000 },
];

async function assertNot500(app: TestApp, path: string, init?: RequestInit): Promise<Response> {
  const res = await app.fetch(path, init);
  assert.ok(res.status < 500, `${path} answered ${res.status}`);
  return res;
}

Deno.test({
  name:
    "kv limits: stage outputs around 30 KB, 60 KB, 64 KiB, 800 KiB and 4 MB stream, replay and render",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    let target = 0;
    const app = await startTestApp({ generate: paddedGenerate(() => target) });
    try {
      const owner = await signedIn(app, "kv-limits@example.com");
      const user = await app.services.repos.users.findByEmail("kv-limits@example.com");
      const { token } = await issueToken({ services: app.services, userId: user!.id, name: "kv" });
      for (const size of SIZES) {
        target = size.bytes;
        const id = await createProject(owner);
        const res = await owner.request(`/projects/${id}/events`);
        assert.equal(res.status, 200);
        const events = await readSse(res, {
          until: (e) => e.event === "generation.completed" || e.event === "stage.failed",
        });
        assert.equal(events.at(-1)?.event, "generation.completed", `${size.label}: completes`);
        assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1), "ids are 1..n");
        const completed = events.find((e) =>
          e.event === "stage.completed" && e.data.stage === "code"
        )!;
        const eventBytes = new TextEncoder().encode(JSON.stringify(completed.data)).byteLength;
        const row = await app.services.repos.generations.get({
          projectId: id,
          stage: "code",
          version: 1,
        });
        assert.deepEqual(completed.data.output, row!.output, `${size.label}: event = stored row`);

        const replay = await readSse(
          await owner.request(`/projects/${id}/events`, {
            headers: { "Last-Event-ID": String(completed.id - 1) },
          }),
          { until: (e) => e.event === "generation.completed" },
        );
        assert.equal(replay[0].id, completed.id);
        assert.deepEqual(replay[0].data, completed.data, `${size.label}: replay is identical`);

        const api = await assertNot500(app, `/api/v1/projects/${id}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        assert.equal(api.status, 200);
        assert.deepEqual((await api.json()).stages.code.output, row!.output);
        for (const path of [`/projects/${id}`, `/projects/${id}/export.md`]) {
          const page = await owner.request(path);
          assert.equal(page.status, 200, `${size.label}: ${path}`);
          await page.body?.cancel();
        }
        const zip = await owner.request(`/projects/${id}/export.zip`);
        assert.equal(zip.status, 200);
        const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
        const codeFiles = (row!.output as CodeSpec).files;
        assert.equal(
          Object.keys(files).filter((n) => n.startsWith("code/")).length,
          codeFiles.length,
        );

        const publish = await owner.post(`/projects/${id}`, {
          intent: "visibility",
          visibility: "public",
        });
        assert.equal(publish.status, 302);
        await publish.body?.cancel();
        const project = await app.services.repos.projects.getById(id);
        for (let visit = 0; visit < 2; visit++) {
          // The second visit reads the chunked KV copy of the page.
          for (const path of [`/p/${project!.slug}`, `/api/v1/public/projects/${project!.slug}`]) {
            const res = await assertNot500(app, path);
            assert.equal(res.status, 200, `${size.label}: ${path}`);
            await res.body?.cancel();
          }
        }
        const og = await assertNot500(app, `/p/${project!.slug}/og.png`);
        assert.equal(og.status, 200);
        await og.body?.cancel();
        report(`kv limits: ${size.label}: stage.completed event bytes`, eventBytes);
      }
    } finally {
      await app.services.pipeline.idle();
      await app.close();
    }
  },
});

Deno.test("kv limits: user input that would make a key over 2 KiB is refused, never a 500", async () => {
  const app = await startTestApp({ generate: paddedGenerate(() => 0) });
  try {
    const browser = await signedIn(app, "kv-keys@example.com");
    const user = await app.services.repos.users.findByEmail("kv-keys@example.com");
    const { token } = await issueToken({ services: app.services, userId: user!.id, name: "kv" });
    const long = "a".repeat(3_000);
    const auth = { Authorization: `Bearer ${token}` };
    const cases: { label: string; path: string; init?: RequestInit; expect: number[] }[] = [
      { label: "public page slug", path: `/p/${long}`, expect: [404] },
      { label: "OG image slug", path: `/p/${long}/og.png`, expect: [404] },
      { label: "public API slug", path: `/api/v1/public/projects/${long}`, expect: [404] },
      { label: "project id", path: `/projects/${long}`, expect: [404] },
      { label: "project events id", path: `/projects/${long}/events`, expect: [404] },
      { label: "export id", path: `/projects/${long}/export.zip`, expect: [404] },
      {
        label: "API project id",
        path: `/api/v1/projects/${long}`,
        init: { headers: auth },
        expect: [404],
      },
      {
        label: "cursor",
        path: `/api/v1/projects?cursor=${long}`,
        init: { headers: auth },
        expect: [400],
      },
      { label: "dashboard search", path: `/projects?q=${long}`, expect: [200] },
      { label: "dashboard cursor", path: `/projects?cursor=${long}`, expect: [400] },
      {
        label: "Idempotency-Key",
        path: "/api/v1/projects",
        init: {
          method: "POST",
          headers: { ...auth, "Content-Type": "application/json", "Idempotency-Key": long },
          body: JSON.stringify({
            directive: "A marketplace where local farmers sell vegetable boxes",
          }),
        },
        expect: [400],
      },
      {
        label: "Last-Event-ID",
        path: "/api/v1/projects",
        init: { headers: { ...auth, "Last-Event-ID": long } },
        expect: [200, 400],
      },
    ];
    for (const c of cases) {
      const res = c.path.startsWith("/api/")
        ? await app.fetch(c.path, c.init)
        : await browser.request(
          c.path,
          c.init,
        );
      assert.ok(c.expect.includes(res.status), `${c.label}: ${res.status}, expected ${c.expect}`);
      await res.body?.cancel();
    }
    const login = await app.fetch("/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.origin },
      body: new URLSearchParams({ email: `${long}@example.com`, password: long }),
      redirect: "manual",
    });
    assert.equal(login.status, 400, "a 3,000-character email is a field error");
    await login.body?.cancel();
    const projects = await app.services.repos.projects.listForUser({ userId: user!.id, limit: 10 });
    assert.equal(projects.items.length, 0, "nothing was created");
  } finally {
    await app.close();
  }
});
