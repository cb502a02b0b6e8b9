// @ts-types="npm:@types/pg@8.11.10"
import pg from "pg";

// Values come back as the API sends them: `date` as YYYY-MM-DD, `numeric` and `bigint` as
// numbers (timestamps stay Date and serialise as ISO 8601).
pg.types.setTypeParser(1082, (value: string) => value);
pg.types.setTypeParser(1700, (value: string) => Number(value));
pg.types.setTypeParser(20, (value: string) => Number(value));

/** DATABASE_URL, or a one-line error saying how to set it. */
export function databaseUrl(): string {
  const url = Deno.env.get("DATABASE_URL");
  if (!url) {
    throw new Error("DATABASE_URL is not set: copy .env.example to .env and fill it in.");
  }
  return url;
}

/** A connection pool. */
export function createPool(url = databaseUrl()): pg.Pool {
  return new pg.Pool({ connectionString: url, max: 5 });
}

export type Pool = pg.Pool;
export type Row = Record<string, unknown>;
