import type { Pool, Row } from "./db.ts";
import { HttpError, jsonBody, parse } from "./http.ts";
import { createSchema, idSchema, listQuerySchema, updateSchema, writable } from "./schemas.ts";
import type { Column, Entity, Model, Route } from "./types.ts";

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A database row as the API answers it. */
export function toJson(entity: Entity, row: Row): Record<string, unknown> {
  return Object.fromEntries(entity.columns.map((column) => {
    const value = row[column.column] ?? null;
    return [column.key, value instanceof Date ? value.toISOString() : value];
  }));
}

function toParam(column: Column, value: unknown): unknown {
  return column.type === "jsonb" && value !== null && value !== undefined
    ? JSON.stringify(value)
    : value;
}

export interface Call {
  request: Request;
  url: URL;
  params: Record<string, string>;
  route: Route;
  entity: Entity;
}

/** The API over a pool: one function per route kind. */
export function createApi(pool: Pool, model: Model) {
  const users = model.entities.find((entity) => entity.name === model.userEntity) ?? null;
  const seen = new Set<string>();

  /** A value for a required column of a provisioned dev user. */
  function userDefault(column: Column, id: string): unknown {
    switch (column.type) {
      case "text":
        return /mail/i.test(column.key) ? `${id}@example.invalid` : `dev-${id}`;
      case "integer":
      case "numeric":
        return 0;
      case "boolean":
        return false;
      case "timestamp":
        return new Date();
      case "date":
        return new Date().toISOString().slice(0, 10);
      case "jsonb":
        return "{}";
      case "uuid":
        return crypto.randomUUID();
    }
  }

  /**
   * The caller's id from X-User-Id (a stand-in for real sign-in). The first time an id is
   * seen, a matching user row is provisioned so rows owned by the caller can be created.
   */
  async function currentUser(request: Request): Promise<string> {
    const header = request.headers.get("x-user-id");
    if (!header) throw new HttpError(401, "Sign in first", "Send an X-User-Id header (a UUID).");
    const id = parse(idSchema, header, 400, "X-User-Id must be a UUID");
    if (users && !seen.has(id)) {
      const columns = users.columns.filter((c) => c.column !== "id" && c.required && !c.defaulted);
      const names = ["id", ...columns.map((c) => c.column)].map(quote);
      const values = [id, ...columns.map((c) => userDefault(c, id))];
      await pool.query(
        `INSERT INTO ${quote(users.table)} (${names.join(", ")}) VALUES (${
          values.map((_, i) => `$${i + 1}`).join(", ")
        }) ON CONFLICT DO NOTHING`,
        values,
      );
      seen.add(id);
    }
    return id;
  }

  function pathId(call: Call, name = "id"): string {
    const value = call.params[name] ?? Object.values(call.params)[0];
    return parse(idSchema, value, 400, "The id in the path must be a UUID");
  }

  async function one(entity: Entity, id: string): Promise<Record<string, unknown>> {
    const { rows } = await pool.query(`SELECT * FROM ${quote(entity.table)} WHERE id = $1`, [id]);
    if (rows.length === 0) throw new HttpError(404, "Not found");
    return toJson(entity, rows[0]);
  }

  async function list(call: Call, parent?: { column: string; id: string }): Promise<Response> {
    const { entity } = call;
    const query = parse(
      listQuerySchema(entity),
      Object.fromEntries(call.url.searchParams),
      400,
      "Invalid query",
    ) as Record<string, unknown> & { limit: number; cursor?: string };
    const where: string[] = [];
    const values: unknown[] = [];
    for (const column of entity.columns.filter((c) => c.references !== null)) {
      const filter = query[column.key];
      if (typeof filter === "string") {
        values.push(filter);
        where.push(`${quote(column.column)} = $${values.length}`);
      }
    }
    if (parent) {
      values.push(parent.id);
      where.push(`${quote(parent.column)} = $${values.length}`);
    }
    if (query.cursor) {
      values.push(query.cursor);
      where.push(`id > $${values.length}`);
    }
    values.push(query.limit + 1);
    const { rows } = await pool.query(
      `SELECT * FROM ${quote(entity.table)}${
        where.length ? ` WHERE ${where.join(" AND ")}` : ""
      } ORDER BY id LIMIT $${values.length}`,
      values,
    );
    const items = rows.slice(0, query.limit).map((row) => toJson(entity, row));
    const nextCursor = rows.length > query.limit ? String(items.at(-1)?.id) : null;
    return Response.json({ items, nextCursor });
  }

  async function insert(call: Call): Promise<Response> {
    const { entity } = call;
    const userId = await currentUser(call.request);
    const body = parse(
      createSchema(entity, model.userEntity),
      await jsonBody(call.request),
      422,
      "Invalid body",
    ) as Record<string, unknown>;
    const columns = writable(entity).filter((column) => {
      if (body[column.key] !== undefined) return true;
      if (users && column.references === users.name && column.required) {
        body[column.key] = userId;
        return true;
      }
      return false;
    });
    const values = columns.map((column) => toParam(column, body[column.key]));
    const { rows } = await pool.query(
      columns.length
        ? `INSERT INTO ${quote(entity.table)} (${
          columns.map((c) => quote(c.column)).join(", ")
        }) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING *`
        : `INSERT INTO ${quote(entity.table)} DEFAULT VALUES RETURNING *`,
      values,
    );
    return Response.json(toJson(entity, rows[0]), { status: 201 });
  }

  async function change(
    entity: Entity,
    id: string,
    body: Record<string, unknown>,
  ): Promise<Response> {
    const columns = writable(entity).filter((column) => body[column.key] !== undefined);
    const values = [id, ...columns.map((column) => toParam(column, body[column.key]))];
    const { rows } = await pool.query(
      `UPDATE ${quote(entity.table)} SET ${
        columns.map((c, i) => `${quote(c.column)} = $${i + 2}`).join(", ")
      } WHERE id = $1 RETURNING *`,
      values,
    );
    if (rows.length === 0) throw new HttpError(404, "Not found");
    return Response.json(toJson(entity, rows[0]));
  }

  const handlers: Record<Route["kind"], (call: Call) => Promise<Response>> = {
    list: (call) => list(call),
    children: (call) => list(call, { column: call.route.parentColumn ?? "id", id: pathId(call) }),
    get: async (call) => Response.json(await one(call.entity, pathId(call))),
    me: async (call) => {
      const id = await currentUser(call.request);
      if (call.request.method === "GET") {
        return Response.json(users ? await one(users, id) : { id });
      }
      if (!users) throw new HttpError(404, "Not found", "There is no user table.");
      const body = parse(updateSchema(users), await jsonBody(call.request), 422, "Invalid body");
      return change(users, id, body as Record<string, unknown>);
    },
    create: insert,
    update: async (call) => {
      pathId(call);
      await currentUser(call.request);
      const body = parse(
        updateSchema(call.entity),
        await jsonBody(call.request),
        422,
        "Invalid body",
      );
      return change(call.entity, pathId(call), body as Record<string, unknown>);
    },
    replace: async (call) => {
      pathId(call);
      await currentUser(call.request);
      const body = parse(
        createSchema(call.entity, null),
        await jsonBody(call.request),
        422,
        "Invalid body",
      ) as Record<string, unknown>;
      for (const column of writable(call.entity)) {
        if (body[column.key] === undefined && !column.required) body[column.key] = null;
      }
      return change(call.entity, pathId(call), body);
    },
    delete: async (call) => {
      const id = pathId(call);
      await currentUser(call.request);
      const { rowCount } = await pool.query(
        `DELETE FROM ${quote(call.entity.table)} WHERE id = $1`,
        [id],
      );
      if (!rowCount) throw new HttpError(404, "Not found");
      return new Response(null, { status: 204 });
    },
    action: async (call) => {
      const id = pathId(call);
      await currentUser(call.request);
      const assignments = call.route.assignments;
      const values: unknown[] = [id];
      const sets = assignments.map((assignment) => {
        if (assignment.value === "now()") return `${quote(assignment.column)} = now()`;
        values.push(assignment.value);
        return `${quote(assignment.column)} = $${values.length}`;
      });
      const { rows } = await pool.query(
        `UPDATE ${quote(call.entity.table)} SET ${sets.join(", ")} WHERE id = $1 RETURNING *`,
        values,
      );
      if (rows.length === 0) throw new HttpError(404, "Not found");
      return Response.json(toJson(call.entity, rows[0]));
    },
    record: async (call) => {
      const id = pathId(call);
      const userId = await currentUser(call.request);
      await one(call.entity, id);
      const verb = call.route.path.split("/").at(-1) ?? "";
      const { rows } = await pool.query(
        `INSERT INTO ${
          quote(model.actionLog)
        } (entity, row_id, action, user_id) VALUES ($1, $2, $3, $4) RETURNING *`,
        [call.entity.name, id, verb, userId],
      );
      const row = rows[0];
      return Response.json({
        id: row.id,
        entity: row.entity,
        rowId: row.row_id,
        action: row.action,
        userId: row.user_id,
        createdAt: (row.created_at as Date).toISOString(),
      }, { status: 201 });
    },
    placeholder: async (call) => {
      await currentUser(call.request);
      throw new HttpError(501, "Not implemented yet", call.route.purpose);
    },
  };
  return { handlers, currentUser };
}
