/**
 * One table of repository behaviour, run on every driver Atlas9 ships (docs/architecture.md §10):
 * in-memory PGlite, and a real PostgreSQL server through `pg` and through the Neon
 * serverless driver over a local WebSocket bridge.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import { type Database, type Db, openDatabase } from "../../app/db/client.server.ts";
import { migrate } from "../../app/db/migrate.server.ts";
import { MIGRATIONS } from "../../app/db/migrations/bundle.server.ts";
import {
  createRepositories,
  EmailTakenError,
  type Generation,
  InvalidCursorError,
  type Project,
  type Repositories,
  SlugTakenError,
  type User,
} from "../../app/db/repositories.server.ts";
import { apiTokens, generations, projects, users } from "../../app/db/schema.ts";
import type { StageName } from "../../app/blueprint/stages.ts";
import { startNeonBridge } from "../support/neon-bridge.ts";
import { createScratchDatabase, startPostgres } from "../support/postgres.ts";

interface Context {
  database: Database;
  repos: Repositories;
}

interface Case {
  name: string;
  run(context: Context): Promise<void>;
}

let sequence = 0;

/** A user with a unique email, so cases never depend on each other's rows. */
async function newUser({ repos }: Context, label = "user"): Promise<User> {
  sequence += 1;
  return await repos.users.create({
    email: `${label}-${sequence}-${crypto.randomUUID()}@example.com`,
    passwordHash: "hash",
  });
}

async function newProject(
  context: Context,
  options: { userId: string; title?: string; directive?: string; public?: boolean },
): Promise<Project> {
  sequence += 1;
  return await context.repos.projects.create({
    userId: options.userId,
    title: options.title ?? `Project ${sequence}`,
    directive: options.directive ?? "a marketplace where local farmers sell vegetable boxes",
    slug: `project-${sequence}-${crypto.randomUUID().slice(0, 8)}`,
    visibility: options.public ? "public" : "private",
  });
}

function stageResult(
  projectId: string,
  stage: StageName,
  version: number,
  overrides: Partial<Omit<Generation, "id" | "createdAt">> = {},
): Omit<Generation, "id" | "createdAt"> {
  return {
    projectId,
    stage,
    version,
    status: "completed",
    output: { stage, version, features: [{ id: "f1", title: "Boxes" }], note: 'quote " and \\' },
    provider: "offline",
    model: "offline-1",
    inputTokens: 120,
    outputTokens: 480,
    costUsd: 0.0125,
    ttftMs: 12,
    durationMs: 85,
    cached: false,
    repairs: 0,
    inputHash: `hash-${stage}-${version}`,
    ...overrides,
  };
}

/** Rows of a raw query; every driver's result carries `rows`. */
async function rowsOf<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = await db.execute(query) as unknown as { rows: T[] };
  return result.rows;
}

async function listAll(
  repos: Repositories,
  options: { userId: string; limit: number; search?: string },
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Awaited<ReturnType<Repositories["projects"]["listForUser"]>> = await repos
      .projects.listForUser({ ...options, cursor });
    pages += 1;
    assert.ok(page.items.length <= options.limit);
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
  } while (cursor && pages < 100);
  return { ids, pages };
}

