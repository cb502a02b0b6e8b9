/**
 * The project's own smoke test (`deno task test`): applies the migrations to DATABASE_URL,
 * serves the app in-process and walks the whole API the way a client would. It fails on any
 * 5xx and on any value that does not come back exactly as it was sent.
 */
import { assert, assertEquals } from "./assert.ts";
import { createApp } from "../src/app.ts";
import { createPool } from "../src/db.ts";
import { migrate } from "../src/migrate.ts";
import { model } from "../src/model.ts";
import { listSchema, problemSchema, recordSchema, rowSchema, writable } from "../src/schemas.ts";
import type { Column, Entity, Route } from "../src/types.ts";

type Json = Record<string, unknown>;

const entities = new Map(model.entities.map((entity) => [entity.name, entity]));
const userId = crypto.randomUUID();
const created = new Map<string, Json>();
let counter = 0;

/** A valid, fresh value for a column; unique columns get values no earlier run used. */
function sample(column: Column): unknown {
  const n = ++counter;
  const salt = Math.floor(Math.random() * 1_000_000);
  if (column.references !== null) {
    if (column.references === model.userEntity) return userId;
    if (!entities.has(column.references)) return crypto.randomUUID();
    return created.get(column.references)?.id ?? undefined;
  }
  switch (column.type) {
    case "uuid":
      return crypto.randomUUID();
    case "text":
      return /mail/i.test(column.key)
        ? `user${n}.${salt}@example.com`
        : `${column.key} ${n}-${salt} «ü»`;
    case "integer":
      return column.unique ? salt * 100 + n : n + 1;
    case "numeric":
      return (column.unique ? salt * 100 + n : n) + 0.25;
    case "boolean":
      return n % 2 === 0;
    case "timestamp":
      return new Date(Date.UTC(2026, 0, 1, 10, 30) + (salt * 100 + n) * 60_000).toISOString();
    case "date":
      return new Date(Date.UTC(2026, 0, 1) + (salt % 3000 + n) * 86_400_000).toISOString()
        .slice(0, 10);
    case "jsonb":
      return { sample: [n, "x"], nested: { ok: true } };
  }
}

/** A valid create body; a unique reference gets a parent row of its own. */
async function body(entity: Entity): Promise<Json> {
  const values: Json = {};
  for (const column of writable(entity)) {
    if (column.defaulted && column.type !== "boolean") continue;
    const parent = column.references === null ? undefined : entities.get(column.references);
    const value = column.unique && parent && created.has(parent.name)
      ? await fresh(parent)
      : sample(column);
    if (value === undefined) {
      assert(!column.required, `${entity.name}.${column.key} needs a row created earlier`);
      continue;
    }
    values[column.key] = value;
  }
  return values;
}

let fresh: (entity: Entity) => Promise<string> = () => Promise.reject(new Error("not ready"));

function assertRoundTrip(entity: Entity, sent: Json, got: Json): void {
  const parsed = rowSchema(entity).safeParse(got);
  assert(
    parsed.success,
    `${entity.name} response fits its schema: ${JSON.stringify(parsed.error?.issues)}`,
  );
  for (const column of entity.columns) {
    if (!(column.key in sent)) continue;
    const [a, b] = [sent[column.key], got[column.key]];
    if (column.type === "timestamp" && a !== null) {
      assertEquals(Date.parse(String(b)), Date.parse(String(a)), `${entity.name}.${column.key}`);
    } else assertEquals(b, a, `${entity.name}.${column.key} round-trips`);
  }
}

