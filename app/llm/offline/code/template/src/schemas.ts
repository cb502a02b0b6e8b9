import { z } from "zod";
import type { Column, Entity } from "./types.ts";

const INT4 = { min: -2147483648, max: 2147483647 };

function value(column: Column, forInput: boolean): z.ZodType {
  switch (column.type) {
    case "uuid":
      return z.uuid();
    case "text":
      return forInput && column.required ? z.string().min(1).max(10_000) : z.string().max(10_000);
    case "integer":
      return z.number().int().min(INT4.min).max(INT4.max);
    case "numeric":
      return z.number();
    case "boolean":
      return z.boolean();
    case "timestamp":
      return z.iso.datetime({ offset: true });
    case "date":
      return z.iso.date();
    case "jsonb":
      return z.json();
  }
}

/** The entity as the API answers it: every column, empty only where the column is nullable. */
export function rowSchema(entity: Entity) {
  return z.strictObject(Object.fromEntries(entity.columns.map((column) => {
    const schema = value(column, false);
    return [column.key, column.required ? schema : schema.nullable()];
  })));
}

/** Columns a client may write: all but the id. */
export function writable(entity: Entity): Column[] {
  return entity.columns.filter((column) => column.column !== "id");
}

/**
 * A create (or full replace) body. Optional: nullable columns, columns with a database
 * default, and references to the user (they default to the caller).
 */
export function createSchema(entity: Entity, userEntity: string | null) {
  return z.strictObject(Object.fromEntries(
    writable(entity).map((column) => {
      const schema = value(column, true);
      if (!column.required) return [column.key, schema.nullable().optional()];
      const byDefault = column.defaulted ||
        (userEntity !== null && column.references === userEntity);
      return [column.key, byDefault ? schema.optional() : schema];
    }),
  ));
}

/** A partial update: any writable column; nullable columns may be cleared. */
export function updateSchema(entity: Entity) {
  return z.strictObject(Object.fromEntries(
    writable(entity).map((column) => {
      const schema = value(column, true);
      return [column.key, (column.required ? schema : schema.nullable()).optional()];
    }),
  )).refine((body) => Object.keys(body).length > 0, { message: "Nothing to change." });
}

/** A list query: cursor pagination plus an optional filter per reference column. */
export function listQuerySchema(entity: Entity) {
  const filters = entity.columns.filter((column) => column.references !== null);
  return z.object({
    cursor: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    ...Object.fromEntries(filters.map((column) => [column.key, z.uuid().optional()])),
  });
}

/** A list answer. */
export function listSchema(entity: Entity) {
  return z.strictObject({ items: z.array(rowSchema(entity)), nextCursor: z.uuid().nullable() });
}

/** Every path parameter is a UUID. */
export const idSchema = z.uuid();

/** An RFC 9457 problem body, as every error answers. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
  issues: z.array(
    z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() }),
  )
    .optional(),
});

/** What a `record` action answers: the action_log row. */
export const recordSchema = z.strictObject({
  id: z.uuid(),
  entity: z.string(),
  rowId: z.uuid(),
  action: z.string(),
  userId: z.uuid(),
  createdAt: z.iso.datetime({ offset: true }),
});