const CASES: Case[] = [
  {
    name: "migrations are idempotent and recorded",
    async run({ database }) {
      assert.deepEqual(await migrate(database.db), []);
      assert.deepEqual(
        await Promise.all([migrate(database.db), migrate(database.db)]),
        [[], []],
      );
      const rows = await rowsOf<{ name: string }>(
        database.db,
        sql`SELECT name FROM schema_migrations ORDER BY name`,
      );
      assert.deepEqual(rows.map((row) => row.name), MIGRATIONS.map((m) => m.name));
    },
  },
  {
    name: "the migrated tables match schema.ts column for column",
    async run({ database }) {
      for (const table of [users, apiTokens, projects, generations] as PgTable[]) {
        const config = getTableConfig(table);
        const rows = await rowsOf<{ column_name: string; is_nullable: string }>(
          database.db,
          sql`SELECT column_name, is_nullable FROM information_schema.columns
              WHERE table_schema = current_schema() AND table_name = ${config.name}
              ORDER BY column_name`,
        );
        const actual = rows.map((row) => `${row.column_name}:${row.is_nullable === "NO"}`);
        const expected = config.columns.map((column) => `${column.name}:${column.notNull}`)
          .sort();
        assert.deepEqual(actual, expected, config.name);
      }
    },
  },
  {
    name: "users: emails are stored lowercased and unique regardless of case",
    async run(context) {
      const { repos } = context;
      const email = `Ada.${crypto.randomUUID()}@Example.COM`;
      const user = await repos.users.create({ email: ` ${email} `, passwordHash: "h1" });
      assert.equal(user.email, email.toLowerCase());
      assert.match(user.id, /^[0-9A-Z]{26}$/);
      assert.ok(!Number.isNaN(Date.parse(user.createdAt)));

      await assert.rejects(
        repos.users.create({ email: email.toUpperCase(), passwordHash: "h2" }),
        (error) => error instanceof EmailTakenError && error.email === email.toLowerCase(),
      );

      const found = await repos.users.findByEmail(email.toUpperCase());
      assert.deepEqual(found, { ...user, passwordHash: "h1" });
      assert.deepEqual(await repos.users.getById(user.id), user);
      assert.equal(await repos.users.getById("01ARZ3NDEKTSV4RRFFQ69G5FAV"), null);
      assert.equal(await repos.users.findByEmail("nobody@example.com"), null);
    },
  },
  {
    name: "tokens: lookup by hash, touch, list and revoke (owner only)",
    async run(context) {
      const { repos } = context;
      const owner = await newUser(context, "owner");
      const other = await newUser(context, "other");
      const hash = crypto.randomUUID().replaceAll("-", "");
      const token = await repos.tokens.create({
        userId: owner.id,
        name: "laptop",
        prefix: "a9_abcd",
        tokenHash: hash,
      });
      assert.equal(token.lastUsedAt, null);
      assert.equal(token.revokedAt, null);
      assert.equal("tokenHash" in token, false);

      assert.deepEqual(await repos.tokens.findActiveByHash(hash), { token, user: owner });
      assert.equal(await repos.tokens.findActiveByHash("unknown"), null);

      await repos.tokens.touch(token.id);
      const touched = (await repos.tokens.list(owner.id))[0];
      assert.ok(touched.lastUsedAt);
      await repos.tokens.touch(token.id);
      assert.equal((await repos.tokens.list(owner.id))[0].lastUsedAt, touched.lastUsedAt);

      const second = await repos.tokens.create({
        userId: owner.id,
        name: "phone",
        prefix: "a9_efgh",
        tokenHash: `${hash}-2`,
      });
      assert.deepEqual((await repos.tokens.list(owner.id)).map((t) => t.id), [second.id, token.id]);
      assert.deepEqual(await repos.tokens.list(other.id), []);

      assert.equal(await repos.tokens.revoke({ id: token.id, userId: other.id }), false);
      assert.ok(await repos.tokens.findActiveByHash(hash));
      assert.equal(await repos.tokens.revoke({ id: token.id, userId: owner.id }), true);
      assert.equal(await repos.tokens.revoke({ id: token.id, userId: owner.id }), false);
      assert.equal(await repos.tokens.findActiveByHash(hash), null);
      assert.deepEqual((await repos.tokens.list(owner.id)).map((t) => t.id), [second.id]);

      assert.equal(await repos.tokens.revokeByHash(`${hash}-2`), true);
      assert.equal(await repos.tokens.revokeByHash(`${hash}-2`), false);
      assert.equal(await repos.tokens.findActiveByHash(`${hash}-2`), null);
    },
  },
  {
    name: "projects: CRUD is owner-only and slugs are unique",
    async run(context) {
      const { repos } = context;
      const owner = await newUser(context, "owner");
      const other = await newUser(context, "other");
      const project = await newProject(context, { userId: owner.id, title: "Farm boxes" });
      assert.equal(project.visibility, "private");
      assert.equal(project.status, "queued");
      assert.equal(project.createdAt, project.updatedAt);

      assert.deepEqual(
        await repos.projects.getForUser({ id: project.id, userId: owner.id }),
        project,
      );
      assert.equal(await repos.projects.getForUser({ id: project.id, userId: other.id }), null);
      assert.deepEqual(await repos.projects.getById(project.id), project);
      assert.equal(await repos.projects.getPublicBySlug(project.slug), null);

      await assert.rejects(
        repos.projects.create({
          userId: other.id,
          title: "Copy",
          directive: "copy",
          slug: project.slug,
          visibility: "public",
        }),
        (error) => error instanceof SlugTakenError && error.slug === project.slug,
      );

      assert.equal(
        await repos.projects.update({ id: project.id, userId: other.id, visibility: "public" }),
        null,
      );
      const updated = await repos.projects.update({
        id: project.id,
        userId: owner.id,
        title: "Veg boxes",
        visibility: "public",
      });
      assert.ok(updated);
      assert.equal(updated.title, "Veg boxes");
      assert.equal(updated.visibility, "public");
      assert.equal(updated.directive, project.directive);
      assert.ok(updated.updatedAt >= project.updatedAt);
      assert.deepEqual(await repos.projects.getPublicBySlug(project.slug), updated);

      assert.equal(await repos.projects.rename({ id: project.id, title: "Harvest Box" }), true);
      assert.equal((await repos.projects.getById(project.id))?.title, "Harvest Box");
      assert.equal(await repos.projects.setStatus({ id: project.id, status: "running" }), true);
      assert.equal((await repos.projects.getById(project.id))?.status, "running");
      assert.equal(
        await repos.projects.setStatus({ id: "01ARZ3NDEKTSV4RRFFQ69G5FAV", status: "failed" }),
        false,
      );

      await repos.generations.insert(stageResult(project.id, "product", 1));
      assert.equal(await repos.projects.delete({ id: project.id, userId: other.id }), false);
      assert.equal(await repos.projects.delete({ id: project.id, userId: owner.id }), true);
      assert.equal(await repos.projects.delete({ id: project.id, userId: owner.id }), false);
      assert.equal(await repos.projects.getById(project.id), null);
      assert.deepEqual(await repos.generations.list({ projectId: project.id }), []);
    },
  },
  {
    name: "projects: cursor pagination has no repeats or gaps, even with equal timestamps",
    async run(context) {
      const { repos, database } = context;
      const owner = await newUser(context, "pager");
      const noise = await newUser(context, "noise");
      await newProject(context, { userId: noise.id });
      const created: Project[] = [];
      for (let i = 0; i < 25; i++) created.push(await newProject(context, { userId: owner.id }));
      // Two groups of identical timestamps: only the id can order rows within a group.
      const ids = created.map((project) => project.id);
      await database.db.execute(sql`
        UPDATE projects SET created_at = CASE WHEN id IN (${
        sql.join(ids.slice(0, 12).map((id) => sql`${id}`), sql`, `)
      })
          THEN '2020-01-01T00:00:00.000Z'::timestamptz ELSE '2020-01-02T00:00:00.000Z'::timestamptz END
        WHERE user_id = ${owner.id}`);
      const newestFirst = [...ids.slice(12).sort().reverse(), ...ids.slice(0, 12).sort().reverse()];

      for (const limit of [1, 7, 12, 25, 100]) {
        const { ids: listed, pages } = await listAll(repos, { userId: owner.id, limit });
        assert.deepEqual(listed, newestFirst, `limit ${limit}`);
        assert.equal(pages, Math.max(1, Math.ceil(25 / limit)), `pages at limit ${limit}`);
      }

      const first = await repos.projects.listForUser({ userId: owner.id, limit: 10 });
      await newProject(context, { userId: owner.id });
      const second = await repos.projects.listForUser({
        userId: owner.id,
        limit: 10,
        cursor: first.nextCursor,
      });
      assert.deepEqual(second.items.map((p) => p.id), newestFirst.slice(10, 20));

      const clamped = await repos.projects.listForUser({ userId: owner.id, limit: 0 });
      assert.equal(clamped.items.length, 1);
      for (const cursor of ["garbage", btoa("[1,2]"), "W10"]) {
        await assert.rejects(
          repos.projects.listForUser({ userId: owner.id, limit: 5, cursor }),
          InvalidCursorError,
        );
      }
    },
  },
  {
    name: "projects: search matches title or directive, with % and _ taken literally",
    async run(context) {
      const { repos } = context;
      const owner = await newUser(context, "searcher");
      const titles = ["100% Organic", "100 percent", "snake_case tool", "snakeXcase tool", "a\\b"];
      const byTitle = new Map<string, string>();
      for (const title of titles) {
        byTitle.set(title, (await newProject(context, { userId: owner.id, title })).id);
      }
      const viaDirective = await newProject(context, {
        userId: owner.id,
        title: "Plain",
        directive: "booking for DOG groomers",
      });
      const search = async (text: string) =>
        (await repos.projects.listForUser({ userId: owner.id, limit: 50, search: text })).items
          .map((p) => p.id).sort();
      const ids = (...names: string[]) => names.map((name) => byTitle.get(name)!).sort();

      assert.deepEqual(await search("%"), ids("100% Organic"));
      assert.deepEqual(await search("0% o"), ids("100% Organic"));
      assert.deepEqual(await search("_"), ids("snake_case tool"));
      assert.deepEqual(await search("snake_case"), ids("snake_case tool"));
      assert.deepEqual(await search("\\"), ids("a\\b"));
      assert.deepEqual(await search("SNAKE"), ids("snake_case tool", "snakeXcase tool"));
      assert.deepEqual(await search("dog groom"), [viaDirective.id]);
      assert.deepEqual(await search("nothing like this"), []);
      assert.equal((await search("  ")).length, titles.length + 1);
    },
  },
  {
    name: "projects: the public list shows only public projects, newest first",
    async run(context) {
      const { repos } = context;
      const owner = await newUser(context, "publisher");
      const shown = await newProject(context, { userId: owner.id, public: true });
      const hidden = await newProject(context, { userId: owner.id });
      const newer = await newProject(context, { userId: owner.id, public: true });
      const page = await repos.projects.listPublic({ limit: 100 });
      const ids = page.items.map((p) => p.id);
      assert.ok(page.items.every((p) => p.visibility === "public"));
      assert.ok(!ids.includes(hidden.id));
      assert.ok(ids.indexOf(newer.id) < ids.indexOf(shown.id) && ids.indexOf(newer.id) >= 0);
    },
  },
  {
    name: "generations: a duplicate (project, stage, version) is not written twice",
    async run(context) {
      const { repos, database } = context;
      const owner = await newUser(context);
      const project = await newProject(context, { userId: owner.id });
      assert.equal(
        await repos.generations.nextVersion({ projectId: project.id, stage: "product" }),
        1,
      );

      const input = stageResult(project.id, "product", 1, { inputHash: null, cached: true });
      const row = await repos.generations.insert(input);
      assert.ok(row);
      const { id: _id, createdAt: _createdAt, ...stored } = row;
      assert.deepEqual(stored, input);
      assert.equal(typeof row.costUsd, "number");

      const duplicate = await repos.generations.insert({ ...input, output: { other: true } });
      assert.equal(duplicate, null);
      assert.deepEqual(
        await repos.generations.get({ projectId: project.id, stage: "product", version: 1 }),
        row,
      );
      const [kind] = await rowsOf<{ kind: string }>(
        database.db,
        sql`SELECT jsonb_typeof(output) AS kind FROM generations WHERE id = ${row.id}`,
      );
      assert.equal(kind.kind, "object");

      assert.equal(
        await repos.generations.nextVersion({ projectId: project.id, stage: "product" }),
        2,
      );
      assert.equal(
        await repos.generations.nextVersion({ projectId: project.id, stage: "brand" }),
        1,
      );
      assert.equal(
        await repos.generations.get({ projectId: project.id, stage: "product", version: 2 }),
        null,
      );
    },
  },
  {
    name: "generations: latest per stage in one query, history in pipeline order",
    async run(context) {
      const { repos } = context;
      const owner = await newUser(context);
      const project = await newProject(context, { userId: owner.id });
      const empty = await newProject(context, { userId: owner.id });
      for (
        const [stage, version] of [
          ["code", 1],
          ["product", 1],
          ["product", 2],
          ["brand", 1],
          ["product", 3],
          ["architecture", 1],
        ] as const
      ) {
        await repos.generations.insert(stageResult(project.id, stage, version));
      }

      const latest = await repos.generations.latestByProject(project.id);
      assert.deepEqual(
        Object.fromEntries(Object.entries(latest).map(([stage, g]) => [stage, g.version])),
        { product: 3, brand: 1, architecture: 1, code: 1 },
      );
      assert.deepEqual(latest.product?.output, stageResult(project.id, "product", 3).output);
      assert.deepEqual(await repos.generations.latestByProject(empty.id), {});

      const many = await repos.generations.latestForProjects([project.id, empty.id, "missing"]);
      assert.deepEqual(Object.keys(many).sort(), [project.id, empty.id, "missing"].sort());
      assert.deepEqual(many[project.id], latest);
      assert.deepEqual(many[empty.id], {});
      assert.deepEqual(await repos.generations.latestForProjects([]), {});

      const history = await repos.generations.list({ projectId: project.id });
      assert.deepEqual(history.map((g) => `${g.stage}@${g.version}`), [
        "product@3",
        "product@2",
        "product@1",
        "brand@1",
        "architecture@1",
        "code@1",
      ]);
      const products = await repos.generations.list({ projectId: project.id, stage: "product" });
      assert.deepEqual(products.map((g) => g.version), [3, 2, 1]);

      // Outputs by id, in one query, only of the project's own rows.
      const other = await newProject(context, { userId: owner.id });
      const foreign = await repos.generations.insert(stageResult(other.id, "product", 1));
      const outputs = await repos.generations.outputs({
        projectId: project.id,
        ids: [latest.product!.id, latest.brand!.id, foreign!.id, "missing"],
      });
      assert.deepEqual([...outputs.keys()].sort(), [latest.product!.id, latest.brand!.id].sort());
      assert.deepEqual(outputs.get(latest.product!.id), latest.product!.output);
      assert.equal((await repos.generations.outputs({ projectId: project.id, ids: [] })).size, 0);
    },
  },
  {
    name: "generations: markStale marks only the latest completed version of listed stages",
    async run(context) {
      const { repos } = context;
      const owner = await newUser(context);
      const project = await newProject(context, { userId: owner.id });
      await repos.generations.insert(stageResult(project.id, "product", 1));
      await repos.generations.insert(stageResult(project.id, "brand", 1));
      await repos.generations.insert(stageResult(project.id, "brand", 2));
      await repos.generations.insert(stageResult(project.id, "design", 1, { status: "failed" }));

      const marked = await repos.generations.markStale({
        projectId: project.id,
        stages: ["brand", "design", "code"],
      });
      assert.equal(marked, 1);
      const status = async (stage: StageName, version: number) =>
        (await repos.generations.get({ projectId: project.id, stage, version }))?.status;
      assert.equal(await status("brand", 2), "stale");
      assert.equal(await status("brand", 1), "completed");
      assert.equal(await status("design", 1), "failed");
      assert.equal(await status("product", 1), "completed");
      assert.equal(
        await repos.generations.markStale({ projectId: project.id, stages: ["brand"] }),
        0,
      );
      assert.equal(await repos.generations.markStale({ projectId: project.id, stages: [] }), 0);
    },
  },
  {
    name: "generations: spend adds up a user's costs since a time",
    async run(context) {
      const { repos } = context;
      const owner = await newUser(context);
      const other = await newUser(context);
      const before = new Date(Date.now() - 60_000);
      const [a, b] = [
        await newProject(context, { userId: owner.id }),
        await newProject(context, { userId: owner.id }),
      ];
      const elsewhere = await newProject(context, { userId: other.id });
      await repos.generations.insert(stageResult(a.id, "product", 1, { costUsd: 0.1 }));
      await repos.generations.insert(stageResult(b.id, "product", 1, { costUsd: 0.02 }));
      await repos.generations.insert(stageResult(b.id, "brand", 1, { costUsd: 0.00000003 }));
      await repos.generations.insert(stageResult(elsewhere.id, "product", 1, { costUsd: 5 }));

      const spent = await repos.generations.spendSince({ userId: owner.id, since: before });
      assert.ok(Math.abs(spent - 0.12000003) < 1e-12, String(spent));
      const future = new Date(Date.now() + 3_600_000).toISOString();
      assert.equal(await repos.generations.spendSince({ userId: owner.id, since: future }), 0);
    },
  },
];