Deno.test(`${model.name}: every entity and route, end to end`, async (t) => {
  const pool = createPool();
  await migrate(pool);
  assertEquals(await migrate(pool), [], "migrating again changes nothing");
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createApp(pool, model),
  );
  const base = `http://127.0.0.1:${server.addr.port}`;

  async function call(
    method: string,
    path: string,
    options: { body?: unknown; user?: string | null; raw?: string } = {},
  ): Promise<{ status: number; json: any; type: string }> {
    const headers: Record<string, string> = {};
    const user = options.user === undefined ? userId : options.user;
    if (user !== null) headers["x-user-id"] = user;
    let payload: string | undefined = options.raw;
    if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${base}${path}`, { method, headers, body: payload });
    const text = await response.text();
    assert(response.status < 500, `${method} ${path} answered ${response.status}: ${text}`);
    const type = response.headers.get("content-type") ?? "";
    return { status: response.status, json: type.includes("json") ? JSON.parse(text) : text, type };
  }

  async function problem(
    method: string,
    path: string,
    options: Parameters<typeof call>[2],
    status?: number,
  ) {
    const answer = await call(method, path, options);
    assert(answer.status >= 400 && answer.status < 500, `${method} ${path}: ${answer.status}`);
    if (status !== undefined) assertEquals(answer.status, status, `${method} ${path}`);
    assert(answer.type.startsWith("application/problem+json"), `${method} ${path} is a problem`);
    assert(problemSchema.safeParse(answer.json).success, `${method} ${path} problem body`);
  }

  /** The route's path with :id set to `id` and every other parameter to a created row. */
  function fill(path: string, id: string): string {
    return path.replace(
      /:([A-Za-z0-9_]+)/g,
      (_, name: string) =>
        name === "id" ? id : String([...created.values()][0]?.id ?? crypto.randomUUID()),
    );
  }

  /** The id a route's :id stands for. */
  function idFor(route: Route, entity: Entity): string {
    if (route.kind === "children") {
      const column = entity.columns.find((c) => c.column === route.parentColumn);
      return String(created.get(entity.name)?.[column?.key ?? "id"] ?? crypto.randomUUID());
    }
    return String(created.get(entity.name)?.id);
  }

  fresh = async (entity) => {
    const made = await call("POST", entity.path, { body: await body(entity) });
    assertEquals(made.status, 201, `POST ${entity.path}: ${JSON.stringify(made.json)}`);
    return String(made.json.id);
  };

  try {
    for (const entity of model.entities) {
      await t.step(`${entity.name}: create, list, get, update`, async () => {
        const sent = await body(entity);
        const made = await call("POST", entity.path, { body: sent });
        assertEquals(made.status, 201, `POST ${entity.path}: ${JSON.stringify(made.json)}`);
        assertRoundTrip(entity, sent, made.json);
        created.set(entity.name, made.json);
        const id = String(made.json.id);

        const listed = await call("GET", `${entity.path}?limit=100`);
        assertEquals(listed.status, 200);
        assert(listSchema(entity).safeParse(listed.json).success, "list fits its schema");
        const page = [listed.json];
        while (
          page.at(-1).nextCursor && !page.some((p) => p.items.some((i: Json) => i.id === id))
        ) {
          page.push(
            (await call("GET", `${entity.path}?limit=100&cursor=${page.at(-1).nextCursor}`)).json,
          );
        }
        assert(page.some((p) => p.items.some((i: Json) => i.id === id)), "the new row is listed");

        const got = await call("GET", `${entity.path}/${id}`);
        assertEquals(got.status, 200);
        assertRoundTrip(entity, sent, got.json);

        const column = writable(entity).find((c) => c.references === null) ?? writable(entity)[0];
        if (column) {
          const next = sample(column) ?? sent[column.key];
          const change = { [column.key]: next === undefined && !column.required ? null : next };
          const updated = await call("PATCH", `${entity.path}/${id}`, { body: change });
          assertEquals(updated.status, 200, `PATCH: ${JSON.stringify(updated.json)}`);
          assertRoundTrip(entity, change, updated.json);
          created.set(entity.name, updated.json);
        }

        const unique = writable(entity).find((c) => c.unique && c.references === null);
        if (unique) {
          const again = {
            ...(await body(entity)),
            [unique.key]: created.get(entity.name)?.[unique.key],
          };
          await problem("POST", entity.path, { body: again }, 409);
        }
        const parent = writable(entity).find((c) =>
          c.references !== null && entities.has(c.references) && c.references !== model.userEntity
        );
        if (parent) {
          const orphan = { ...(await body(entity)), [parent.key]: crypto.randomUUID() };
          await problem("POST", entity.path, { body: orphan }, 409);
        }
      });
    }

    await t.step("every route in the API table answers a valid request", async () => {
      for (const route of model.routes) {
        const entity = entities.get(route.entity)!;
        const path = fill(route.path, idFor(route, entity));
        const where = `${route.method} ${route.path}`;
        if (route.kind === "placeholder") {
          const answer = await fetch(`${base}${path}`, {
            method: route.method,
            headers: { "x-user-id": userId },
          });
          await answer.body?.cancel();
          assertEquals(answer.status, 501, `${where} is a declared placeholder`);
          continue;
        }
        if (route.kind === "list" || route.kind === "children") {
          const answer = await call("GET", path);
          assertEquals(answer.status, 200, where);
          assert(listSchema(entity).safeParse(answer.json).success, `${where} fits its schema`);
          if (route.kind === "children") {
            const id = created.get(entity.name)?.id;
            assert(answer.json.items.some((i: Json) => i.id === id), `${where} lists the child`);
          }
        } else if (route.kind === "record") {
          const answer = await call(route.method, path);
          assertEquals(answer.status, 201, `${where}: ${JSON.stringify(answer.json)}`);
          assert(recordSchema.safeParse(answer.json).success, `${where} fits its schema`);
          assertEquals(answer.json.rowId, created.get(entity.name)?.id, `${where} names the row`);
        } else if (route.kind === "me" && route.method !== "GET") {
          const column = writable(entity).find((c) => c.references === null && !c.unique);
          const change = column ? { [column.key]: sample(column) } : {};
          const answer = await call(route.method, path, { body: change });
          assertEquals(answer.status, column ? 200 : 422, where);
          if (column) assertRoundTrip(entity, change, answer.json);
        } else if (route.kind === "me") {
          const answer = await call("GET", path);
          assertEquals(answer.status, 200, where);
          assertEquals(answer.json.id, userId, `${where} is the caller`);
          if (model.userEntity) assert(rowSchema(entity).safeParse(answer.json).success, where);
        } else if (route.kind === "get" || route.kind === "action") {
          const answer = await call(route.method, path);
          assertEquals(answer.status, 200, `${where}: ${JSON.stringify(answer.json)}`);
          assert(rowSchema(entity).safeParse(answer.json).success, `${where} fits its schema`);
          if (route.kind === "action") created.set(entity.name, answer.json);
        } else if (route.kind === "create") {
          const sent = await body(entity);
          const answer = await call("POST", path, { body: sent });
          assertEquals(answer.status, 201, `${where}: ${JSON.stringify(answer.json)}`);
          assertRoundTrip(entity, sent, answer.json);
        } else if (route.kind === "update" || route.kind === "replace") {
          const sent = route.kind === "update" ? { ...(await body(entity)) } : (await body(entity));
          const answer = await call(route.method, path, { body: sent });
          assertEquals(answer.status, 200, `${where}: ${JSON.stringify(answer.json)}`);
          assertRoundTrip(entity, sent, answer.json);
          created.set(entity.name, answer.json);
        } else if (route.kind === "delete") {
          const spare = await call("POST", entity.path, { body: await body(entity) });
          assertEquals(spare.status, 201);
          const answer = await call(route.method, fill(route.path, String(spare.json.id)));
          assertEquals(answer.status, 204, where);
          assertEquals((await call("GET", `${entity.path}/${spare.json.id}`)).status, 404);
        }
      }
    });

    await t.step("every route answers one bad request with a 4xx problem", async () => {
      for (const route of model.routes) {
        if (route.path.includes(":")) {
          const body = ["POST", "PUT", "PATCH"].includes(route.method) ? {} : undefined;
          await problem(route.method, fill(route.path, "not-a-uuid"), { body }, 400);
        } else if (route.method === "GET" && (route.kind === "list")) {
          await problem("GET", `${route.path}?limit=-5`, {}, 400);
        } else if (route.kind === "create") {
          await problem("POST", route.path, { body: { notAField: 1 } }, 422);
        } else {
          await problem(route.method, route.path, { user: null }, 401);
        }
      }
      const first = model.entities.at(-1)!;
      await problem("POST", first.path, { body: await body(first), user: "nope" }, 400);
      await problem("POST", first.path, { raw: "{not json" }, 400);
      await problem("GET", `${first.path}?limit=1000`, {}, 400);
      await problem("GET", `${first.path}/${crypto.randomUUID()}`, {}, 404);
    });

    await t.step("every screen page is served and wired to the API", async () => {
      for (const screen of model.screens) {
        const page = await call("GET", fill(screen.route, String(created.get(screen.entity)?.id)));
        assertEquals(page.status, 200, screen.route);
        const api = entities.get(screen.entity)?.path;
        assert(page.json.includes(`data-api="${api}"`), `${screen.route} fetches ${api}`);
        assert(page.json.includes(`src="/app.js"`), `${screen.route} loads the client`);
      }
      assertEquals((await call("GET", "/app.js")).status, 200);
      assertEquals((await call("GET", "/styles/tokens.css")).status, 200);
    });

    await t.step("delete in reverse dependency order", async () => {
      for (const entity of [...model.entities].reverse()) {
        const id = created.get(entity.name)?.id;
        if (id === undefined) continue;
        const gone = await call("DELETE", `${entity.path}/${id}`);
        assertEquals(gone.status, 204, `DELETE ${entity.path}/:id`);
        assertEquals((await call("GET", `${entity.path}/${id}`)).status, 404);
      }
    });
  } finally {
    await server.shutdown();
    await pool.end();
  }
});
