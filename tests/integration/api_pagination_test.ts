/** Cursor pagination of `GET /api/v1/projects`: no repeats, no gaps, bounded limits. */
import assert from "node:assert/strict";
import { makeSlug } from "../../app/projects/projects.server.ts";
import { signUp, startApi } from "../support/api.ts";
import type { ApiApp } from "../support/api.ts";

/** Creates projects straight in the repository: paging is the subject, not generation. */
async function createProjects(api: ApiApp, userId: string, count: number, label: string) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const title = `${label} ${i}`;
    const project = await api.app.services.repos.projects.create({
      userId,
      directive: `a product numbered ${label} ${i}`,
      title,
      slug: makeSlug(title),
    });
    ids.push(project.id);
  }
  return ids;
}

Deno.test("paging sees every project once while others are created concurrently", async () => {
  const api = await startApi();
  try {
    const { token, userId } = await signUp(api);
    const existing = await createProjects(api, userId, 57, "existing");

    const seen: { id: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let creating: Promise<string[]> | null = null;
    do {
      const query: string = cursor ? `?limit=7&cursor=${encodeURIComponent(cursor)}` : "?limit=7";
      const page = await api.call("GET", `/api/v1/projects${query}`, { token });
      assert.equal(page.status, 200, page.text);
      assert.ok(page.json.items.length <= 7);
      seen.push(...page.json.items);
      cursor = page.json.nextCursor;
      pages++;
      // New projects land while the client is between pages.
      creating ??= createProjects(api, userId, 30, "concurrent");
    } while (cursor !== null);
    const concurrent = await creating!;

    const ids = seen.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, "no project is listed twice");
    const missing = existing.filter((id) => !ids.includes(id));
    assert.deepEqual(missing, [], "no existing project is skipped");
    assert.ok(ids.every((id) => existing.includes(id) || concurrent.includes(id)));
    assert.equal(pages, Math.ceil(ids.length / 7));
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1], seen[i]];
      assert.ok(
        a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id),
        "newest first, strictly",
      );
    }

    const all = await api.call("GET", "/api/v1/projects?limit=100", { token });
    assert.equal(all.json.items.length, 87);
    assert.equal(all.json.nextCursor, null);
  } finally {
    await api.close();
  }
});

Deno.test("limit is 1–100 (default 20) and cursors are opaque and checked", async () => {
  const api = await startApi();
  try {
    const { token, userId } = await signUp(api);
    await createProjects(api, userId, 25, "p");
    const get = (query: string) => api.call("GET", `/api/v1/projects${query}`, { token });

    assert.equal((await get("")).json.items.length, 20);
    assert.equal((await get("?limit=1")).json.items.length, 1);
    assert.equal((await get("?limit=100")).json.items.length, 25);
    for (const bad of ["0", "101", "-1", "2.5", "ten", ""]) {
      const response = await get(`?limit=${bad}`);
      assert.equal(response.status, 400, `limit=${bad}`);
      assert.equal(response.json.type, "https://atlas9.dev/problems/invalid-parameter");
      assert.ok(response.json.errors.limit, `limit=${bad} names the field`);
    }
    const twice = await get("?limit=5&limit=6");
    assert.equal(twice.status, 400);

    const first = await get("?limit=5");
    const cursor: string = first.json.nextCursor;
    assert.match(cursor, /^[A-Za-z0-9_-]+$/, "URL-safe");
    const forged = [
      "garbage",
      "%%%",
      btoa(JSON.stringify(["2020", "01J0000000000000000000000Z"])),
      btoa(JSON.stringify(["not a date", "x"])),
      btoa(JSON.stringify({ id: 1 })),
      cursor.slice(0, -3),
      "x".repeat(600),
    ];
    for (const bad of forged) {
      const response = await get(`?cursor=${encodeURIComponent(bad)}`);
      assert.equal(response.status, 400, `cursor ${bad.slice(0, 40)}: ${response.text}`);
      assert.ok(response.json.errors.cursor);
    }
  } finally {
    await api.close();
  }
});