async function runCases(t: Deno.TestContext, database: Database): Promise<void> {
  assert.deepEqual(await migrate(database.db), MIGRATIONS.map((m) => m.name));
  await database.ping();
  const context = { database, repos: createRepositories(database) };
  for (const testCase of CASES) {
    await t.step(testCase.name, () => testCase.run(context));
  }
}

Deno.test("db repositories: PGlite in memory", async (t) => {
  const database = await openDatabase({ url: "memory://", dataDir: "unused" });
  try {
    assert.equal(database.driver, "pglite");
    await runCases(t, database);
  } finally {
    await database.close();
  }
});

Deno.test("db repositories: PostgreSQL via pg and via the Neon driver", async (t) => {
  const server = await startPostgres();
  const bridge = await startNeonBridge();
  try {
    const open = (url: string, driver: "pg" | "neon") =>
      openDatabase({ url, dataDir: "unused", driver, neonWsProxy: bridge.wsProxy });

    for (const driver of ["pg", "neon"] as const) {
      await t.step(`via ${driver}`, async (t) => {
        const scratch = await createScratchDatabase(server.url);
        const database = await open(scratch.url, driver);
        try {
          assert.equal(database.driver, driver);
          await runCases(t, database);
        } finally {
          await database.close();
          await scratch.drop();
        }
      });
    }

    await t.step(
      "two instances migrating a fresh database at once apply each file once",
      async () => {
        const scratch = await createScratchDatabase(server.url);
        const [a, b] = await Promise.all([open(scratch.url, "pg"), open(scratch.url, "neon")]);
        try {
          const applied = await Promise.all([migrate(a.db), migrate(b.db)]);
          assert.deepEqual(applied.flat().sort(), MIGRATIONS.map((m) => m.name).sort());
          const rows = await rowsOf<{ count: string | number }>(
            a.db,
            sql`SELECT count(*) AS count FROM schema_migrations`,
          );
          assert.equal(Number(rows[0].count), MIGRATIONS.length);
        } finally {
          await Promise.all([a.close(), b.close()]);
          await scratch.drop();
        }
      },
    );

    await t.step(
      "only the anonymous public list goes to DATABASE_READ_URL, the rest to the primary",
      async () => {
        // A separate, empty database stands in for the replica, so each read shows its source.
        const primaryDb = await createScratchDatabase(server.url);
        const replicaDb = await createScratchDatabase(server.url);
        const database = await openDatabase({
          url: primaryDb.url,
          readUrl: replicaDb.url,
          dataDir: "unused",
        });
        try {
          assert.notEqual(database.readDb, database.db);
          await migrate(database.db);
          await migrate(database.readDb);
          await database.ping();
          const context = { database, repos: createRepositories(database) };
          const owner = await newUser(context);
          const project = await newProject(context, { userId: owner.id, public: true });
          await context.repos.generations.insert(stageResult(project.id, "product", 1));
          const { projects: repo, generations: gens } = context.repos;

          assert.ok(await repo.getForUser({ id: project.id, userId: owner.id }));
          assert.ok(await repo.getById(project.id));
          assert.ok((await gens.latestByProject(project.id)).product);
          // Owner paths and the public page read the primary (issue 14 item 3); only the
          // anonymous public list reads the replica.
          assert.equal((await repo.getPublicBySlug(project.slug))?.id, project.id);
          assert.deepEqual((await repo.listPublic({ limit: 10 })).items, []);
          assert.deepEqual(
            (await repo.listForUser({ userId: owner.id, limit: 10 })).items.map((p) => p.id),
            [project.id],
          );
          assert.ok((await gens.latestForProjects([project.id]))[project.id].product);
        } finally {
          await database.close();
          await Promise.all([primaryDb.drop(), replicaDb.drop()]);
        }
      },
    );
  } finally {
    await bridge.close();
    await server.stop();
  }
});
